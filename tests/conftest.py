import dataclasses
import itertools
import os
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from .factories import login_as, make_staff, make_user

# Collected static files, kept between test runs in the tools' cache (as the markup checker is).
STATIC_CACHE = (
    Path(os.environ.get("KOSS_TOOLS_CACHE", Path.home() / ".cache" / "koss-portal")) / "static"
)


def static_sources_key():
    """A digest of everything collectstatic's output depends on: every file the finders find, in
    their order, the storage and the versions of Django and WhiteNoise."""
    import hashlib
    from importlib.metadata import version

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for part in (
        version("django"),
        version("whitenoise"),
        settings.STATIC_URL,
        repr(settings.STORAGES["staticfiles"]),
    ):
        digest.update(part.encode() + b"\0")
    for finder in get_finders():
        for path, storage in finder.list([]):
            digest.update(path.encode() + b"\0")
            with storage.open(path) as source:
                digest.update(hashlib.sha256(source.read()).digest())
    return digest.hexdigest()[:32]


def collect_static_once():
    """The static files as the production storage collects them (hashed names, manifest,
    compressed copies): collected on the first run, then reused while no source changes, since
    post-processing costs a quarter of a minute per process. The directory is only read."""
    from django.test import override_settings

    root = STATIC_CACHE / static_sources_key()
    if (root / "staticfiles.json").exists():
        return root
    STATIC_CACHE.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=STATIC_CACHE))
    with override_settings(STATIC_ROOT=building):
        call_command("collectstatic", interactive=False, verbosity=0)
    try:
        building.rename(root)
    except OSError:
        # Another process (an xdist worker) finished the same collection first.
        shutil.rmtree(building)
    return root


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Tests run with the production static storage, which needs the hashed-file manifest.

    Under pytest-xdist each worker process keeps its caches in a directory of its own: one
    worker's cache.clear() never meets another's."""
    from django.conf import settings
    from django.test import override_settings

    overrides = {"STATIC_ROOT": collect_static_once()}
    if os.environ.get("PYTEST_XDIST_WORKER"):
        own = tmp_path_factory.mktemp("worker")
        if not os.environ.get("REDIS_URL"):
            # The shared store is a table in the worker's own test database already.
            overrides["CACHES"] = {
                **settings.CACHES,
                "pages": {**settings.CACHES["pages"], "LOCATION": str(own / "cache" / "pages")},
            }
    with override_settings(**overrides):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files of a test go to its own directory, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def tasks_at_once(settings):
    """Background tasks run at once, as under `make run`: a mail is in mail.outbox when the code
    that sends it returns. tests/koss/test_mail_queue.py runs them through the database queue and
    its worker, as in production."""
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Mail goes through the queue as in production (Django's test set-up replaces
    # EMAIL_BACKEND); it is delivered into mail.outbox.
    settings.EMAIL_BACKEND = "koss.mail.QueuedEmailBackend"
    settings.KOSS_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    failed = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failed.append((task_result.task.name, task_result.errors))

    # A task's exception is recorded by the backend, not raised: it must still fail the test.
    task_finished.connect(record, weak=False)
    yield
    task_finished.disconnect(record)
    assert failed == [], failed


# `make test` runs the view tests a second time with the caches as in production.
CACHES_ON = os.environ.get("KOSS_TEST_CACHES") == "on"
# With the caches on, a public page first reads the content generation from the database (the
# shared store): one query more than the same page rendered with the caches off.
GENERATION_READ = 1 if CACHES_ON else 0


@pytest.fixture(autouse=True)
def page_caches(settings):
    """Most tests change data through the ORM between requests, where production changes it
    through the admin, whose every save starts a new content generation. With the caches off,
    every page is rendered; with KOSS_TEST_CACHES=on, they are on as in production and every
    write through the ORM starts a new generation, as a staff edit would. tests/test_caching.py
    turns them on itself, without that help."""
    if not CACHES_ON:
        settings.KOSS_PAGE_CACHE_SECONDS = 0
        settings.KOSS_FRAGMENT_CACHE_SECONDS = 0
        yield
        return
    from django.db.models.signals import post_delete, post_save

    from koss.core.cache import start_new_generation

    def as_a_staff_edit(**kwargs):
        start_new_generation()

    settings.KOSS_PAGE_CACHE_SECONDS = 300
    settings.KOSS_FRAGMENT_CACHE_SECONDS = 300
    for signal in (post_save, post_delete):
        signal.connect(as_a_staff_edit, dispatch_uid="tests-staff-edit")
    yield
    for signal in (post_save, post_delete):
        signal.disconnect(dispatch_uid="tests-staff-edit")


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def empty_cache(request, monkeypatch):
    """Rate-limit counters and used TOTP codes live in the cache; each test starts afresh, with
    the cache taken as reachable. The shared store is a table: a test without the database cannot
    reach it, so there is nothing of it to empty."""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    uses_database = request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
        request.fixturenames
    )
    for alias in settings.CACHES:
        if uses_database or not isinstance(caches[alias], DatabaseCache):
            caches[alias].clear()
    monkeypatch.setattr("koss.core.cache_backend._unavailable_until", 0.0)


# Hashing with production strength costs half a second per user; tests need no strength.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture
def staff_user(db):
    return make_staff()


@pytest.fixture
def member_user(db):
    return make_user("mitglied@example.org")


@pytest.fixture
def former_member_user(db):
    return make_user("ehemalig@example.org")


@pytest.fixture(params=["anonymous", "member", "former_member"])
def non_staff_client(request, client, db):
    """A client as each visitor who is not staff: the rules of public pages hold for all of them."""
    if request.param != "anonymous":
        login_as(client, request.getfixturevalue(f"{request.param}_user"))
    return client


@pytest.fixture(params=["anonymous", "member", "former_member", "staff"])
def any_client(request, client, db):
    """A client as each kind of visitor, staff included."""
    if request.param != "anonymous":
        user = request.getfixturevalue(
            "staff_user" if request.param == "staff" else f"{request.param}_user"
        )
        login_as(client, user)
    client.visitor = request.param
    return client


@pytest.fixture
def staff_client(client, staff_user):
    login_as(client, staff_user)
    return client


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


# --- Uploaded files in S3-compatible object storage -------------------------------------------
# moto's server stands in for the object store: a real HTTP server on 127.0.0.1 that boto3 talks
# to as to any S3, started once per session and only when a test asks for it. Its failure to
# start fails those tests; nothing is skipped.

S3_REGION = "eu-central-1"
S3_ACCESS_KEY = "koss-test-key"
S3_SECRET_KEY = "koss-test-secret"
S3_START_SECONDS = 60
_buckets = itertools.count(1)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "local_disk: runs with files on the local disk only (see storage_backend)"
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url):
    try:
        urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 - a local http:// URL
    except urllib.error.HTTPError:
        return True  # an answer, if not a welcome one
    except OSError:
        return False
    return True


@dataclasses.dataclass
class S3Server:
    endpoint_url: str

    def client(self):
        """A boto3 client of its own, to look into buckets past the portal's storage."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=S3_REGION,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
        )


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3-compatible server on a free port of 127.0.0.1, for the whole session."""
    port = free_port()
    endpoint_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("moto") / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + S3_START_SECONDS
        while not _answers(f"{endpoint_url}/moto-api/"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"moto's S3 server did not start on {endpoint_url}:\n"
                    + log_path.read_text(errors="replace")[-4000:],
                    pytrace=False,
                )
            time.sleep(0.1)
        yield S3Server(endpoint_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclasses.dataclass
class Bucket:
    name: str
    client: object

    def objects(self):
        """Every object's key and content, read with boto3 straight from the server."""
        keys = [
            item["Key"]
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
            for item in page.get("Contents", [])
        ]
        return {
            key: self.client.get_object(Bucket=self.name, Key=key)["Body"].read() for key in keys
        }

    def empty(self):
        for key in self.objects():
            self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """Uploaded files go into a new bucket of moto's server, configured as production configures
    it: koss/settings.py runs again with the KOSS_S3_* variables, and its default storage
    replaces the local disk's for the test (Django's setting_changed handler drops the cached
    storages, so every FileField's default_storage follows)."""
    from django.core.files.storage import default_storage
    from storages.backends.s3 import S3Storage

    name = f"koss-test-{next(_buckets)}"
    client = s3_server.client()
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    with monkeypatch.context() as environment:
        for variable, value in {
            "KOSS_S3_BUCKET": name,
            "KOSS_S3_ENDPOINT_URL": s3_server.endpoint_url,
            "KOSS_S3_REGION": S3_REGION,
            "KOSS_S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "KOSS_S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        }.items():
            environment.setenv(variable, value)
        configured = runpy.run_path(str(Path(settings.BASE_DIR) / "koss" / "settings.py"))
    settings.STORAGES = {**settings.STORAGES, "default": configured["STORAGES"]["default"]}
    # The switch took effect where the models look: their fields' storage is default_storage.
    assert default_storage.bucket_name == name
    assert isinstance(default_storage._wrapped, S3Storage)
    return Bucket(name, client)


@pytest.fixture
def storage_backend(request):
    """Runs a test with the files on the local disk and again in object storage: a module opts in
    with `pytest.mark.usefixtures("storage_backend")`, a test marked `local_disk` keeps to the
    disk."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param


def pytest_generate_tests(metafunc):
    if "storage_backend" in metafunc.fixturenames:
        local_only = metafunc.definition.get_closest_marker("local_disk") is not None
        metafunc.parametrize(
            "storage_backend", ["local"] if local_only else ["local", "s3"], indirect=True
        )


# The access matrix of every page: who may come, in every situation the portal knows.
ACCESS_MATRIX = [
    "anonymous",
    "member",
    "former_member",
    "other_board_member",
    "staff_without_second_factor",
    "staff",
]


@pytest.fixture(params=ACCESS_MATRIX)
def matrix_client(request, client, settings, db):
    """A client as each visitor of the access matrix; `client.visitor` names which. Staff
    without the second factor logged in, but did not pass it in this session."""
    import datetime

    from .factories import make_board, make_member

    visitor = request.param
    client.visitor = visitor
    settings.KOSS_REQUIRE_STAFF_2FA = True
    if visitor == "anonymous":
        return client
    if visitor.startswith("staff"):
        user = make_staff()
        if visitor == "staff":
            return login_as(client, user)
        client.force_login(user)
        return client
    board, other_board = make_board(is_current=True), make_board("Anderer Beirat")
    user = make_user(f"{visitor.replace('_', '-')}@example.org")
    if visitor == "member":
        make_member(board, user)
    elif visitor == "former_member":
        make_member(board, user, ends_on=datetime.date(2016, 10, 5))
    else:
        make_member(other_board, user)
    return login_as(client, user)
