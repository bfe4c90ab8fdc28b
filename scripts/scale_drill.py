"""Scale-out drill: two app instances, one task worker, and what they share.

Starts, all on 127.0.0.1: a local S3-compatible server (moto's server mode), an SMTP server,
two instances of `make serve` (A and B) on one PostgreSQL database and one Redis, and one
`manage.py db_worker`. Then it checks, with requests against both instances, the claims a
deployment on several machines rests on, prints one line per claim and, last, "N/N claims hold".
Exits non-zero if a claim fails.
"""

import asyncio
import http.cookiejar
import logging
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

import servers
from servers import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/koss_scale_drill")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4")
PASSWORD = "demo-koss-2014"  # the demo accounts' password
STAFF, MEMBER = "redaktion@example.org", "mitglied@example.org"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


PORT_A, PORT_B, S3_PORT, SMTP_PORT = (free_port() for _ in range(4))
A, B = f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}"
ENV = os.environ | {
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DJANGO_SECRET_KEY": "scale-drill-" + "x" * 50,
    "KOSS_ENCRYPTION_KEYS": "aW5zZWN1cmUtdGVzdC1rZXktZm9yLXRlc3RzLW9ubHk=",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "0",
    "KOSS_BASE_URL": A,
    "KOSS_S3_BUCKET": "koss-drill",
    "KOSS_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
    "KOSS_S3_REGION": "eu-central-1",
    "KOSS_S3_ACCESS_KEY_ID": "drill",
    "KOSS_S3_SECRET_ACCESS_KEY": "drill-secret",
    "AWS_ACCESS_KEY_ID": "drill",
    "AWS_SECRET_ACCESS_KEY": "drill-secret",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": str(SMTP_PORT),
    "EMAIL_USE_TLS": "0",
    "KOSS_MAIL_RETRY_SECONDS": "2",
    "KOSS_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "WORKERS": "2",
}
os.environ.update(ENV)
logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP server's own chatter
os.environ["DJANGO_SETTINGS_MODULE"] = "koss.settings"


# --- the servers ----------------------------------------------------------------------------


class Mailbox:
    """What the SMTP server accepted, recipient by recipient; `delay` seconds per message."""

    def __init__(self):
        self.received, self.delay, self.controller = [], 0.0, None

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


def start(command, env=None):
    return servers.start(command, ENV | (env or {}))


def wait_for(url):
    if not servers.wait_for(url):
        raise SystemExit(f"{url} did not answer")


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def worker():
    return start([sys.executable, "manage.py", "db_worker", "--interval", "0.2"])


# --- a browser without a screen ---------------------------------------------------------------


class Inputs(HTMLParser):
    """The named fields of the page's forms with their values."""

    def __init__(self):
        super().__init__()
        self.fields, self.select = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "checkbox"):
            self.fields.setdefault(name, attrs.get("value") or "")
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields.setdefault(name, attrs.get("value") or "on")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read()

    def get(self, url):
        return self.request(url)

    def csrf(self):
        return next(c.value for c in self.jar if c.name.endswith("csrftoken"))

    def post(self, url, fields, files=None, referer=None):
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        headers = {"Referer": referer or url}
        if files:
            boundary = uuid.uuid4().hex
            body = b""
            for name, value in fields.items():
                for item in value if isinstance(value, list) else [value]:
                    body += (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                        f"\r\n\r\n{item}\r\n"
                    ).encode()
            for name, (filename, content) in files.items():
                body += (
                    (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
                    ).encode()
                    + content
                    + b"\r\n"
                )
            body += f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(url, body, headers)

    def form(self, url):
        _, _, page = self.get(url)
        parser = Inputs()
        parser.feed(page.decode())
        return parser.fields

    def log_in(self, base, email, password=PASSWORD):
        self.get(f"{base}/konto/login/")
        status, where, page = self.post(
            f"{base}/konto/login/", {"login": email, "password": password}
        )
        if "/2fa/authenticate/" in where:
            from tests.factories import current_totp_code

            status, where, page = self.post(where, {"code": current_totp_code(TOTP_SECRET)})
        return status, where, page


# --- the claims ---------------------------------------------------------------------------------


def claim_upload_a_download_b(staff, member):
    from advisory_board.models import Document, Meeting
    from koss.core.demo import demo_pdf

    meeting = Meeting.objects.order_by("-starts_at").first()
    content = demo_pdf("Vorlage aus dem Drill", ["Hochgeladen über Instanz A."])
    url = f"{A}/verwaltung/advisory_board/document/add/"
    fields = staff.form(url)
    fields.update(
        {
            "meeting": str(meeting.pk),
            "kind": "sonstiges",
            "title": "Vorlage aus dem Drill",
            "visibility": "mitglieder",
            "published_at_0": "01.01.2020",
            "published_at_1": "10:00:00",
        }
    )
    _, _, page = staff.post(url, fields, files={"file": ("vorlage.pdf", content)})
    document = Document.objects.filter(title="Vorlage aus dem Drill").first()
    if document is None:
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.decode(), re.S)
        return False, f"the upload through A was not saved: {errors}"
    import boto3

    bucket = boto3.client("s3", endpoint_url=ENV["KOSS_S3_ENDPOINT_URL"])
    keys = [
        item["Key"]
        for item in bucket.list_objects_v2(Bucket=ENV["KOSS_S3_BUCKET"]).get("Contents", [])
    ]
    in_bucket = any(key.endswith(document.file.name) for key in keys)
    status, _, body = member.get(f"{B}{document.get_absolute_url()}")
    ok = in_bucket and status == 200 and body == content
    return ok, f"stored in the bucket: {in_bucket}; download through B: {status}, {len(body)} bytes"


def claim_edit_a_shows_on_cached_b(staff):
    from partners.models import Partner

    partner = Partner.objects.published().order_by("pk").first()
    page_url = f"{B}{partner.get_absolute_url()}"
    visitor = Browser()
    visitor.get(page_url)
    visitor.get(page_url)  # now stored in the shared page cache
    new_name = f"{partner.name} (geändert {uuid.uuid4().hex[:6]})"
    change = f"{A}/verwaltung/partners/partner/{partner.pk}/change/"
    fields = staff.form(change)
    fields["name"] = new_name
    staff.post(change, fields)
    saved = Partner.objects.get(pk=partner.pk).name == new_name
    _, _, page = visitor.get(page_url)
    shown = new_name.encode() in page
    return saved and shown, f"edit saved through A: {saved}; anonymous page on B shows it: {shown}"


def claim_session_a_valid_on_b():
    member = Browser()
    member.log_in(A, MEMBER)
    status, where, page = member.get(f"{B}/beirat/intern/")
    ok = status == 200 and where.endswith("/beirat/intern/") and b"Mitgliederbereich" in page
    return ok, f"members' area on B with the login from A: {status} {where}"


def claim_one_limit_for_failed_logins():
    # allauth allows 5 failed logins per address in 5 minutes: 3 through A, 3 through B.
    email = "ehemalig@example.org"
    texts = []
    for base in (A, A, A, B, B, B):
        browser = Browser()
        browser.get(f"{base}/konto/login/")
        _, _, page = browser.post(f"{base}/konto/login/", {"login": email, "password": "falsch"})
        texts.append("Zu viele" in page.decode())
    return texts == [False] * 5 + [True], f"sixth failed login blocked: {texts}"


def publish(staff, title):
    """A new document on the latest meeting, published through A with the notice to members."""
    from django.core.files.base import ContentFile

    from advisory_board.models import Document, Meeting
    from koss.core.demo import demo_pdf

    meeting = Meeting.objects.order_by("-starts_at").first()
    Document.objects.create(
        meeting=meeting,
        title=title,
        kind="sonstiges",
        visibility="mitglieder",
        file=ContentFile(demo_pdf(title, []), name="drill.pdf"),
    )
    url = f"{A}/verwaltung/advisory_board/meeting/"
    staff.get(url)
    waiting = meeting.documents.filter(notified_at__isnull=True).exclude(visibility="redaktion")
    return staff.post(
        url,
        {
            "action": "publish_documents",
            "_selected_action": str(meeting.pk),
            "bestaetigt": "1",
            "dokument": [str(pk) for pk in waiting.values_list("pk", flat=True)],
        },
    )


def add_members(count):
    """More members with a login on the current board, so that a notice is several mails."""
    import datetime

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from advisory_board.models import Board, Membership, Person

    board = Board.objects.get(is_current=True)
    for number in range(count):
        email = f"drill{number:02d}@example.org"
        user = get_user_model().objects.create_user(username=email, email=email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        person = Person.objects.create(
            first_name="Drill", last_name=f"Mitglied {number}", email=email, user=user
        )
        Membership.objects.create(
            person=person, board=board, role="mitglied", starts_on=datetime.date(2014, 10, 6)
        )


def wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return condition()


def recipients_of(subject_part):
    from koss.models import Mail

    return Mail.objects.filter(subject__contains=subject_part)


def claim_mail_waits_for_the_mail_server(staff, mailbox):
    from koss.models import Mail

    mailbox.stop()
    Mail.objects.all().delete()
    mailbox.received.clear()
    publish(staff, "Drill: Server weg")
    mails = Mail.objects.all()
    wait_until(lambda: mails.exists() and all(m.attempts >= 1 for m in mails), 30)
    failed_first = mails.exists() and all(m.status == "wartet" for m in mails)
    mailbox.start()
    wait_until(lambda: not mails.filter(status="wartet").exists(), 60)
    expected = sorted(mails.values_list("recipient", flat=True))
    ok = failed_first and expected and sorted(mailbox.received) == expected
    return ok, (
        f"{len(expected)} mail(s) waited while the server was away, then "
        f"{len(mailbox.received)} delivered, {len(set(mailbox.received))} distinct recipients"
    )


def claim_stopped_worker_loses_no_mail(staff, mailbox, processes):
    from koss.models import Mail

    Mail.objects.all().delete()
    mailbox.received.clear()
    mailbox.delay = 0.5
    publish(staff, "Drill: Worker weg")
    mails = Mail.objects.all()
    wait_until(lambda: len(mailbox.received) >= 1, 30)
    stop(processes["worker"])  # SIGTERM: the mail in hand is finished
    sent_before = len(mailbox.received)
    waiting = mails.filter(status="wartet").count()
    processes["worker"] = worker()
    wait_until(lambda: not mails.filter(status="wartet").exists(), 60)
    expected = sorted(mails.values_list("recipient", flat=True))
    ok = waiting > 0 and sorted(mailbox.received) == expected
    mailbox.delay = 0
    return ok, (
        f"worker stopped after {sent_before} of {len(expected)}, {waiting} waiting; "
        f"a new worker delivered the rest, each recipient once: {ok}"
    )


def main():
    import boto3

    database = DATABASE_URL.rsplit("/", 1)[-1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database])
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    moto = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(S3_PORT)]
    processes = {"s3": start(moto)}
    mailbox = Mailbox()
    mailbox.start()
    try:
        wait_for(f"http://127.0.0.1:{S3_PORT}/moto-api/")
        boto3.client(
            "s3",
            endpoint_url=ENV["KOSS_S3_ENDPOINT_URL"],
            region_name=ENV["KOSS_S3_REGION"],
        ).create_bucket(
            Bucket=ENV["KOSS_S3_BUCKET"],
            CreateBucketConfiguration={"LocationConstraint": ENV["KOSS_S3_REGION"]},
        )
        manage("migrate", "--noinput", "-v0")
        manage("load_demo_content", "--force", "-v0")
        import django

        django.setup()
        from allauth.mfa.totp.internal.auth import TOTP
        from django.contrib.auth import get_user_model

        TOTP.activate(get_user_model().objects.get(email=STAFF), TOTP_SECRET)
        add_members(12)
        for name, port in (("a", PORT_A), ("b", PORT_B)):  # one after the other: both migrate
            processes[name] = start(["make", "serve"], env={"PORT": str(port)})
            wait_for(f"http://127.0.0.1:{port}/health/")
        processes["worker"] = worker()

        staff, member = Browser(), Browser()
        staff.log_in(A, STAFF)
        member.log_in(B, MEMBER)
        claims = [
            (
                "a file uploaded through A is downloaded through B",
                lambda: claim_upload_a_download_b(staff, member),
            ),
            (
                "an edit through A is visible at once on a cached page of B",
                lambda: claim_edit_a_shows_on_cached_b(staff),
            ),
            ("a login session made on A is valid on B", claim_session_a_valid_on_b),
            (
                "failed logins through A and B count against one limit",
                claim_one_limit_for_failed_logins,
            ),
            (
                "a notification queued while the mail server is down is delivered once it is back, "
                "exactly once per recipient",
                lambda: claim_mail_waits_for_the_mail_server(staff, mailbox),
            ),
            (
                "stopping the worker mid-run loses no mail",
                lambda: claim_stopped_worker_loses_no_mail(staff, mailbox, processes),
            ),
        ]
        held = 0
        for text, check in claims:
            try:
                ok, detail = check()
            except Exception as error:  # a claim that crashes does not hold
                ok, detail = False, f"{type(error).__name__}: {error}"
            held += bool(ok)
            print(f"{'holds' if ok else 'FAILS'}  {text} – {detail}", flush=True)
        print(f"{held}/{len(claims)} claims hold")
        return 0 if held == len(claims) else 1
    finally:
        for process in processes.values():
            stop(process)
        if mailbox.controller:
            mailbox.stop()


if __name__ == "__main__":
    sys.exit(main())
