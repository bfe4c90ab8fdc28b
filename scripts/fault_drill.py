"""Fault drill: take PostgreSQL away while the production server is under load.

Runs `make serve` (gunicorn, DEBUG off) against the local PostgreSQL, sends requests from a few
threads, stops PostgreSQL for a while, starts it again, and reports per phase how many requests
failed, how slow they were, and how long the portal took to answer normally again. Requires root
(pg_ctlcluster) and the local PostgreSQL of these machines; all traffic stays on 127.0.0.1.
"""

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

from servers import start, wait_for

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("DRILL_PORT", "8077"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/koss_drill")
CLUSTER = os.environ.get("DRILL_PG_CLUSTER", "15 main")
THREADS, BEFORE, OUTAGE, AFTER = 8, 5.0, 10.0, 15.0
PATHS = ["/partner/", "/aktuelles/", "/health/", "/"]


def pg(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER.split(), action], check=True
    )


def main():
    database = DATABASE_URL.rsplit("/", 1)[-1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], capture_output=True)
    env = os.environ | {
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "fault-drill-" + "x" * 50),
        "KOSS_ENCRYPTION_KEYS": os.environ.get(
            "KOSS_ENCRYPTION_KEYS", "aW5zZWN1cmUtdGVzdC1rZXktZm9yLXRlc3RzLW9ubHk="
        ),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "0",
        "PORT": str(PORT),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "load_demo_content", "--force", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = start(["make", "serve"], env)
    base = f"http://127.0.0.1:{PORT}"
    try:
        if not wait_for(base + "/health/"):
            sys.exit("The server did not come up.")
        results = defaultdict(list)  # phase -> [(status, seconds)]
        phase = {"name": "vorher"}
        stop = threading.Event()

        def load(number):
            while not stop.is_set():
                path = PATHS[number % len(PATHS)]
                started = time.monotonic()
                try:
                    with urllib.request.urlopen(base + path, timeout=30) as response:
                        status = response.status
                except urllib.error.HTTPError as error:
                    status = error.code
                except (urllib.error.URLError, OSError):
                    status = 0
                results[phase["name"]].append((status, time.monotonic() - started))
                number += 1

        threads = [threading.Thread(target=load, args=(n,), daemon=True) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        time.sleep(BEFORE)
        phase["name"] = "Ausfall"
        pg("stop")
        time.sleep(OUTAGE)
        phase["name"] = "nachher"
        pg("start")
        restarted = time.monotonic()
        recovered = None
        while time.monotonic() - restarted < AFTER:
            recent = results["nachher"][-THREADS * 2 :]
            if recovered is None and len(recent) >= THREADS and all(s == 200 for s, _ in recent):
                recovered = time.monotonic() - restarted
            time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
    finally:
        stop(server)
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER.split(), "start"],
            capture_output=True,
        )

    print(
        f"{'Phase':<10} {'Anfragen':>9} {'200':>6} {'503':>6} {'andere':>7} {'p50 ms':>8} {'max ms':>8}"
    )
    for name in ("vorher", "Ausfall", "nachher"):
        rows = results[name]
        times = sorted(seconds for _, seconds in rows) or [0]
        ok = sum(1 for s, _ in rows if s == 200)
        unavailable = sum(1 for s, _ in rows if s == 503)
        print(
            f"{name:<10} {len(rows):>9} {ok:>6} {unavailable:>6} {len(rows) - ok - unavailable:>7} "
            f"{times[len(times) // 2] * 1000:>8.0f} {times[-1] * 1000:>8.0f}"
        )
    print(
        f"Wieder normal {recovered:.1f} s nach dem Neustart von PostgreSQL."
        if recovered is not None
        else "Nicht erholt!"
    )
    other = sum(1 for rows in results.values() for s, _ in rows if s not in (200, 503))
    sys.exit(0 if recovered is not None and other == 0 else 1)


if __name__ == "__main__":
    main()
