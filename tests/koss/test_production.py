"""The production profile: headers, check --deploy, and a server that refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 60 + "production-like-secret-key-for-the-check",
    "DJANGO_ALLOWED_HOSTS": "koss.example.org",
    "KOSS_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItY2hlY2shISE=",
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "1",
}


def manage(*args, env):
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KOSS_ENCRYPTION_KEYS"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production_database(tmp_path_factory):
    """A database of its own, migrated: the legal pages hold the first content's placeholders."""
    url = f"sqlite:///{tmp_path_factory.mktemp('production') / 'db.sqlite3'}"
    result = manage("migrate", "--noinput", env=PRODUCTION | {"DATABASE_URL": url})
    assert result.returncode == 0, result.stdout + result.stderr
    return url


def test_check_deploy_warns_while_legal_pages_hold_placeholders(production_database):
    result = manage("check", "--deploy", env=PRODUCTION | {"DATABASE_URL": production_database})
    assert "(koss.W002) Die Seite „Impressum“ (/impressum/) enthält noch Platzhaltertext." in (
        result.stderr
    )


def test_check_deploy_reports_nothing(production_database):
    from .test_checks import COMPLETE

    environment = PRODUCTION | {"DATABASE_URL": production_database}
    fill_in = "; ".join(
        f"Page.objects.filter(slug={slug!r}).update(body={body!r})"
        for slug, body in COMPLETE.items()
    )
    result = manage("shell", "-c", f"from koss.models import Page; {fill_in}", env=environment)
    assert result.returncode == 0, result.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "KOSS_ENCRYPTION_KEYS", "DJANGO_ALLOWED_HOSTS"]
)
def test_server_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_a_key_that_is_no_fernet_key_is_refused():
    result = manage("check", env=PRODUCTION | {"KOSS_ENCRYPTION_KEYS": "zu-kurz"})
    assert result.returncode != 0
    assert "KOSS_ENCRYPTION_KEYS holds a key that is not a Fernet key" in result.stderr


def test_with_debug_on_a_key_is_derived_without_configuration():
    result = manage(
        "shell",
        "-c",
        "from koss.core import secrets; print(secrets.decrypt(secrets.encrypt('geheim')))",
        env={"DJANGO_DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "geheim"


@pytest.mark.django_db
def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_https_profile_redirects_and_uses_host_cookies(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/partner/").status_code == 301
    assert client.get("/partner/", headers={"X-Forwarded-Proto": "https"}).status_code == 200


def test_production_cookie_names():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        env=PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "31536000",
    ], result.stderr


@pytest.mark.django_db
def test_messages_live_in_the_session_not_in_a_cookie(client, member_user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=member_user, email=member_user.email, verified=True, primary=True
    )
    response = client.post(
        "/konto/login/", {"login": member_user.email, "password": "correct-horse-battery"}
    )
    assert "messages" not in response.cookies
    assert set(response.cookies) <= {"sessionid", "csrftoken"}


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, "1"), ({"KOSS_TRUSTED_PROXY_COUNT": "2"}, "2"), ({"DJANGO_HTTPS": "0"}, "0")],
)
def test_logins_count_per_client_behind_the_configured_proxies(environment, expected):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        env=PRODUCTION | environment,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
