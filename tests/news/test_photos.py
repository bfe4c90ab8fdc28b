"""Article photos: stored upright and without EXIF, made into renditions in the background on the
local disk and in object storage, offered to the browser with srcset, width and height."""

import io
import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from koss.core.images import rendition_name, rendition_widths
from koss.core.validators import validate_photo_upload
from news.models import Article

from ..factories import camera_photo, login_as, make_article, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("storage_backend")]

ORIENTATION, GPS_INFO = 0x0112, 0x8825


def camera_jpeg(width=1200, height=600, orientation=1):
    """A JPEG as a camera writes it: the pixels as the sensor saw them, an orientation tag saying
    how to turn them, and where the photo was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Kamerahersteller"
    exif.get_ifd(GPS_INFO).update({1: "N", 2: (50.0, 58.0, 41.0), 3: "E", 4: (11.0, 1.0, 44.0)})
    image = Image.new("RGB", (width, height), "#00506e")
    image.paste((220, 120, 0), (0, 0, width // 4, height // 4))  # a mark top left
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def stored(name):
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


@pytest.fixture
def photo_article(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            kind=Article.Kind.PRESS_RELEASE,
            image=ContentFile(camera_jpeg(), name="IMG_0042.JPG"),
            image_alt="Der Beirat tagt",
            image_credit="Foto: Anna Muster",
            image_license="CC BY 4.0",
        )
    article.refresh_from_db()
    return article


def test_a_camera_photo_is_stored_upright_without_exif_and_gps(django_capture_on_commit_callbacks):
    # Orientation 6: the camera was held upright, the pixels lie on their side.
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            image=ContentFile(camera_jpeg(40, 20, orientation=6), name="hochkant.jpg"),
            image_alt="Hochformat",
        )
    image = stored(article.image.name)
    assert image.format == "JPEG"
    assert image.size == (20, 40) == (article.image_width, article.image_height)
    assert dict(image.getexif()) == {}
    assert b"Exif" not in default_storage.open(article.image.name).read()
    # The mark of the top left corner is now top right, where the photographer saw it.
    assert image.getpixel((15, 2))[0] > 150 and image.getpixel((2, 2))[0] < 100


def test_a_png_stays_a_png(django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 80, 110, 128)).save(buffer, format="PNG")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(image=ContentFile(buffer.getvalue(), name="x.png"), image_alt="x")
    article.refresh_from_db()
    assert article.image.name.endswith(".png") and stored(article.image.name).format == "PNG"
    renditions = article.current_renditions
    assert renditions["widths"] == [30] and renditions["fallback"] == "png"
    assert stored(rendition_name(article.image.name, 30, "png")).mode == "RGBA"


def test_renditions_are_written_through_the_storage(photo_article, client):
    name = photo_article.image.name
    renditions = photo_article.current_renditions
    assert renditions["widths"] == [480, 800, 1200]
    for width in renditions["widths"]:
        for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            image = stored(rendition_name(name, width, extension))
            assert image.format == image_format
            assert image.size == (width, width // 2)
            assert dict(image.getexif()) == {}
    response = client.get(reverse("news:rendition", args=[photo_article.slug, 480, "webp"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (480, 240)
    assert client.get(f"/aktuelles/{photo_article.slug}/bild/480.png").status_code == 404
    assert client.get(f"/aktuelles/{photo_article.slug}/bild/500.webp").status_code == 404


def test_the_page_offers_the_renditions_with_their_size(photo_article, client):
    html = client.get(photo_article.get_absolute_url()).content.decode()
    slug = photo_article.slug
    assert f'<source type="image/webp" srcset="/aktuelles/{slug}/bild/480.webp?v=' in html
    assert f"/aktuelles/{slug}/bild/1200.jpg?v=" in html
    assert 'sizes="(min-width: 50rem) 48rem, calc(100vw - 2rem)"' in html
    assert 'width="1200" height="600"' in html
    assert f'src="/aktuelles/{slug}/bild/800.jpg?v=' in html
    assert 'fetchpriority="high"' in html
    assert "Bildnachweis: Foto: Anna Muster · Lizenz: CC BY 4.0" in html
    assert f'href="/aktuelles/{slug}/bild/original/" download' in html


def picture_urls(html):
    """The addresses the page's <picture> elements offer the browser (src and srcset)."""
    urls = []
    for picture in re.findall(r"<picture>.*?</picture>", html, re.DOTALL):
        for value in re.findall(r'(?:src|srcset)="([^"]+)"', picture):
            urls += [candidate.split()[0] for candidate in value.split(", ")]
    return urls


def test_until_the_task_has_run_the_page_offers_the_smallest_rendition_alone(client):
    # A 4000 × 3000 camera photo is stored, the task that makes the renditions is queued for
    # when the transaction commits: here it never runs, as when no worker runs.
    article = make_article(
        image=ContentFile(camera_photo(), name="IMG_4711.JPG"), image_alt="Der Beirat tagt"
    )
    article.refresh_from_db()
    assert article.current_renditions["widths"] == [480]
    html = client.get(article.get_absolute_url()).content.decode()
    urls = picture_urls(html)
    slug = article.slug
    assert sorted({url.split("?")[0] for url in urls}) == [
        f"/aktuelles/{slug}/bild/480.jpg",
        f"/aktuelles/{slug}/bild/480.webp",
    ]
    assert 'width="4000" height="3000"' in html
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content)
        assert len(body) <= 60_000, (url, len(body))
        assert Image.open(io.BytesIO(body)).size == (480, 360)
    assert not [url for url in urls if url.startswith(f"/aktuelles/{slug}/bild/?")]


def test_without_any_rendition_the_page_shows_no_photo_rather_than_the_original(
    photo_article, client
):
    # An image stored past the portal (an import), until make_photo_renditions has run.
    Article.objects.filter(pk=photo_article.pk).update(image_renditions={})
    html = client.get(photo_article.get_absolute_url()).content.decode()
    assert "<picture>" not in html and "<img" not in html.split('class="article"')[1]
    assert f"/aktuelles/{photo_article.slug}/bild/?" not in html
    assert "Bildnachweis: Foto: Anna Muster" in html
    response = client.get(f"/aktuelles/{photo_article.slug}/bild/480.webp")
    assert response.status_code == 404


def test_only_press_releases_offer_the_original(photo_article, client):
    response = client.get(reverse("news:original-image", args=[photo_article.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment")
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (1200, 600)
    Article.objects.filter(pk=photo_article.pk).update(kind=Article.Kind.NEWS)
    assert client.get(reverse("news:original-image", args=[photo_article.slug])).status_code == 404
    assert "bild/original" not in client.get(photo_article.get_absolute_url()).content.decode()


def test_renditions_go_with_their_image(photo_article, django_capture_on_commit_callbacks):
    old = photo_article.current_renditions
    old_names = [rendition_name(old["name"], width, "webp") for width in old["widths"]]
    assert all(default_storage.exists(name) for name in old_names)
    with django_capture_on_commit_callbacks(execute=True):
        photo_article.image = ContentFile(camera_jpeg(600, 400), name="neu.jpg")
        photo_article.save()
    photo_article.refresh_from_db()
    assert photo_article.current_renditions["widths"] == [480, 600]
    assert not any(default_storage.exists(name) for name in old_names)
    new = photo_article.current_renditions
    new_names = [rendition_name(new["name"], width, "jpg") for width in new["widths"]]
    with django_capture_on_commit_callbacks(execute=True):
        photo_article.delete()
    assert not any(default_storage.exists(name) for name in new_names)


@pytest.mark.local_disk
def test_photos_up_to_20_mb_are_accepted_and_no_larger():
    # A noisy image compresses like a photo: larger than the 2 MB of logos.
    noise = Image.frombytes("RGB", (1000, 1000), random.Random(1).randbytes(3_000_000))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=1)
    assert buffer.tell() > 2 * 1024 * 1024
    validate_photo_upload(SimpleUploadedFile("gross.png", buffer.getvalue()))
    too_large = SimpleUploadedFile("riesig.jpg", b"\xff" * (20 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as refused:
        validate_photo_upload(too_large)
    assert "erlaubt sind höchstens 20,0\xa0MB" in refused.value.messages[0]


VISITORS = [
    "anonymous",
    "member",
    "former_member",
    "other_board_member",
    "staff_without_second_factor",
    "staff",
]


def as_visitor(client, visitor):
    import datetime

    from ..factories import make_board, make_member, make_staff, make_user

    if visitor == "anonymous":
        return client
    if visitor.startswith("staff"):
        staff = make_staff()
        if visitor == "staff":
            return login_as(client, staff)
        client.force_login(staff)  # the second factor is still missing
        return client
    board = make_board("Anderer Beirat" if visitor == "other_board_member" else "Beirat")
    user = make_user(f"{visitor}@example.org")
    make_member(
        board, user, ends_on=datetime.date(2016, 10, 5) if visitor == "former_member" else None
    )
    return login_as(client, user)


@pytest.mark.local_disk
@pytest.mark.parametrize("visitor", VISITORS)
def test_who_gets_the_renditions_and_the_original(
    client, visitor, django_capture_on_commit_callbacks
):
    articles = {}
    with django_capture_on_commit_callbacks(execute=True):
        for status in Article.Status:
            articles[status] = make_article(
                kind=Article.Kind.PRESS_RELEASE,
                status=status,
                image=ContentFile(camera_jpeg(600, 300), name="foto.jpg"),
                image_alt="Foto",
            )
    visitor_client = as_visitor(client, visitor)
    for status, article in articles.items():
        expected = 200 if status == Article.Status.PUBLISHED or visitor == "staff" else 404
        for url in (
            reverse("news:rendition", args=[article.slug, 480, "webp"]),
            reverse("news:rendition", args=[article.slug, 600, "jpg"]),
            reverse("news:original-image", args=[article.slug]),
        ):
            response = visitor_client.get(url)
            assert response.status_code == expected, (status, url)
            if expected == 200:
                assert response["Content-Type"].startswith("image/")


def test_a_restored_version_gets_its_renditions_again(
    photo_article, django_capture_on_commit_callbacks
):
    import reversion
    from reversion.models import Version

    with reversion.create_revision():
        photo_article.save()
    old = photo_article.current_renditions
    with django_capture_on_commit_callbacks(execute=True):
        photo_article.image = ContentFile(camera_jpeg(600, 300), name="neu.jpg")
        photo_article.save()
    assert not default_storage.exists(rendition_name(old["name"], 480, "webp"))
    with django_capture_on_commit_callbacks(execute=True):
        Version.objects.get_for_object(photo_article).get().revert()
    photo_article.refresh_from_db()
    assert photo_article.image.name == old["name"]
    assert photo_article.current_renditions == old
    assert default_storage.exists(rendition_name(old["name"], 480, "webp"))


def test_an_image_below_the_fold_loads_lazily_the_lead_image_at_once(photo_article, client):
    from django.template.loader import render_to_string

    below = render_to_string(
        "news/_article_image.html", {"article": photo_article, "sizes": "20rem", "lazy": True}
    )
    assert 'loading="lazy"' in below and 'sizes="20rem"' in below
    assert 'width="1200" height="600"' in below
    page = client.get(photo_article.get_absolute_url()).content.decode()
    assert "article__image" in page and 'loading="lazy"' not in page


def test_make_photo_renditions_makes_what_is_missing_and_nothing_twice(
    photo_article, django_capture_on_commit_callbacks
):
    def photo(**fields):
        return make_article(
            image=ContentFile(camera_jpeg(1000, 500), name="import.jpg"), image_alt="x", **fields
        )

    # Imported past the portal: neither renditions nor their record.
    imported = photo()
    for width in imported.current_renditions["widths"]:
        for extension in ("webp", "jpg"):
            default_storage.delete(rendition_name(imported.image.name, width, extension))
    Article.objects.filter(pk=imported.pk).update(image_renditions={})
    first_only = photo()  # the task never ran
    # Restored from a database of the time when the renditions were 480, 960 and 1600 wide.
    with django_capture_on_commit_callbacks(execute=True):
        earlier = photo()
    earlier.refresh_from_db()
    default_storage.delete(rendition_name(earlier.image.name, 800, "webp"))
    name = earlier.image.name
    default_storage.save(rendition_name(name, 960, "webp"), ContentFile(b"RIFF"))
    Article.objects.filter(pk=earlier.pk).update(
        image_renditions=earlier.image_renditions | {"widths": [480, 960, 1000]}
    )
    make_article()  # without a photo
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_photo_renditions", stdout=output)
    assert output.getvalue() == "Verkleinerte Fassungen für 3 Fotos in Auftrag gegeben.\n"
    for article in (imported, first_only, earlier, photo_article):
        article.refresh_from_db()
        renditions = article.current_renditions
        assert renditions["widths"] == rendition_widths(1000 if article != photo_article else 1200)
        for width in renditions["widths"]:
            assert stored(rendition_name(article.image.name, width, "webp")).width == width
            assert stored(rendition_name(article.image.name, width, "jpg")).width == width
    assert not default_storage.exists(rendition_name(name, 960, "webp"))
    again = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("make_photo_renditions", stdout=again)
    assert again.getvalue() == "Verkleinerte Fassungen für 0 Fotos in Auftrag gegeben.\n"
    assert callbacks == []


def test_make_photo_renditions_now_makes_them_in_its_own_process():
    imported = make_article(image=ContentFile(camera_jpeg(900, 600), name="a.jpg"), image_alt="x")
    Article.objects.filter(pk=imported.pk).update(image_renditions={})
    output = io.StringIO()
    call_command("make_photo_renditions", "--now", stdout=output)  # nothing waits for a commit
    assert output.getvalue() == "Verkleinerte Fassungen für 1 Foto erstellt.\n"
    imported.refresh_from_db()
    assert imported.current_renditions["widths"] == [480, 800, 900]
    assert stored(rendition_name(imported.image.name, 900, "webp")).size == (900, 600)


def test_a_rendition_at_the_address_the_page_names_is_kept_by_browsers(photo_article, client):
    html = client.get(photo_article.get_absolute_url()).content.decode()
    named = next(url for url in picture_urls(html) if "/480.webp?" in url)
    response = client.get(named)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=31536000", "s-maxage=3600", "immutable"}
    # An address of an earlier state of the article, or none, is kept an hour, as before.
    for url in (named.split("?")[0], named.split("?")[0] + "?v=1"):
        assert client.get(url)["Cache-Control"] == "public, max-age=3600"
    Article.objects.filter(pk=photo_article.pk).update(status=Article.Status.DRAFT)
    login_as(client, make_staff())
    assert client.get(named)["Cache-Control"] == "private, no-store"
