"""Scan load: first scans, repeated scans and forged codes at concurrency 1, 8 and 20.

A production-style server (gunicorn, 2 sync workers, DEBUG off, as `run.sh start`)
on a fresh database seeded by SEED below with signed badges; the load
generator is Python threads on the same machine, each reusing an http.client
connection where the server keeps it (gunicorn's sync workers close it after
each answer, so most requests reconnect). Every case is a fixed number of
requests, so the whole scenario stays around a minute per database.
SQLite always; PostgreSQL too when one answers at BENCH_PG_URL
(default postgres://postgres@127.0.0.1:5432/, database checkin_bench created and dropped here),
except in quick mode, which CI runs on SQLite. Invariants: 0 non-200 answers, every verdict the
expected one (admitted, already_checked_in, invalid).
"""

import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench._mode import quick
from bench._server import PG_SERVER, gunicorn, manage, migrate, postgres_database

CONCURRENCY = (1, 8, 20)
REQUESTS = {1: 20, 8: 60, 20: 60} if quick() else {1: 200, 8: 1000, 20: 1000}  # per case and concurrency
REPEATED_BADGES = 10 if quick() else 50

# Run through `manage.py shell -c`: an event open today, BENCH_PARTICIPANTS approved
# participants with signed badges, a door-staff user and a scanner device token;
# writes {"secret", "codes"} as JSON to BENCH_SEED_OUT.
SEED = """
import json
import os

from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.enums import Category, EventStatus, ParticipantStatus
from events.models import Event, Participant
from events.permissions import DOOR_STAFF
from events.services import issue_api_token
from ticketing import codes as codes_module
from ticketing.models import Badge
from ticketing.services.badges import event_key

count = int(os.environ["BENCH_PARTICIPANTS"])
today = timezone.localdate()
event = Event.objects.create(
    slug="checkin-bench", name_vi="Hội nghị KOL", start_date=today, end_date=today, status=EventStatus.PUBLISHED
)
categories = [Category.KOL, Category.REGULATOR, Category.BUSINESS]
Participant.objects.bulk_create(
    Participant(
        event=event,
        full_name=f"Nguyễn Văn Khách {n}",
        email=f"khach{n}@example.vn",
        phone="+84912345678",
        category=categories[n % len(categories)],
        status=ParticipantStatus.APPROVED,
    )
    for n in range(count)
)
# Signed codes straight from the event key, bulk-inserted: issue_badge would also render each QR
# image and queue an e-mail, which the scan never reads and which made seeding the slow part.
key = event_key(event)
badges = [
    Badge(participant_id=pk, version=1, code=codes_module.sign_code(
        key.private_key_encrypted, event_id=event.pk, participant_id=pk, version=1))
    for pk in Participant.objects.filter(event=event).order_by("pk").values_list("pk", flat=True)
]
Badge.objects.bulk_create(badges, batch_size=500)
codes = [badge.code for badge in badges]
user = User.objects.create_user(username="soatve", password="bench-only")
user.groups.add(Group.objects.get(name=DOOR_STAFF))
_token, secret = issue_api_token(user=user, name="Máy quét bench", scopes=["checkin:scan"])
with open(os.environ["BENCH_SEED_OUT"], "w") as out:
    json.dump({"secret": secret, "codes": codes}, out)
"""


def _forged(code):
    last = code[-4]
    return code[:-4] + ("A" if last != "A" else "B") + code[-3:]


def _load(port, secret, bodies, concurrency):
    """POST every body with `concurrency` threads; (wall seconds, [latency ms], {status: count}, verdicts)."""
    lock = threading.Lock()
    queue = iter(bodies)
    latencies, statuses, verdicts = [], {}, {}
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {secret}"}

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                body = next(queue, None)
            if body is None:
                break
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/checkin/scan", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                status = response.status
                verdict = json.loads(payload).get("result", "") if status == 200 else ""
            except (OSError, http.client.HTTPException, ValueError):
                connection.close()
                status, verdict = 0, ""
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses, verdicts


def _cases(codes):
    """(name, expected verdict, bodies per concurrency) for the three cases; first scans use fresh badges."""
    fresh = iter(codes[REPEATED_BADGES:])
    repeated = codes[:REPEATED_BADGES]

    def body(code):
        return json.dumps({"code": code, "gate": "Cổng A"}).encode()

    first = {c: [body(next(fresh)) for _ in range(REQUESTS[c])] for c in CONCURRENCY}
    again = {c: [body(repeated[n % len(repeated)]) for n in range(REQUESTS[c])] for c in CONCURRENCY}
    forged = {c: [body(_forged(repeated[n % len(repeated)])) for n in range(REQUESTS[c])] for c in CONCURRENCY}
    return [
        ("first scans", "admitted", first),
        ("repeated scans", "already_checked_in", again),
        ("forged codes", "invalid", forged),
    ]


def _run_on(label, env):
    """Migrate and seed the database in env, start gunicorn, run every case; rows for the table."""
    needed = REPEATED_BADGES + sum(REQUESTS.values())
    migrate(env)
    seed_out = Path(env["DATA_DIR"]) / "seed.json"
    seed_env = {**env, "BENCH_PARTICIPANTS": str(needed), "BENCH_SEED_OUT": str(seed_out)}
    manage(seed_env, "shell", "--no-imports", "-c", SEED)
    seed = json.loads(seed_out.read_text())
    rows = []
    with gunicorn(env) as (_base, port):
        cases = _cases(seed["codes"])
        # Admit the repeated-scan badges once, so "repeated" means already checked in.
        _load(
            port,
            seed["secret"],
            [json.dumps({"code": c, "gate": "Cổng A"}).encode() for c in seed["codes"][:REPEATED_BADGES]],
            1,
        )
        for name, expected, bodies in cases:
            for concurrency in CONCURRENCY:
                rows += _rows(
                    label, name, expected, concurrency, _load(port, seed["secret"], bodies[concurrency], concurrency)
                )
    return rows


def _rows(label, name, expected, concurrency, measured):
    wall, latencies, statuses, verdicts = measured
    latencies.sort()
    errors = sum(count for status, count in statuses.items() if status != 200)
    wrong = sum(count for verdict, count in verdicts.items() if verdict != expected) - errors
    key = f"checkin {label}: {name}, conc {concurrency}"
    first_at_8 = name == "first scans" and concurrency == 8
    return [
        {
            "scenario": f"{key}: throughput",
            "value": round(len(latencies) / wall, 1),
            "unit": "scans/s",
            "target": ">= 250" if first_at_8 and label == "SQLite" else "",
        },
        {"scenario": f"{key}: p50", "value": round(statistics.median(latencies), 1), "unit": "ms", "target": ""},
        {
            "scenario": f"{key}: p99",
            "value": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)], 1),
            "unit": "ms",
            "target": "< 50" if first_at_8 and label == "SQLite" else "",
        },
        {"scenario": f"{key}: max", "value": round(latencies[-1], 1), "unit": "ms", "target": ""},
        {
            "scenario": f"{key}: errors (non-200)",
            "value": errors,
            "target": "= 0",
            "unit": "answers" + "".join(f", {n}× HTTP {s or 'none'}" for s, n in sorted(statuses.items()) if s != 200),
        },
        {"scenario": f"{key}: verdicts other than {expected}", "value": wrong, "unit": "answers", "target": "= 0"},
    ]


def run():
    # One token stands for every door device here, so its per-device limit (120 scans a minute,
    # settings.RATE_LIMIT_SCAN) is lifted: the limiter still counts every scan, it never refuses.
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_SCAN": "100000000",
    }
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as data_dir:
        env = {**base, "DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)  # a fresh SQLite file, like the embedded default
        rows += _run_on("SQLite", env)
    if quick():
        rows.append({"scenario": "checkin PostgreSQL", "value": "skipped", "unit": "quick mode", "target": ""})
        return rows
    with postgres_database("checkin_bench") as url, tempfile.TemporaryDirectory(prefix="bench-checkin-pg-") as data:
        if url is None:
            rows.append({"scenario": "checkin PostgreSQL", "value": "skipped", "unit": f"no server at {PG_SERVER}"})
        else:
            rows += _run_on("PostgreSQL", {**base, "DATA_DIR": data, "DATABASE_URL": url})
    return rows
