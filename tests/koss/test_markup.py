"""Valid markup: the Nu Html Checker (vnu.jar, from the npm package vnu-jar) finds no error on
one page of every type, public and for members, with the demo content. All pages go to one run
of the checker: the Java machine starts once.

The checker is installed on first use into a cache directory (npm, Java 17 or newer); without
npm or Java the test fails, it never skips."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from advisory_board.models import Meeting

VNU_VERSION = "26.9.27"
CACHE = (
    Path(os.environ.get("KOSS_TOOLS_CACHE", Path.home() / ".cache" / "koss-portal"))
    / f"vnu-jar-{VNU_VERSION}"
)
VNU_JAR = CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PUBLIC_PAGES = [
    "/",
    "/partner/",
    "/partner/?region=erfurt",
    "/partner/liga-thueringen/",
    "/ueber-uns/",
    "/datenschutz/",
    "/aktuelles/",
    "/aktuelles/fachtag-sozialraumorientierung-demo/",
    "/aktuelles/beirat-fuer-sozialplanung-konstituiert/",
    "/beirat/",
    "meeting 1",
    "/suche/?q=Sozialplanung",
    "/gibt-es-nicht/",
    "/konto/login/",
    "/konto/password/reset/",
    "/konto/signup/",
]
MEMBER_PAGES = [
    "/beirat/intern/",
    "meeting 9",
    # The draft of the minutes with its comments.
    "meeting 8",
    "/konto/password/change/",
    "/konto/2fa/",
    "/konto/email/",
]


@pytest.fixture(scope="session")
def vnu_jar():
    """The checker's jar, installed with npm into the cache on first use."""
    if not VNU_JAR.exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install the Nu Html Checker (vnu-jar)"
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(CACHE),
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                f"vnu-jar@{VNU_VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    assert VNU_JAR.exists(), f"npm did not install {VNU_JAR}"
    java = shutil.which("java")
    assert java, "Java (17 or newer) is needed to run the Nu Html Checker"
    return java, VNU_JAR


def validate(java, jar, directory):
    """The checker's errors for every .html file in the directory, in one run."""
    result = subprocess.run(
        [
            java,
            "-Xss1m",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            *sorted(str(path) for path in directory.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    assert result.returncode in (0, 1), result.stderr
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


@pytest.mark.django_db
def test_every_page_type_is_valid_html(vnu_jar, tmp_path):
    call_command("load_demo_content", "--force", verbosity=0)
    visitor, member = Client(), Client()
    member.force_login(get_user_model().objects.get(email="mitglied@example.org"))
    pages = [(visitor, path) for path in PUBLIC_PAGES] + [(member, p) for p in MEMBER_PAGES]
    names = {}
    for number, (client, path) in enumerate(pages):
        if path.startswith("meeting "):
            # By its number in the demo board: the database chooses the ids.
            path = Meeting.objects.get(number=int(path.split()[1])).get_absolute_url()
        response = client.get(path)
        assert response.status_code == (404 if path == "/gibt-es-nicht/" else 200), path
        name = f"page-{number:02d}.html"
        (tmp_path / name).write_bytes(response.content)
        names[name] = path

    # A page with a known error in the same run: a checker that checks nothing cannot pass.
    (tmp_path / "zz-canary.html").write_text(
        '<!DOCTYPE html><html lang="de"><title>x</title><p><ul><li>x</li></ul></span></p>'
    )

    errors = validate(*vnu_jar, tmp_path)

    canary = [m for m in errors if m.get("url", "").endswith("zz-canary.html")]
    assert canary, "the checker did not report the known error"
    found = [
        f"{names.get(Path(m.get('url', '')).name, m.get('url'))}: {m['message']}"
        f" ({m.get('extract', '').strip()[:80]})"
        for m in errors
        if m not in canary
    ]
    assert found == []
