"""Where a page's time goes: Python (cProfile), SQL (each query's time, EXPLAIN ANALYZE of the
slowest on PostgreSQL) and the templates, for the pages `make bench` measures.

Runs in this process with Django's test client against the database of DATABASE_URL (the bench's
data set: run `make bench` once first) and the settings of production (DEBUG off). Members' pages
are opened as the demo member. Usage:

    DATABASE_URL=postgres://…/koss_bench scripts/profile_pages.py [path …]

Writes var/profile.md (BENCH_PROFILE_OUTPUT) and prints it. The load of the machine is written
beside each page: other processes slow the wall-clock times, not the query counts or the plans.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_PROFILE_ROUNDS", "20"))
OUTPUT = Path(os.environ.get("BENCH_PROFILE_OUTPUT", ROOT / "var" / "profile.md"))
TOP = 12

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koss.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("KOSS_ENCRYPTION_KEYS", "aW5zZWN1cmUtdGVzdC1rZXktZm9yLXRlc3RzLW9ubHk=")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
sys.path.insert(0, str(ROOT))


def load():
    return Path("/proc/loadavg").read_text().split()[0]


def default_pages():
    from advisory_board.models import Meeting

    meeting = Meeting.objects.filter(status="geplant").first() or Meeting.objects.first()
    return [
        ("/beirat/intern/", True),
        (meeting.get_absolute_url(), True),
        ("/suche/?q=Sozialplanung", False),
        ("/suche/?q=Sozialplanung+Armutspr%C3%A4vention+Th%C3%BCringen", False),
        ("/suche/?q=Sozialplanung&typ=beitrag", False),
        ("/suche/?q=Sozialplannung", False),
        ("/", False),
        ("/aktuelles/", False),
    ]


def profile(client, path, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm: the fragment cache filled, the first connection made
        assert client.get(path).status_code == 200, path
    started = time.perf_counter()
    for _ in range(ROUNDS):
        client.get(path)
    wall = (time.perf_counter() - started) / ROUNDS * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(ROUNDS):
        client.get(path)
    profiler.disable()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    lines = [
        f"## {path}{' (Mitglied)' if member else ''}",
        "",
        f"{wall:.1f} ms je Anfrage (Mittel aus {ROUNDS}), {len(queries)} Abfragen zusammen "
        f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms; Last (1 min) {load()}",
        "",
        "Python, nach eigener Zeit:",
        "```",
    ]
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(TOP)
    lines += [line for line in out.getvalue().splitlines() if line.strip()][-TOP - 1 :]
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(
        r"template/base.py.*\(render\)|sql/compiler.py.*"
        r"\(execute_sql\)|middleware|views"
    )
    lines += ["```", "", "Kumuliert (Vorlagen, SQL, Middleware, Views):", "```"]
    lines += [line for line in out.getvalue().splitlines() if "{" in line or "(" in line][:TOP]
    lines += ["```", "", "Langsamste Abfragen:", ""]
    for query in queries[:3]:
        lines += [f"- {float(query['time']) * 1000:.1f} ms: `{query['sql'][:400]}`"]
        if connection.vendor == "postgresql" and query["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = [row[0] for row in cursor.fetchall()]
            lines += ["", "  ```", *(f"  {line}" for line in plan[:25]), "  ```"]
    return [*lines, ""]


def main():
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    paths = [(path, path.startswith("/beirat/")) for path in sys.argv[1:]] or default_pages()
    anonymous, member = Client(), Client()
    member.force_login(get_user_model().objects.get(email="mitglied@example.org"))
    lines = [f"# Profile, {ROUNDS} Anfragen je Seite", ""]
    for path, as_member in paths:
        lines += profile(member if as_member else anonymous, path, as_member)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
