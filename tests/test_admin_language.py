"""No English in the back office: every admin page the Redaktion uses, and the admin's
JavaScript catalogue, read in German (Django's and the packages' catalogues, completed by our
own in locale/de)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import django_prose_editor
import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from advisory_board.models import AgendaItem, DatePoll, DownloadLog, MinutesComment, WrittenVote
from koss.mail import deliver
from koss.models import Mail, Term
from news.models import Attachment, PressListSend, Subscription
from partners.models import OpenDataLicence

from .factories import (
    make_article,
    make_board,
    make_document,
    make_meeting,
    make_member,
    make_partner,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.django_db

# Words that give English away, compared in lower case; none of them is a German word an
# admin page uses ("Filter", "Link", "Status", "Name" and "Code" are German too).
ENGLISH = set(
    re.findall(
        r"\w+",
        """
        the and of to by this is are you your with for from not all none yes no unknown
        add added change changed delete deleted save search select selected choose chosen
        remove available history home today now cancel show hide clear currently back edit
        update insert view site log out recent action actions object objects go
        heading paragraph bold italic undo redo blockquote unordered ordered fullscreen toggle
        password permissions groups users user email verified primary type created used
        task tasks result results queue priority enqueued started finished exception
        traceback worker run after return value args kwargs backend database path date time
        """,
    )
)


class VisibleText(HTMLParser):
    """The words a person sees or hears: text, and the attributes read out or shown on hover."""

    SPOKEN = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.hidden += 1
        attrs = dict(attrs)
        for name in self.SPOKEN & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_in(html):
    parser = VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for word in re.findall(r"[A-Za-z]+", part):
            if word.lower() in ENGLISH:
                found.append(f"{word!r} in {' '.join(part.split())[:100]!r}")
    return sorted(set(found))


@pytest.fixture
def content(staff_user, settings):
    """One record of every model the admin shows, so that every change form renders."""
    parent = make_partner("Dachverband der Träger")
    make_partner("Kreisliga Gotha", parent=parent, topics=[make_topic("Sozialraumorientierung")])
    board = make_board(is_current=True)
    person = make_member(board, make_user("mitglied@example.org"), last_name="Muster")
    meeting = make_meeting(board, number=9)
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung")
    document = make_document(meeting, "Protokoll der 9. Sitzung", agenda_item=item)
    meeting.replies.create(person=person, answer="ja")
    meeting.attendance.create(person=person, status="anwesend")
    meeting.outcomes.create(text="Einen Sozialstrukturatlas erstellen", agenda_item=item)
    poll = DatePoll.objects.create(
        board=board, title="Termin der 10. Sitzung", answer_until=meeting.starts_at.date()
    )
    option = poll.options.create(starts_at=meeting.starts_at + meeting.INTERVAL)
    option.answers.create(person=person, answer="notfalls")
    DownloadLog.objects.create(document=document, user=staff_user, version=1)
    MinutesComment.objects.create(
        document=document, person=person, text="Bitte TOP 1 ergänzen.", version=1
    )
    # A written vote, counted (without its result mail: the one mail here is the failed one).
    vote = WrittenVote.objects.create(
        board=board,
        title="Stellungnahme",
        motion="Der Beirat stimmt zu.",
        started_at=timezone.now(),
    )
    vote.ballots.create(person=person, choice="ja")
    vote.close(timezone.now(), on_close=lambda counted: None)
    article = make_article("KOSS lädt ein")
    Attachment.objects.create(
        article=article, title="Pressemitteilung", file=document.file.name, size=10
    )
    Mail.objects.create(
        recipient="mitglied@example.org",
        from_email="portal@example.org",
        subject="Neue Dokumente",
        body="Guten Tag",
        status=Mail.Status.FAILED,
    )
    Group.objects.create(name="Redaktion")
    Term.objects.create(
        name="Sozialplanung", slug="sozialplanung", explanation="Planung für die Menschen vor Ort."
    )
    Subscription.objects.create(
        email="presse@example.org",
        token="zeichen",
        consent_text="Ich möchte die Pressemitteilungen erhalten.",
        signed_up_at=article.publish_at,
    )
    PressListSend.objects.create(article=article, recipients=1)
    OpenDataLicence.objects.create(
        name="Datenlizenz Deutschland – Namensnennung – 2.0", attribution="KOSS Thüringen"
    )
    LogEntry.objects.log_actions(
        staff_user.pk, [article], ADDITION, change_message=[{"added": {}}], single_object=True
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver.enqueue(Mail.objects.get().pk)


MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_pages(request):
    """Changelist, add and change form of every registered ModelAdmin."""
    for model, model_admin in MODEL_ADMINS:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request):
            yield reverse("admin:{}_{}_add".format(*info))
        instance = model._default_manager.order_by("pk").first()
        assert instance is not None, f"no {model._meta.label} to show"
        yield reverse("admin:{}_{}_change".format(*info), args=[instance.pk])
        yield reverse("admin:{}_{}_history".format(*info), args=[instance.pk])


def test_every_admin_page_reads_in_german(staff_client, staff_user, rf, content):
    request = rf.get("/verwaltung/")
    request.user = staff_user
    pages = [
        "/verwaltung/",
        "/verwaltung/partners/",
        reverse("admin:password_change"),
        *admin_pages(request),
    ]
    english = {}
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        if found := english_in(response.content.decode()):
            english[url] = found
    assert english == {}


def test_the_partner_list_filtered_and_searched_reads_in_german(staff_client, content):
    response = staff_client.get(
        reverse("admin:partners_partner_changelist"), {"q": "Liga", "kind__exact": "liga"}
    )
    assert english_in(response.content.decode()) == []


def messages_of_scripts(paths):
    """The msgids a script asks gettext, ngettext or interpolate(gettext(…)) for."""
    found = set()
    call = re.compile(r"""\bn?gettext\(\s*(['"])((?:\\.|(?!\1).)*)\1""")
    for path in paths:
        for match in call.finditer(Path(path).read_text()):
            found.add(match.group(2).replace("\\'", "'").replace('\\"', '"'))
    return found


ADMIN_SCRIPTS = [
    *Path(django.__file__).parent.glob("contrib/admin/static/admin/js/*.js"),
    *Path(django.__file__).parent.glob("contrib/admin/static/admin/js/admin/*.js"),
    # Our own scripts for the admin, the editor's German menu among them.
    *Path(settings.BASE_DIR).glob("static/koss/admin/*.js"),
]


def prose_editor_messages():
    """The editor ships minified; its source map holds the readable sources."""
    static = Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor"
    source_map = json.loads((static / "editor.js.map").read_text())
    found = set()
    call = re.compile(r"""\bgettext\(\s*(['"])((?:\\.|(?!\1).)*)\1""")
    for name, source in zip(source_map["sources"], source_map["sourcesContent"], strict=True):
        if name.startswith("src/") and source:
            found |= {match.group(2) for match in call.finditer(source)}
    return found


def test_the_admin_javascript_catalogue_translates_every_message(staff_client):
    response = staff_client.get(reverse("admin:jsi18n"))
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", response.text, re.S)[1])
    wanted = messages_of_scripts(ADMIN_SCRIPTS) | prose_editor_messages()
    assert len(wanted) > 50
    missing = sorted(message for message in wanted if not catalogue.get(message))
    assert missing == []
