"""Benchmark: a large data set in PostgreSQL, `make serve`, and wrk at a fixed concurrency.

Fills the database named by DATABASE_URL (default: a koss_bench database on the local
PostgreSQL) with at least 5,000 partners, 10,000 articles and 500 meetings with 5,000 documents,
starts the production server, and measures each page with wrk three times: with the page and
fragment caches as in production, without the page cache (every request renders its page), and
without any cache. A static file served by WhiteNoise is the reference; the
table gives each page's rate as a ratio to it. Without the page cache, two floors are measured
too: what the middleware stack alone costs, and with one database query. The members' pages are
measured with the fragment cache and without any cache; the search with one word, several words,
one type's first page and a typing error. The machine's load (`/proc/loadavg`) is written beside
each figure, since a busy machine slows every page. All traffic stays on 127.0.0.1.

BENCH_PORT, DATABASE_URL, BENCH_REDIS_DB (default 5), BENCH_SECONDS and BENCH_OUTPUT let several
runs share a machine without sharing a server, a database or a cache.
"""

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from servers import start, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8088"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/koss_bench")
CONNECTIONS, THREADS, SECONDS = 8, 2, int(os.environ.get("BENCH_SECONDS", "5"))
WARM_UP_SECONDS = 1
# A busy machine may need long for migrate, collectstatic and four workers.
START_SECONDS = int(os.environ.get("BENCH_START_SECONDS", "300"))
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", ROOT / "var" / "bench.md"))
BASE = f"http://127.0.0.1:{PORT}"
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "5")
# Only the pages of these labels, separated by "|" (e.g. "/suche/?q=Sozialplanung|/"); the static
# file is always measured. Empty: every page.
ONLY = {label for label in os.environ.get("BENCH_ONLY", "").split("|") if label}

ENV = os.environ | {
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 60),
    "KOSS_ENCRYPTION_KEYS": os.environ.get(
        "KOSS_ENCRYPTION_KEYS", "aW5zZWN1cmUtdGVzdC1rZXktZm9yLXRlc3RzLW9ubHk="
    ),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_HTTPS": "0",
    "DJANGO_MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
    "DJANGO_LOG_LEVEL": "WARNING",
    "PORT": str(PORT),
}


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def generate():
    """Bulk content, created once per database."""
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koss.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from advisory_board.models import AgendaItem, Board, Document, Meeting
    from koss.core.cache import start_new_generation
    from koss.core.demo import demo_pdf
    from news.models import Article
    from partners.models import Partner, Region, Topic

    if Partner.objects.count() >= 5000:
        return
    regions = list(Region.objects.all())
    topics = list(Topic.objects.all())
    now = timezone.now()
    Partner.objects.bulk_create(
        Partner(
            name=f"Bench-Partner {n:05d} Sozialplanung",
            slug=f"bench-partner-{n:05d}",
            kind=["liga", "fachverband", "behoerde"][n % 3],
            level=["kommunal", "regional", "land"][n % 3],
            region=regions[n % len(regions)],
            summary=f"Organisation {n} im Netzwerk der kommunalen Sozialplanung.",
            cooperation="Zusammenarbeit zur Sozialplanung und Armutsprävention. " * 4,
            is_published=n % 20 != 0,
        )
        for n in range(5000)
    )
    through = Partner.topics.through
    through.objects.bulk_create(
        through(partner_id=pk, topic_id=topics[pk % len(topics)].pk)
        for pk in Partner.objects.filter(slug__startswith="bench-").values_list("pk", flat=True)
    )
    Article.objects.bulk_create(
        Article(
            kind=["meldung", "pressemitteilung", "veranstaltung"][n % 3],
            title=f"Bench-Meldung {n:05d} zur Sozialplanung",
            slug=f"bench-meldung-{n:05d}",
            teaser="Neues aus der Sozialplanung in Thüringen.",
            body="<p>Sozialplanung, Sozialraumorientierung und Armutsprävention.</p>" * 6,
            status="freigegeben",
            publish_at=now - timezone.timedelta(hours=n + 1),
        )
        for n in range(10000)
    )
    board = Board.objects.get(is_current=True)
    start = (
        Meeting.objects.filter(board=board)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    Meeting.objects.bulk_create(
        Meeting(
            board=board,
            number=start + n,
            starts_at=now - timezone.timedelta(days=7 * (n + 1)),
            location="Erfurt",
            status="stattgefunden",
            public_summary="Der Beirat beriet über Sozialplanung im ländlichen Raum.",
        )
        for n in range(500)
    )
    media = Path(ENV["DJANGO_MEDIA_ROOT"]) / "bench"
    media.mkdir(parents=True, exist_ok=True)
    pdf = demo_pdf("Bench-Dokument", ["Sitzungsunterlage für den Benchmark."])
    (media / "dokument.pdf").write_bytes(pdf)
    meetings = list(Meeting.objects.filter(board=board, number__gte=start))
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=p, title=f"TOP {p}")
        for meeting in meetings
        for p in range(1, 4)
    )
    Document.objects.bulk_create(
        Document(
            meeting=meeting,
            kind="protokoll",
            title=f"Unterlage {n}",
            visibility=["oeffentlich", "mitglieder"][n % 2],
            file="bench/dokument.pdf",
            content_type="application/pdf",
            size=len(pdf),
            published_at=now,
            changed_at=now,
        )
        for meeting in meetings
        for n in range(10)
    )
    call_command("update_search_index", verbosity=0)
    with connection.cursor() as cursor:
        # As autovacuum would after a bulk load; SQLite (scripts/profile_pages.py) analyses only.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    start_new_generation()


def member_cookie():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(BASE + "/konto/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "login": "mitglied@example.org",
            "password": "demo-koss-2014",
        }
    ).encode()
    opener.open(
        urllib.request.Request(
            BASE + "/konto/login/", data=data, headers={"Referer": BASE + "/konto/login/"}
        )
    )
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def chosen(pages):
    return [(label, path) for label, path in pages if not ONLY or label in ONLY]


def wrk(path, cookie=None):
    """Measure one page, after a second of warm-up that is not counted (cold workers, first fill)."""
    results = []
    for seconds in (WARM_UP_SECONDS, SECONDS):
        command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        command.append(BASE + path)
        results.append(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    output = results[-1]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(percentile):
        value, unit = re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    # Requests that took longer than wrk's timeout (2 s) are errors too: they have no latency.
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    failed = sum(int(match.group(1)) for match in (errors, timeouts) if match)
    return rate, latency(50), latency(99), failed, load()


def load():
    """The machine's load average over the last minute, as `uptime` shows it."""
    return float(Path("/proc/loadavg").read_text().split()[0])


# (label, page cache, fragment cache): with both caches as in production; pages rendered on every
# request, with the map and filter forms from the fragment cache; and with no cache at all.
MODES = [
    ("mit Seiten-Cache", True, True),
    ("ohne Seiten-Cache", False, True),
    ("ohne jeden Cache", False, False),
]


def serve(page_cache, fragment_cache=True):
    env = ENV | {
        "KOSS_PAGE_CACHE_SECONDS": "300" if page_cache else "0",
        "KOSS_FRAGMENT_CACHE_SECONDS": "300" if fragment_cache else "0",
    }
    if (
        shutil.which("redis-cli")
        and subprocess.run(["redis-cli", "ping"], capture_output=True).returncode == 0
    ):
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{REDIS_DB}"
        subprocess.run(["redis-cli", "-n", REDIS_DB, "flushdb"], capture_output=True)
    server = start(["make", "serve"], env)
    if not wait_for(BASE + "/health/", timeout=START_SECONDS):
        sys.exit("The server did not come up.")
    return server


def main():
    database = DATABASE_URL.rsplit("/", 1)[-1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], capture_output=True)
    manage("migrate", "--noinput", "-v0")
    manage("load_demo_content", "--force", "-v0")
    generate()
    from advisory_board.models import Meeting
    from news.models import Article
    from partners.models import Partner

    partner = Partner.objects.filter(slug__startswith="bench-", is_published=True).first()
    article = Article.objects.filter(slug__startswith="bench-").first()
    meeting = Meeting.objects.filter(status="geplant").first() or Meeting.objects.first()
    anonymous = [
        ("/", "/"),
        ("/partner/", "/partner/"),
        ("/partner/?kind=liga&region=erfurt", "/partner/?kind=liga&region=erfurt"),
        ("Partnerseite", partner.get_absolute_url()),
        ("/aktuelles/", "/aktuelles/"),
        ("Artikel", article.get_absolute_url()),
        ("/beirat/", "/beirat/"),
        ("/suche/?q=Sozialplanung", "/suche/?q=Sozialplanung"),
        (
            "/suche/ mit drei Wörtern",
            "/suche/?q=Sozialplanung+Armutspr%C3%A4vention+Th%C3%BCringen",
        ),
        ("/suche/, erste Seite der Beiträge", "/suche/?q=Sozialplanung&typ=beitrag"),
        ("/suche/ mit Tippfehler", "/suche/?q=Sozialplannung"),
        ("/aktuelles/feed/", "/aktuelles/feed/"),
    ]
    members = [
        ("/beirat/intern/ (Mitglied)", "/beirat/intern/"),
        ("Sitzung (Mitglied)", meeting.get_absolute_url()),
    ]
    # What any page rendered by Django costs at least: the whole middleware stack with a view
    # that renders no template (robots.txt), and with one database query (/health/).
    floors = [
        ("Untergrenze: /robots.txt, ohne Datenbank und Vorlage", "/robots.txt"),
        ("Untergrenze: /health/, eine Datenbankabfrage", "/health/"),
    ]
    rows = []
    for mode, page_cache, fragment_cache in MODES:
        server = serve(page_cache, fragment_cache)
        try:
            html = urllib.request.urlopen(BASE + "/").read().decode()
            static = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html).group(1)
            reference = wrk(static)
            rows.append((f"Statische Datei ({mode})", *reference, 1.0))
            for label, path in chosen(anonymous):
                result = wrk(path)
                rows.append((f"{label} ({mode})", *result, result[0] / reference[0]))
            if not page_cache:
                for label, path in chosen(floors):
                    result = wrk(path)
                    rows.append((f"{label} ({mode})", *result, result[0] / reference[0]))
            # Members' pages are never stored whole: with the fragment cache and without any.
            if page_cache or not fragment_cache:
                cookie = member_cookie()
                for label, path in chosen(members):
                    result = wrk(path, cookie)
                    suffix = "" if page_cache else f" ({mode})"
                    rows.append((label + suffix, *result, result[0] / reference[0]))
        finally:
            stop(server)

    lines = [
        f"wrk, {THREADS} Threads, {CONNECTIONS} Verbindungen, je {WARM_UP_SECONDS} s Aufwärmen und "
        f"{SECONDS} s Messung, PostgreSQL, make serve",
        "",
        "| Seite | Anfragen/s | p50 ms | p99 ms | Fehler | Verhältnis zur statischen Datei "
        "| Last (1 min) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {label} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {errors} | {ratio:.2f} | {load:.2f} |"
        for label, rate, p50, p99, errors, load, ratio in rows
    ]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nGeschrieben nach {OUTPUT}")


if __name__ == "__main__":
    main()
