"""Every link in every mail of the board's quarterly cycle lands, after at most a login, on what
it names: the invitation, the notice of new documents with the meeting and its calendar entry,
the password reset, and whatever else the portal has put into its mail queue by then.

The links are read from every mail delivered (text and HTML), so a mail added to the cycle is
covered without a change here. Each link is opened by its recipient logged out (and,
where the portal asks for it, logged in right there) and logged in.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from advisory_board.models import Document, Meeting, Membership, Person

from ..factories import (
    login_staff,
    make_board,
    make_document,
    make_meeting,
    make_member,
    make_staff,
    make_user,
    publish_and_notify,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORDS = {
    "mitglied@example.org": "correct-horse-battery",
    "nora@example.org": "noras-eigenes-passwort-2026",
}
LOGIN_PATH = "/konto/login/"
URL = re.compile(r"https?://[^\s\"'<>]+")


def account(email):
    user = make_user(email, password=PASSWORDS[email])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@dataclass
class Landing:
    """What the browser ends up with after opening an address: a page or a downloaded file."""

    path: str = ""
    status: int = 0
    download: object = None


def new_page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def wait_for_landing(page, downloads, left_path):
    """After a navigation that may end in a download (which leaves the page as it was)."""
    for _attempt in range(200):
        if downloads:
            return Landing(download=downloads[0])
        if urlsplit(page.url).path != left_path:
            return None
        page.wait_for_timeout(50)
    return None


def open_address(page, url):
    """Open the address as a click in a mail program does."""
    downloads = []

    def keep(download):
        downloads.append(download)

    page.on("download", keep)
    try:
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" not in error.message:
                raise
            landing = wait_for_landing(page, downloads, urlsplit(page.url).path)
            assert landing is not None, f"{url}: neither a page nor a file"
            return landing
        return Landing(path=urlsplit(page.url).path, status=response.status)
    finally:
        page.remove_listener("download", keep)


def log_in_here(page, email):
    """Log in on the login page the browser shows; what the portal leads to afterwards."""
    downloads = []

    def keep(download):
        downloads.append(download)

    page.on("download", keep)
    try:
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill(PASSWORDS[email])
        with page.expect_response(lambda response: response.request.method == "POST"):
            page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()
        landing = wait_for_landing(page, downloads, LOGIN_PATH)
        if landing is not None:
            return landing
        return Landing(path=urlsplit(page.url).path, status=200)
    finally:
        page.remove_listener("download", keep)


def login_offered(page, path):
    """The page's own link to the login that leads back to this page, if it has one."""
    for link in page.locator("main a[href]").all():
        href = urlsplit(link.get_attribute("href"))
        if href.path == LOGIN_PATH and parse_qs(href.query).get("next") == [path]:
            return link
    return None


def file_of(landing):
    with open(landing.download.path(), "rb") as handle:
        return landing.download.suggested_filename, handle.read()


def missing(page, landing, url, email, logged_in):
    """What is wrong with where the link led, or None when it shows what it names."""
    path = urlsplit(url).path or "/"
    if landing.download is None:
        if landing.status >= 400:
            return f"Status {landing.status}"
        if logged_in and landing.path == LOGIN_PATH:
            return "asks for the login again"
        if landing.path != path and not path.startswith("/konto/password/reset/key/"):
            return f"ended at {landing.path}"
    try:
        match = resolve(path)
    except Resolver404:
        return "no such address"
    name, kwargs = match.view_name, match.kwargs
    if name == "advisory_board:document":
        if landing.download is None:
            return "no file"
        document = Document.objects.get(pk=kwargs["pk"])
        with document.file.open("rb") as handle:
            expected = handle.read()
        if file_of(landing) != (document.download_name, expected):
            return "another file"
    elif name in {
        "advisory_board:calendar",
        "advisory_board:meeting_calendar",
        "advisory_board:personal_calendar",
    }:
        if landing.download is None or b"BEGIN:VEVENT" not in file_of(landing)[1]:
            return "no calendar entry"
    elif name in {"advisory_board:zip", "advisory_board:book"}:
        if landing.download is None:
            return "no file"
    elif landing.download is not None:
        return "a file instead of a page"
    elif name == "advisory_board:meeting":
        meeting = Meeting.objects.get(pk=kwargs["pk"])
        heading = page.get_by_role("heading", level=1).inner_text()
        if heading != f"{meeting.number}. Sitzung des Beirats":
            return "another meeting"
        member = (
            Membership.objects.current()
            .filter(board=meeting.board, person__user__email=email)
            .exists()
        )
        if (
            member
            and meeting.is_upcoming
            and not page.get_by_role("button", name="Antwort senden").count()
        ):
            return "no reply form"
    elif name == "advisory_board:members":
        if "Mitgliederbereich" not in page.get_by_role("heading", level=1).inner_text():
            return "not the members' area"
    elif name == "account_reset_password_from_key":
        if not page.get_by_label("Neues Passwort", exact=True).count():
            return "no form for the new password"
    elif not page.get_by_role("heading", level=1).count():
        return "an empty page"
    return None


def run_board_cycle(live_server):
    """The mails of a quarter, sent as the portal sends them: the Redaktion invites a new
    member, publishes the meeting's documents and reminds those who have not replied; a member
    asks for a new password."""
    staff = Client()
    login_staff(staff, make_staff())
    nora = Person.objects.get(email="nora@example.org")
    staff.post(
        "/verwaltung/advisory_board/person/",
        {"action": "send_invitation", "_selected_action": [nora.pk]},
    )
    meeting = Meeting.objects.get(number=9)
    publish_and_notify(staff, meeting)
    staff.post(f"/verwaltung/advisory_board/meeting/{meeting.pk}/erinnern/")
    Client().post("/konto/password/reset/", {"email": "mitglied@example.org"})


def links_in_mails():
    """(recipient, subject, link) for every link of every mail delivered, each once. The queue
    keeps no login link once a mail is delivered, so the links are read as the recipients got
    them."""
    seen = {}
    for message in mail.outbox:
        html_bodies = [content for content, kind in message.alternatives if kind == "text/html"]
        text = message.body + "\n" + html.unescape("\n".join(html_bodies))
        for recipient in message.to:
            for link in URL.findall(text):
                seen.setdefault((recipient, link.rstrip(".,;:)")), message.subject)
    return [(recipient, subject, link) for (recipient, link), subject in seen.items()]


@pytest.fixture
def quarter(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KOSS_BASE_URL = live_server.url
    board = make_board(is_current=True)
    make_member(board, account("mitglied@example.org"), first_name="Maria", last_name="Mitglied")
    # Invited anew by the Redaktion (her first link expired after she had set a password).
    make_member(board, account("nora@example.org"), first_name="Nora", last_name="Neu")
    meeting = make_meeting(board, number=9)
    for title, kind, visibility in [
        ("Einladung zur 9. Sitzung", "einladung", "mitglieder"),
        ("Protokoll der 8. Sitzung", "protokoll", "mitglieder"),
        ("Präsentation Sozialstrukturatlas", "praesentation", "oeffentlich"),
    ]:
        make_document(meeting, title, kind=kind, visibility=visibility, released=False)


def test_every_link_in_every_mail_lands(live_server, browser, quarter, capsys):
    # Logged in before the mails go out, as a member reading them in the members' area would
    # be: a login afterwards would use up the links to set a password.
    logged_in = {}
    for email in PASSWORDS:
        page = new_page(browser)
        page.goto(f"{live_server.url}{LOGIN_PATH}")
        assert log_in_here(page, email).path == "/beirat/intern/"
        logged_in[email] = page

    run_board_cycle(live_server)
    links = links_in_mails()
    subjects = {subject for _recipient, subject, _link in links}
    assert any("Einladung" in subject for subject in subjects), subjects
    assert any("Neue Unterlagen" in subject for subject in subjects), subjects
    assert any("Passwort" in subject for subject in subjects), subjects
    assert any("Erinnerung" in subject for subject in subjects), subjects
    assert all(link.startswith(live_server.url) for _recipient, _subject, link in links), links
    assert {recipient for recipient, _subject, _link in links} <= set(PASSWORDS)

    dead_ends = []
    for email, subject, link in links:
        page = logged_in[email]
        reason = missing(page, open_address(page, link), link, email, logged_in=True)
        if reason:
            dead_ends.append(f"angemeldet: {subject}: {link}: {reason}")

    # Logged out: first everything that opens without a login (a login would use up the links
    # to set a password), then, each in a browser of its own, what asks for one.
    to_log_in, cookies = [], []
    for email, subject, link in links:
        page = new_page(browser)
        landing = open_address(page, link)
        # Privacy: on the way to the login and on public pages a visitor gets no cookie; the
        # account pages (the login's form, the new password's) keep theirs.
        if not (landing.path or urlsplit(link).path).startswith("/konto/"):
            cookies += [(link, cookie["name"]) for cookie in page.context.cookies()]
        if landing.download is None and landing.path == LOGIN_PATH:
            to_log_in.append((email, subject, link))
        elif missing(page, landing, link, email, logged_in=False):
            if login_offered(page, urlsplit(link).path):
                to_log_in.append((email, subject, link))
            else:
                reason = missing(page, landing, link, email, logged_in=False)
                dead_ends.append(f"abgemeldet: {subject}: {link}: {reason}")
        page.context.close()
    for email, subject, link in to_log_in:
        page = new_page(browser)
        landing = open_address(page, link)
        if landing.download is None and landing.path != LOGIN_PATH:
            login_offered(page, urlsplit(link).path).click()
            page.wait_for_url(f"**{LOGIN_PATH}**")
        landing = log_in_here(page, email)
        reason = missing(page, landing, link, email, logged_in=True)
        if reason:
            dead_ends.append(f"nach der Anmeldung: {subject}: {link}: {reason}")
        page.context.close()
    for page in logged_in.values():
        page.context.close()

    with capsys.disabled():
        print(f"\n{len(links)} links in {len(mail.outbox)} mails, dead ends: {len(dead_ends)}")
        for dead_end in dead_ends:
            print("  " + dead_end)
    assert dead_ends == []
    assert cookies == []
