import os

import pytest
from django.core.management import call_command

from .factories import login_as, make_staff, make_user


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Tests run with the production static storage, which needs the hashed-file manifest."""
    call_command("collectstatic", interactive=False, verbosity=0)


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


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    """Rate-limit counters and used TOTP codes live in the cache; each test starts afresh, with
    the cache taken as reachable."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    monkeypatch.setattr("koss.core.cache_backend._unavailable_until", 0.0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing with production strength costs half a second per user; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
