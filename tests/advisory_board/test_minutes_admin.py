"""Staff approve minutes in the back office and read the members' comments there; the meeting
page's queries stay the same however many comments and versions a draft gathers."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisory_board.models import MinutesComment

from ..factories import NO_EARLIER_VERSIONS, make_document
from .conftest import VISITORS
from .test_minutes import DRAFT, held  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

CHANGELIST = "/verwaltung/advisory_board/document/"
COMMENTS = "/verwaltung/advisory_board/minutescomment/"


def approve_action(client, *documents):
    return client.post(
        CHANGELIST,
        {"action": "approve_minutes", "_selected_action": [d.pk for d in documents]},
        follow=True,
    )


def change_form_data(document, **changes):
    return {
        "meeting": document.meeting_id,
        "agenda_item": "",
        "kind": document.kind,
        "title": document.title,
        "visibility": document.visibility,
        "published_at_0": "01.01.2020",
        "published_at_1": "10:00:00",
        "approval_item": document.approval_item_id or "",
        "approved_on": "",
        **NO_EARLIER_VERSIONS,
        **changes,
    }


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url", [CHANGELIST, COMMENTS])
def test_only_staff_reach_the_minutes_in_the_back_office(login, held, visitor, url):  # noqa: F811
    response = login(visitor).get(url)
    if visitor == "staff":
        assert response.status_code == 200
        assert "Vertraulicher Hinweis" in response.content.decode() or url == CHANGELIST
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_the_action_approves_on_the_day_of_the_approving_meeting(login, world, held):  # noqa: F811
    world["meeting"].starts_at = timezone.now() - datetime.timedelta(days=2)
    world["meeting"].save()
    invitation = make_document(world["meeting"], "Einladung", kind="einladung")
    content = approve_action(login("staff"), held["draft"], invitation).content.decode()
    assert "1 Protokoll als genehmigt markiert." in content
    assert "1 Dokument übergangen: kein Protokollentwurf." in content
    held["draft"].refresh_from_db()
    assert held["draft"].approved_on == timezone.localdate(world["meeting"].starts_at)
    invitation.refresh_from_db()
    assert invitation.approved_on is None


def test_the_action_leaves_minutes_whose_approving_meeting_lies_ahead(login, world, held):  # noqa: F811
    # The world's meeting, where the minutes are up for approval, lies ahead: the same rule as
    # the change form's, no approval before the meeting that approves.
    content = client_after_filtered_approval(login("staff"), held["draft"])
    assert "als genehmigt markiert" not in content
    assert (
        "Protokoll der 4. Sitzung: Ein Protokoll kann nicht vor der Sitzung genehmigt werden, "
        "in der es zur Genehmigung steht" in content
    )
    held["draft"].refresh_from_db()
    assert held["draft"].approved_on is None


def test_the_action_approves_the_rest_beside_one_it_must_leave(login, world, held):  # noqa: F811
    later = make_document(held["meeting"], "Zweites Protokoll", approval_item=None)
    content = approve_action(login("staff"), held["draft"], later).content.decode()
    assert "1 Protokoll als genehmigt markiert." in content
    assert "Protokoll der 4. Sitzung: Ein Protokoll kann nicht vor der Sitzung" in content
    later.refresh_from_db()
    held["draft"].refresh_from_db()
    assert later.approved_on == timezone.localdate()
    assert held["draft"].approved_on is None


def client_after_filtered_approval(client, draft):
    """The action run from the list filtered to drafts, which no longer holds the draft after."""
    return client.post(
        f"{CHANGELIST}?protokoll=entwurf",
        {"action": "approve_minutes", "_selected_action": [draft.pk]},
        follow=True,
    ).content.decode()


def test_the_action_approves_today_without_an_approval_item(login, held):  # noqa: F811
    held["draft"].approval_item = None
    held["draft"].save()
    approve_action(login("staff"), held["draft"])
    held["draft"].refresh_from_db()
    assert held["draft"].approved_on == timezone.localdate()


def test_changelist_shows_and_filters_the_status(login, held):  # noqa: F811
    client = login("staff")
    assert DRAFT in client.get(CHANGELIST).content.decode()
    held["draft"].approved_on = timezone.localdate()
    held["draft"].save()
    approved = client.get(CHANGELIST, {"protokoll": "genehmigt"}).content.decode()
    assert "Protokoll der 4. Sitzung" in approved and "genehmigt am" in approved
    drafts = client.get(CHANGELIST, {"protokoll": "entwurf"}).content.decode()
    assert "Protokoll der 4. Sitzung" not in drafts


def test_change_form_shows_the_comments_and_records_the_approval(login, world, held):  # noqa: F811
    world["meeting"].starts_at = timezone.now() - datetime.timedelta(days=2)
    world["meeting"].save()
    client = login("staff")
    url = f"{CHANGELIST}{held['draft'].pk}/change/"
    assert "Vertraulicher Hinweis" in client.get(url).content.decode()
    date = timezone.localdate()
    response = client.post(
        url, change_form_data(held["draft"], approved_on=date.strftime("%d.%m.%Y"))
    )
    assert response.status_code == 302
    held["draft"].refresh_from_db()
    assert held["draft"].approved_on == date


def test_change_form_refuses_an_approval_before_the_approving_meeting(login, world, held):  # noqa: F811
    # The world's meeting, which approves the minutes, lies ahead; today is after the minuted one.
    data = change_form_data(held["draft"], approved_on=timezone.localdate().strftime("%d.%m.%Y"))
    response = login("staff").post(f"{CHANGELIST}{held['draft'].pk}/change/", data)
    assert response.status_code == 200
    assert "Ein Protokoll kann nicht vor der Sitzung genehmigt werden, in der es zur" in (
        response.content.decode()
    )
    held["draft"].refresh_from_db()
    assert held["draft"].approved_on is None


def test_change_form_offers_only_later_meetings_of_the_board_for_approval(login, world, held):  # noqa: F811
    form = login("staff").get(f"{CHANGELIST}{held['draft'].pk}/change/").context["adminform"].form
    assert list(form.fields["approval_item"].queryset) == [held["item"]]


def test_change_form_refuses_a_new_file_for_approved_minutes(login, held):  # noqa: F811
    held["draft"].approved_on = timezone.localdate()
    held["draft"].save()
    data = change_form_data(
        held["draft"],
        approved_on=timezone.localdate().strftime("%d.%m.%Y"),
        file=ContentFile(b"%PDF-1.4 neu", name="neu.pdf"),
    )
    response = login("staff").post(f"{CHANGELIST}{held['draft'].pk}/change/", data)
    assert response.status_code == 200
    assert "Ein genehmigtes Protokoll wird nicht ersetzt." in response.content.decode()
    held["draft"].refresh_from_db()
    assert held["draft"].version == 1


def test_comments_cannot_be_added_or_changed_in_the_back_office(login, held):  # noqa: F811
    client = login("staff")
    assert client.get(f"{COMMENTS}add/").status_code == 403
    change = client.post(f"{COMMENTS}{held['comment'].pk}/change/", {"text": "Geändert"})
    assert change.status_code == 403
    held["comment"].refresh_from_db()
    assert held["comment"].text.startswith("Bitte TOP 3")


def grow(world, draft, count):
    """The draft with `count` comments and `count` earlier versions."""
    MinutesComment.objects.bulk_create(
        MinutesComment(document=draft, person=world["people"]["member"], text=f"K{n}", version=1)
        for n in range(count)
    )
    for n in range(count):
        draft.file = ContentFile(b"%PDF-1.4 " + str(n).encode(), name=f"f{n}.pdf")
        draft.save()


# Session, user, the user's person and boards, the meeting with the reply and the summary rule,
# the documents with those up for approval here, the agenda, the comments, news, attendance,
# decisions and tasks; staff read the earlier versions and the replies as well.
MEETING_PAGE_QUERIES = {"member": 10, "staff": 12}


@pytest.mark.parametrize("visitor", ["member", "staff"])
def test_meeting_page_queries_stay_constant_as_comments_and_versions_grow(
    login,
    world,
    held,  # noqa: F811
    visitor,
):
    client = login(visitor)
    url = held["meeting"].get_absolute_url()
    counts = []
    for count in (10, 100):
        grow(world, held["draft"], count - held["draft"].comments.count())
        client.get(url)  # a first view records the visit
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.content.decode().count('class="comment"') == count
        counts.append(len(captured))
    assert counts == [MEETING_PAGE_QUERIES[visitor]] * 2, counts
