"""What a phone downloads for an article's photo: a 12-megapixel camera photo costs a phone
390 CSS pixels wide at most 60 KB, whatever its screen's density."""

import pytest
from django.core.files.base import ContentFile

from ..factories import camera_photo, make_article
from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 60_000


@pytest.fixture
def photo_article(live_server):
    # Committed at once, so the task has made every rendition before the page is asked for.
    return make_article(
        image=ContentFile(camera_photo(), name="IMG_4711.JPG"),
        image_alt="Der Beirat vor dem Rathaus",
        image_credit="Foto: Anna Muster",
    )


@pytest.mark.parametrize(
    ("density", "rendition"), [(1, "480.webp"), (2, "800.webp"), (3, "1200.webp")]
)
def test_a_phone_gets_the_photo_within_60_kb(
    live_server, browser, photo_article, density, rendition
):
    assert photo_article.__class__.objects.get().current_renditions["widths"] == [
        480,
        800,
        1200,
        1600,
    ]
    context = browser.new_context(locale="de-DE", viewport=PHONE, device_scale_factor=density)
    page = context.new_page()
    photos = []
    page.on(
        "response",
        lambda response: "/bild/" in response.url and photos.append((response.url, response)),
    )
    page.goto(f"{live_server.url}{photo_article.get_absolute_url()}")
    page.wait_for_load_state("load")
    loaded = [
        (url.split("/bild/")[1].split("?")[0], len(response.body())) for url, response in photos
    ]
    shown = page.locator(".article__image").evaluate("image => image.currentSrc")
    context.close()
    print(f"390 × 844 at {density}x: {loaded}")
    assert [name for name, _ in loaded] == [rendition]
    assert loaded[0][1] <= BUDGET, loaded
    assert f"/bild/{rendition}?" in shown
