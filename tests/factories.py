"""Small factory functions: each makes one valid object, overridable by keyword."""

import functools
import importlib
from itertools import count

from django.apps import apps
from django.contrib.auth import get_user_model

from partners.models import Partner, Region, Topic

_sequence = count(1)


def make_user(email=None, password="correct-horse-battery", **fields):
    email = email or f"person{next(_sequence)}@example.org"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password, **fields
    )
    return user


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_staff(email="redaktion@example.org", **fields):
    """Staff as production has them: with a second factor (TOTP) set up."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    fields.setdefault("is_staff", True)
    fields.setdefault("is_superuser", True)
    user = make_user(email, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


def login_staff(client, user):
    """Log the test client in as staff who passed the second factor in this session."""
    from koss.accounts import SECOND_FACTOR_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def login_as(client, user):
    """Log the test client in as the user; staff as having passed the second factor."""
    if user.is_staff:
        return login_staff(client, user)
    client.force_login(user)
    return client


def current_totp_code(secret=TOTP_SECRET, seconds_needed=10):
    """The code of the current period, still valid for seconds_needed (waits for the next period
    otherwise): the server accepts only the current period's code."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < seconds_needed:
        time.sleep(left + 0.1)
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def region(slug="erfurt"):
    """Regions come from a data migration; tests use the real ones.

    Transactional tests (the browser tests) flush the database afterwards, so the migration's
    loader runs again when they are gone.
    """
    if not Region.objects.filter(slug=slug).exists():
        restore_migration_data()
    return Region.objects.get(slug=slug)


def restore_migration_data():
    """Load again what data migrations put into a new database (after a transactional flush)."""
    importlib.import_module("partners.migrations.0002_regions").create_regions(apps, None)
    importlib.import_module("koss.migrations.0002_initial_pages").create_pages(apps, None)
    importlib.import_module("koss.migrations.0010_easy_read_and_glossary").create_easy_read_pages(
        apps, None
    )


def make_topic(name=None, **fields):
    number = next(_sequence)
    name = name or f"Thema {number}"
    fields.setdefault("slug", f"thema-{number}")
    return Topic.objects.create(name=name, **fields)


def make_partner(name=None, topics=(), **fields):
    number = next(_sequence)
    name = name or f"Partner {number}"
    fields.setdefault("slug", f"partner-{number}")
    fields.setdefault("kind", Partner.Kind.ASSOCIATION)
    fields.setdefault("level", Partner.Level.STATE)
    fields.setdefault("summary", f"Kurzbeschreibung von {name}.")
    fields.setdefault("is_published", True)
    if "region" not in fields:
        fields["region"] = region("thueringen")
    partner = Partner.objects.create(name=name, **fields)
    if topics:
        partner.topics.set(topics)
    return partner


def make_article(title=None, partners=(), **fields):
    from django.utils import timezone

    from news.models import Article

    number = next(_sequence)
    title = title or f"Beitrag {number}"
    fields.setdefault("slug", f"beitrag-{number}")
    fields.setdefault("teaser", f"Anreißer von {title}.")
    fields.setdefault("body", f"<p>Text von {title}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timezone.timedelta(hours=1))
    article = Article.objects.create(title=title, **fields)
    if partners:
        article.related_partners.set(partners)
    return article


def make_board(name="Beirat für Sozialplanung", **fields):
    import datetime

    from advisory_board.models import Board

    number = next(_sequence)
    fields.setdefault("slug", f"beirat-{number}")
    fields.setdefault("purpose", "Impulsgeber und Denkfabrik.")
    fields.setdefault("constituted_on", datetime.date(2014, 10, 6))
    return Board.objects.create(name=name, **fields)


def make_member(
    board, user=None, *, ends_on=None, role="mitglied", public_consent=True, **person_fields
):
    """A person with a membership in the board; current unless ends_on lies in the past."""
    import datetime

    from advisory_board.models import Membership, Person

    number = next(_sequence)
    person_fields.setdefault("first_name", f"Vorname{number}")
    person_fields.setdefault("last_name", f"Nachname{number}")
    person = Person.objects.create(user=user, email=user.email if user else "", **person_fields)
    Membership.objects.create(
        person=person,
        board=board,
        role=role,
        starts_on=datetime.date(2014, 10, 6),
        ends_on=ends_on,
        public_consent=public_consent,
    )
    return person


def make_meeting(board, number=None, days_ahead=30, **fields):
    import datetime

    from django.utils import timezone

    from advisory_board.models import Meeting

    fields.setdefault("location", "Staatskanzlei, Erfurt")
    fields.setdefault("starts_at", timezone.now() + datetime.timedelta(days=days_ahead))
    # Meetings are made as the public sees them: announced. Prepared ones pass announced_at=None.
    fields.setdefault("announced_at", timezone.now())
    return Meeting.objects.create(board=board, number=number or next(_sequence), **fields)


def make_document(
    meeting, title=None, visibility="mitglieder", released=True, content=None, **fields
):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from advisory_board.models import Document

    number = next(_sequence)
    title = title or f"Dokument {number}"
    fields.setdefault("kind", "protokoll")
    return Document.objects.create(
        meeting=meeting,
        title=title,
        visibility=visibility,
        file=ContentFile(content or b"%PDF-1.4 " + title.encode(), name=f"dokument-{number}.pdf"),
        published_at=timezone.now() - datetime.timedelta(hours=1) if released else None,
        **fields,
    )


def partner_form(partner, **changes):
    """What the admin's change form of a partner posts, with the given changes."""
    return {
        "name": partner.name,
        "slug": partner.slug,
        "kind": partner.kind,
        "level": partner.level,
        "region": partner.region_id,
        "summary": partner.summary,
        "is_published": "on" if partner.is_published else "",
        **changes,
    }


# The management form of the board document's inline of earlier versions, with none of them.
NO_EARLIER_VERSIONS = {
    "versions-TOTAL_FORMS": "0",
    "versions-INITIAL_FORMS": "0",
    "versions-MIN_NUM_FORMS": "0",
    "versions-MAX_NUM_FORMS": "1000",
}


def publish_and_notify(client, meeting, only=None):
    """Staff's "publish and notify" for the meeting: the confirmation page, then confirming the
    preselected documents (or only those given). Returns the confirmation page's response."""
    url = "/verwaltung/advisory_board/meeting/"
    action = {"action": "publish_documents", "_selected_action": [meeting.pk]}
    page = client.post(url, action)
    chosen = only if only is not None else page.context["documents"]
    client.post(url, {**action, "bestaetigt": "1", "dokument": [d.pk for d in chosen]})
    return page


def form_data(response):
    """What the admin's change form (or a version of it) would post back unchanged: the main
    form and the existing rows of its inlines; files stay as they are."""
    from django.db.models.fields.files import FieldFile
    from django.forms import MultiWidget

    data = {}

    def add(form):
        for name, field in form.fields.items():
            bound, key = form[name], form.add_prefix(name)
            value = bound.value()
            widget = field.widget
            if hasattr(widget, "widget"):
                widget = widget.widget
            if value is None or isinstance(value, FieldFile) or field.disabled:
                continue
            if isinstance(widget, MultiWidget):
                for index, part in enumerate(widget.decompress(value)):
                    data[f"{key}_{index}"] = widget.widgets[index].format_value(part) or ""
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(item) for item in value]
            else:
                data[key] = widget.format_value(value) if hasattr(value, "year") else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        data[management.add_prefix("TOTAL_FORMS")] = initial
        for form in formset.forms[:initial]:
            add(form)
    return data


@functools.cache
def camera_photo(width=4000, height=3000, seed=1):
    """A JPEG that compresses like a camera's photo of people before houses: a smooth sky with
    soft clouds, meadows with detail at every scale, sharp edges, lettering, the lens's softness
    and the sensor's grain; 12 megapixels and some 4 MB at the default size. Made the same every
    time (Python's random numbers, not Pillow's), and once per process."""
    import io
    import math
    import random

    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    size = (width, height)

    def texture(cells, amplitude):
        """Noise of `cells` cells across, smoothly enlarged; its spread is `amplitude`."""
        cells = (max(2, cells), max(2, cells * height // width))
        noise = Image.frombytes("L", cells, rng.randbytes(cells[0] * cells[1]))
        noise = noise.point(lambda v: round(128 + (v - 128) * amplitude / 74))
        return noise.resize(size, Image.Resampling.BICUBIC)

    gradient = Image.linear_gradient("L").resize(size)
    sky = Image.merge(
        "RGB",
        [
            gradient.point(lambda v: 70 + v * 0.6),
            gradient.point(lambda v: 120 + v * 0.45),
            gradient.point(lambda v: 200 + v * 0.2),
        ],
    )
    clouds = texture(16, 90).point(lambda v: max(0, v - 140) * 3)
    sky = Image.composite(Image.new("RGB", size, (245, 245, 250)), sky, clouds)
    # Meadows: coarser structure with the larger amplitude, as in nature.
    light = texture(24, 50)
    for cells, amplitude in ((60, 45), (160, 40), (400, 34), (1000, 26)):
        light = ImageChops.add(light, texture(cells * width // 4000, amplitude), offset=-128)
    meadow = Image.merge(
        "RGB",
        [
            light.point(lambda v: 40 + v * 0.45),
            light.point(lambda v: 70 + v * 0.5),
            light.point(lambda v: 20 + v * 0.25),
        ],
    )
    land = Image.new("L", size, 0)
    hills = [(0, height)]
    for x in range(0, width + 1, max(1, width // 80)):
        y = height * 0.45 + height / 25 * math.sin(x / width * 7 + seed) + rng.randint(-10, 10)
        hills.append((x, int(y)))
    ImageDraw.Draw(land).polygon([*hills, (width, height)], fill=255)
    photo = Image.composite(meadow, sky, land.filter(ImageFilter.GaussianBlur(3)))
    draw = ImageDraw.Draw(photo)
    x = int(width * 0.08)
    while x < width * 0.9:  # houses with roofs and windows
        w, h = rng.randint(width // 14, width // 7), rng.randint(height // 6, height // 3)
        top, bottom = int(height * 0.62) - h, int(height * 0.7)
        draw.rectangle((x, top, x + w, bottom), fill=tuple(rng.randint(120, 230) for _ in "rgb"))
        draw.polygon(
            [(x - 10, top), (x + w // 2, top - h // 4), (x + w + 10, top)], fill=(150, 60, 40)
        )
        for wy in range(top + h // 10, int(height * 0.66), max(30, h // 6)):
            for wx in range(x + w // 12, x + w - w // 8, max(30, w // 5)):
                draw.rectangle(
                    (wx, wy, wx + w // 10, wy + h // 14),
                    fill=(40, 50, 60),
                    outline=(250, 250, 250),
                    width=max(2, width // 1000),
                )
        x += w + rng.randint(width // 40, width // 12)
    for i in range(5):  # people
        cx, cy, r = int(width * (0.15 + 0.17 * i)), int(height * 0.72), height // 30
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(224, 172, 140))
        clothes = tuple(rng.randint(20, 200) for _ in "rgb")
        draw.rounded_rectangle((cx - 2 * r, cy + r, cx + 2 * r, cy + 7 * r), radius=r, fill=clothes)
    sign = (int(width * 0.6), int(height * 0.15), int(width * 0.95), int(height * 0.25))
    draw.rectangle(sign, fill=(250, 250, 245), outline=(0, 80, 110), width=max(1, width // 300))
    draw.text(
        (int(width * 0.62), int(height * 0.165)),
        "Beirat tagt in Erfurt, 5. Sitzung",
        fill=(0, 60, 90),
        font_size=height // 28,
    )
    photo = photo.filter(ImageFilter.GaussianBlur(0.8 * width / 4000))
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).point(
        lambda v: 128 + (v - 128) // 12
    )
    photo = Image.merge("RGB", [ImageChops.add(band, grain, offset=-128) for band in photo.split()])
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()
