"""The revision history of content: every admin save recorded with who and when, two versions
compared, one restored (with its agenda items or attachments), a deleted object recovered, the
public page following a restore, old versions pruned, and all of it for staff only."""

import datetime

import pytest
import reversion
import time_machine
from django.contrib.admin.utils import quote
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from advisory_board.models import AgendaItem, Document, Meeting, Person
from koss.models import Page
from news.models import Article, Attachment
from partners.models import Partner

from ..factories import (
    form_data,
    login_as,
    make_article,
    make_board,
    make_document,
    make_meeting,
    make_member,
    make_partner,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db


def admin_url(obj, name, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def save_in_admin(client, obj, **changes):
    url = admin_url(obj, "change", quote(obj.pk))
    data = {**form_data(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if (response.context) else response
    )
    obj.refresh_from_db()
    return obj


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


# The models whose history the admin keeps, each with a text field staff change.
SUBJECTS = {
    "page": (lambda: Page.objects.get(slug="ueber-uns"), "title"),
    "partner": (lambda: make_partner("Partner mit Verlauf"), "name"),
    "article": (lambda: make_article("Beitrag mit Verlauf"), "title"),
    "meeting": (lambda: make_meeting(make_board()), "location"),
    "document": (lambda: make_document(make_meeting(make_board()), "Protokoll"), "title"),
    "person": (lambda: make_member(make_board(), last_name="Muster"), "last_name"),
}


@pytest.fixture
def subject(request, db):
    make, field = SUBJECTS[request.param]
    return make(), field


@pytest.mark.parametrize("subject", SUBJECTS, indirect=True)
def test_admin_saves_are_recorded_compared_and_restored(db, staff_client, staff_user, subject):
    obj, field = subject
    save_in_admin(staff_client, obj, **{field: "Erste Fassung"})
    save_in_admin(staff_client, obj, **{field: "Zweite Fassung"})
    newer, older = versions_of(obj)[:2]
    assert older.field_dict[field] == "Erste Fassung"
    assert newer.revision.user == staff_user
    assert newer.revision.date_created <= timezone.now()

    history = staff_client.get(admin_url(obj, "history", quote(obj.pk))).content.decode()
    assert history.index(f'value="{newer.pk}"') < history.index(f'value="{older.pk}"')
    assert staff_user.get_username() in history

    compare = staff_client.get(
        admin_url(obj, "compare", quote(obj.pk)), {"a": older.pk, "b": newer.pk}
    )
    assert compare.status_code == 200
    assert "<del>Erste</del><ins>Zweite</ins> Fassung" in compare.content.decode()

    revision = admin_url(obj, "revision", quote(obj.pk), older.pk)
    form = staff_client.get(revision)
    obj.refresh_from_db()
    assert getattr(obj, field) == "Zweite Fassung", "looking at a version changes nothing"
    response = staff_client.post(revision, form_data(form))
    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Erste Fassung"
    assert len(versions_of(obj)) == 3, "the restore is itself recorded"


# The site's pages are never deleted: the admin offers neither deleting nor adding one.
@pytest.mark.parametrize("subject", [name for name in SUBJECTS if name != "page"], indirect=True)
def test_a_deleted_object_is_recovered(db, staff_client, subject):
    obj, field = subject
    save_in_admin(staff_client, obj, **{field: "Vor dem Löschen"})
    model, pk, name = type(obj), obj.pk, str(obj)
    response = staff_client.post(admin_url(obj, "delete", quote(pk)), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=pk).exists()

    listing = staff_client.get(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_recoverlist")
    )
    deleted = Version.objects.get_deleted(model).get(object_id=str(pk))
    assert name in listing.content.decode()
    recover = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_recover", args=[deleted.pk]
    )
    response = staff_client.post(recover, form_data(staff_client.get(recover)))
    assert response.status_code == 302
    assert getattr(model.objects.get(pk=pk), field) == "Vor dem Löschen"


def test_a_meeting_is_restored_with_its_agenda(staff_client):
    meeting = make_meeting(make_board())
    AgendaItem.objects.create(meeting=meeting, position=1, title="Begrüßung")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Haushalt")
    save_in_admin(staff_client, meeting)
    first = versions_of(meeting)[0]
    meeting.agenda_items.filter(position=2).delete()
    AgendaItem.objects.create(meeting=meeting, position=2, title="Verschiedenes")
    save_in_admin(staff_client, meeting, location="Landtag, Erfurt")

    compare = staff_client.get(
        admin_url(meeting, "compare", meeting.pk), {"a": first.pk, "b": versions_of(meeting)[0].pk}
    ).content.decode()
    assert str(AgendaItem._meta.verbose_name_plural) in compare
    assert "<del>" in compare and "Haushalt" in compare and "Verschiedenes" in compare

    revision = admin_url(meeting, "revision", meeting.pk, first.pk)
    assert staff_client.post(revision, form_data(staff_client.get(revision))).status_code == 302
    meeting.refresh_from_db()
    assert meeting.location == "Staatskanzlei, Erfurt"
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Begrüßung", "Haushalt"]


def test_an_article_is_restored_with_its_attachments(staff_client, settings, tmp_path):
    from django.core.files.base import ContentFile

    article = make_article("Mit Anhang")
    Attachment.objects.create(
        article=article, title="Studie", file=ContentFile(b"%PDF-1.4 a", name="studie.pdf")
    )
    save_in_admin(staff_client, article)
    first = versions_of(article)[0]
    article.attachments.all().delete()
    save_in_admin(staff_client, article, title="Ohne Anhang")

    compare = staff_client.get(
        admin_url(article, "compare", article.pk), {"a": first.pk, "b": versions_of(article)[0].pk}
    ).content.decode()
    assert "<del>Studie</del>" in compare

    revision = admin_url(article, "revision", article.pk, first.pk)
    assert staff_client.post(revision, form_data(staff_client.get(revision))).status_code == 302
    assert list(article.attachments.values_list("title", flat=True)) == ["Studie"]


def test_rich_text_is_compared_as_readable_text(staff_client):
    page = Page.objects.get(slug="ueber-uns")
    save_in_admin(staff_client, page, body="<h2>Auftrag</h2><p>KOSS <strong>berät</strong>.</p>")
    save_in_admin(staff_client, page, body="<h2>Auftrag</h2><p>KOSS <strong>vernetzt</strong>.</p>")
    newer, older = versions_of(page)[:2]
    content = staff_client.get(
        admin_url(page, "compare", page.pk), {"a": older.pk, "b": newer.pk}
    ).content.decode()
    assert "<del>berät.</del><ins>vernetzt.</ins>" in content
    assert "&lt;strong&gt;" not in content and "<strong>berät" not in content


def test_comparing_needs_two_versions_and_says_so(staff_client):
    page = Page.objects.get(slug="ueber-uns")
    save_in_admin(staff_client, page, title="Über uns")
    only = versions_of(page)[0]
    response = staff_client.get(
        admin_url(page, "compare", page.pk), {"a": only.pk, "b": "x"}, follow=True
    )
    assert "Bitte wählen Sie zwei verschiedene Fassungen aus." in response.content.decode()


@pytest.mark.parametrize("name", ["page", "article"])
def test_a_restore_brings_back_the_public_page_through_the_caches(staff_client, settings, name):
    settings.KOSS_PAGE_CACHE_SECONDS = 300
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    obj = Page.objects.get(slug="ueber-uns") if name == "page" else make_article("Alt")
    visitor = Client()
    save_in_admin(staff_client, obj, title="Der alte Titel")
    save_in_admin(staff_client, obj, title="Der neue Titel")
    url = obj.get_absolute_url()
    assert "Der neue Titel" in visitor.get(url).content.decode()
    assert "Der neue Titel" in visitor.get(url).content.decode(), "kept, served from the cache"

    older = versions_of(obj)[1]
    revision = admin_url(obj, "revision", obj.pk, older.pk)
    assert staff_client.post(revision, form_data(staff_client.get(revision))).status_code == 302
    content = visitor.get(url).content.decode()
    assert "Der alte Titel" in content
    assert "Der neue Titel" not in content


def test_admin_actions_join_the_history(staff_client, staff_user):
    partner = make_partner("Stiller Partner", is_published=False)
    changelist = reverse("admin:partners_partner_changelist")
    staff_client.post(
        changelist + "?is_published__exact=0",
        {"action": "publish", "_selected_action": [partner.pk]},
    )
    version = versions_of(partner)[0]
    assert version.field_dict["is_published"] is True
    assert version.revision.user == staff_user
    assert version.revision.get_comment() == "Veröffentlicht."

    article = make_article("Entwurf", status=Article.Status.DRAFT)
    staff_client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    assert versions_of(article)[0].field_dict["status"] == Article.Status.PUBLISHED


def test_approving_minutes_records_the_documents_metadata(staff_client):
    meeting = make_meeting(make_board(), days_ahead=-10, status="stattgefunden")
    draft = make_document(meeting, "Protokoll")
    staff_client.post(
        reverse("admin:advisory_board_document_changelist"),
        {"action": "approve_minutes", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.approved_on is not None
    assert versions_of(draft)[0].field_dict["approved_on"] == draft.approved_on


def test_old_versions_are_pruned_after_the_retention(settings, db):
    settings.KOSS_HISTORY_DAYS = 30
    page = Page.objects.get(slug="ueber-uns")
    start = timezone.now()
    with time_machine.travel(start, tick=False), reversion.create_revision():
        reversion.add_to_revision(page)
    later = time_machine.travel(start + datetime.timedelta(days=20), tick=False)
    with later, reversion.create_revision():
        reversion.add_to_revision(page)
    with time_machine.travel(start + datetime.timedelta(days=30, minutes=1), tick=False):
        call_command("prune_history", verbosity=0)
    assert Revision.objects.count() == 1
    assert versions_of(page)[0].revision.date_created == start + datetime.timedelta(days=20)


@pytest.mark.parametrize(
    "who", ["anonymous", "member", "former_member", "other_board", "staff_without_second_factor"]
)
def test_history_is_for_staff_after_the_second_factor(client, db, settings, who):
    settings.KOSS_REQUIRE_STAFF_2FA = True
    page = Page.objects.get(slug="ueber-uns")
    with reversion.create_revision():
        reversion.add_to_revision(page)
    version = versions_of(page)[0]
    board = make_board()
    if who == "member":
        make_member(board, make_user("mitglied@example.org"))
    elif who == "former_member":
        make_member(board, make_user("ehemalig@example.org"), ends_on=datetime.date(2016, 1, 1))
    elif who == "other_board":
        make_member(make_board("Anderer Beirat"), make_user("anders@example.org"))
    if who == "staff_without_second_factor":
        client.force_login(make_staff())
    elif who != "anonymous":
        client.force_login(Person.objects.get().user)
    urls = [
        admin_url(page, "history", page.pk),
        admin_url(page, "compare", page.pk) + f"?a={version.pk}&b={version.pk}",
        admin_url(page, "revision", page.pk, version.pk),
        reverse("admin:partners_partner_recoverlist"),
        reverse("admin:partners_partner_recover", args=[version.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/verwaltung/" not in response.url or "login" in response.url


def test_staff_with_the_second_factor_see_the_history(db):
    staff = make_staff()
    client = login_as(Client(), staff)
    page = Page.objects.get(slug="ueber-uns")
    save_in_admin(client, page, title="Über uns")
    assert client.get(admin_url(page, "history", page.pk)).status_code == 200
    assert client.get(reverse("admin:partners_partner_recoverlist")).status_code == 200


def test_restoring_a_person_keeps_the_login_and_the_record_of_visits(staff_client):
    person = make_member(make_board(), make_user("person@example.org"), last_name="Alt")
    save_in_admin(staff_client, person, last_name="Neu")
    older = versions_of(person)[0]
    visited = timezone.now()
    Person.objects.filter(pk=person.pk).update(last_visit_at=visited)
    revision = admin_url(person, "revision", person.pk, older.pk)
    save_in_admin(staff_client, person, last_name="Neuer")
    assert staff_client.post(revision, form_data(staff_client.get(revision))).status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Neu"
    assert person.user.email == "person@example.org"
    assert person.last_visit_at == visited


def test_meeting_and_document_history_is_kept_apart_from_replies(db):
    """Replies and attendance are the members' record, not content: a restore never touches them."""
    assert reversion.is_registered(Meeting) and reversion.is_registered(AgendaItem)
    assert reversion.is_registered(Document) and reversion.is_registered(Person)
    from advisory_board.models import Attendance, Reply

    assert not reversion.is_registered(Reply)
    assert not reversion.is_registered(Attendance)
    assert reversion.is_registered(Partner) and reversion.is_registered(Attachment)
