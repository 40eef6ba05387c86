"""A hall of 500 phones at a roundtable: each votes once a second for DURATION seconds while a poll runs.

gunicorn with 2 sync workers, DEBUG off, as `run.sh start`, on a fresh SQLite database (and on
PostgreSQL when one answers at BENCH_PG_URL, database roundtable_bench created and dropped here,
with Redis at BENCH_REDIS_URL for the rate-limit counters when it answers). Each phone is a
participant's real browser session; at second s phone n upvotes question s (so no vote repeats)
and answers the open poll in its first second. A probe phone (one new participant per second)
upvotes a pinned question and a wall reader polls the wall's live address every 700 ms with
If-None-Match, as static/agenda/floor.js does: the time from the probe's vote being sent to the
wall showing it is the latency the room sees. Server CPU is read from /proc for gunicorn's
processes. Knobs: BENCH_FLOOR_PHONES (500), BENCH_FLOOR_SECONDS (60), BENCH_FLOOR_THREADS (64).
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench._server import gunicorn, manage

PHONES = int(os.environ.get("BENCH_FLOOR_PHONES", "500"))
SECONDS = int(os.environ.get("BENCH_FLOOR_SECONDS", "60"))
THREADS = int(os.environ.get("BENCH_FLOOR_THREADS", "64"))
WALL_POLL = 0.7
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
PG_DB = "roundtable_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")

# Through `manage.py shell -c`: a published roundtable, SECONDS approved questions, a pinned probe
# question, an open poll, PHONES + SECONDS participants with browser sessions; JSON to BENCH_SEED_OUT.
SEED = """
import json, os, time
from datetime import timedelta
from importlib import import_module
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from events.enums import EventStatus, ParticipantStatus
from events.links import SESSION_KEY
from events.models import Event, Participant
from sessions.models import Room, Session
from sessions.services import publish_agenda
from sessions.floor import services, wall

phones, seconds = int(os.environ["BENCH_PHONES"]), int(os.environ["BENCH_SECONDS"])
today = timezone.localdate()
event = Event.objects.create(
    slug="floor-bench", name_vi="Hội nghị KOL", start_date=today, end_date=today, status=EventStatus.PUBLISHED
)
room = Room.objects.create(event=event, name_vi="Hội trường Thống Nhất", capacity=800)
now = timezone.now()
session = Session.objects.create(
    event=event, room=room, title_vi="Bàn tròn mở", format="roundtable",
    starts_at=now, ends_at=now + timedelta(hours=2),
)
publish_agenda(event=event, by=User.objects.create_superuser("bench", password="bench-only"))
Participant.objects.bulk_create(
    Participant(event=event, full_name=f"Đại biểu {n}", email=f"db{n}@example.vn", status=ParticipantStatus.APPROVED)
    for n in range(phones + seconds + 1)
)
people = list(Participant.objects.filter(event=event).order_by("pk"))
asker = people.pop()
questions = []
for s in range(seconds):
    q = services.ask_question(session=session, participant=asker, text=f"Câu hỏi số {s}")
    services.moderate_question(session=session, question_id=q.pk, action="approve")
    questions.append(q.pk)
probe = services.ask_question(session=session, participant=asker, text="PROBE")
services.moderate_question(session=session, question_id=probe.pk, action="pin")
poll = services.create_poll(session=session, question="Có nên cấp phép KOL?", options=["Có", "Không", "Chưa rõ"])
services.open_poll(session=session, poll_id=poll.pk)
store = import_module(settings.SESSION_ENGINE).SessionStore
keys = []
for person in people:
    browser = store()
    browser[SESSION_KEY] = {str(event.pk): [person.pk, time.time_ns()]}
    browser.save()
    keys.append(browser.session_key)
with open(os.environ["BENCH_SEED_OUT"], "w") as out:
    json.dump({"base": f"/e/{event.slug}/agenda/s/{session.pk}", "questions": questions, "probe": probe.pk,
               "poll": poll.pk, "options": list(poll.options.values_list("pk", flat=True)),
               "phones": keys[:phones], "probes": keys[phones:], "wall": wall.wall_url(session) + "live/"}, out)
"""


def _cpu_seconds(port):
    """User + system CPU seconds of the gunicorn processes serving `port` (master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"127.0.0.1:{port}".encode() not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


def _post(connection, path, session_key, body=b""):
    csrf = secrets.token_hex(16)
    headers = {
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "X-Floor": "1",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status


class Load:
    """Open-loop senders: every job has a due time; THREADS workers send each when due (or late)."""

    def __init__(self, port, jobs):
        self.port, self.jobs, self.lock = port, iter(jobs), threading.Lock()
        self.latencies, self.statuses = [], {}

    def worker(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while True:
            with self.lock:
                job = next(self.jobs, None)
            if job is None:
                break
            due, path, key, body = job
            time.sleep(max(0.0, due - time.perf_counter()))
            started = time.perf_counter()
            try:
                status = _post(connection, path, key, body)
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0
            with self.lock:
                self.latencies.append((time.perf_counter() - started) * 1000)
                self.statuses[status] = self.statuses.get(status, 0) + 1
        connection.close()


def _wall_reader(port, seed, stop, seen):
    """Poll the wall like floor.js (700 ms, If-None-Match); record when each probe vote count first shows."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    etag, shown = None, 0
    pattern = re.compile(rb'PROBE</p><p class="wall-meta">[^<]*<span class="wall-votes">(\d+)')
    while not stop.is_set():
        headers = {"Accept-Language": "en"}
        if etag:
            headers["If-None-Match"] = etag
        try:
            connection.request("GET", seed["wall"], headers=headers)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            time.sleep(WALL_POLL)
            continue
        if response.status == 200:
            etag = response.getheader("ETag")
            match = pattern.search(body)
            count = int(match.group(1)) if match else 0
            now = time.perf_counter()
            for n in range(shown + 1, count + 1):
                seen[n] = now
            shown = max(shown, count)
        time.sleep(WALL_POLL)
    connection.close()


def _run_on(label, env):
    manage(env, "migrate", "-v0")
    seed_out = Path(env["DATA_DIR"]) / "seed.json"
    manage(
        {**env, "BENCH_PHONES": str(PHONES), "BENCH_SECONDS": str(SECONDS), "BENCH_SEED_OUT": str(seed_out)},
        "shell",
        "--no-imports",
        "-c",
        SEED,
    )
    seed = json.loads(seed_out.read_text())
    with gunicorn(env) as (_base, port):
        start = time.perf_counter() + 1.0
        jobs = []
        for s in range(SECONDS):
            for n, key in enumerate(seed["phones"]):
                due = start + s + n / len(seed["phones"])
                if s == 0 and n % 2 == 0:  # half the hall answers the poll in its first second
                    path = f"{seed['base']}/floor/poll/{seed['poll']}/answer/"
                    jobs.append((due, path, key, f"option={seed['options'][n % 3]}".encode()))
                else:
                    jobs.append((due, f"{seed['base']}/floor/q/{seed['questions'][s]}/vote/", key, b""))
        probe_sent = {}
        probe_path = f"{seed['base']}/floor/q/{seed['probe']}/vote/"
        seen, stop = {}, threading.Event()
        load = Load(port, sorted(jobs))
        workers = [threading.Thread(target=load.worker) for _ in range(THREADS)]
        reader = threading.Thread(target=_wall_reader, args=(port, seed, stop, seen))
        cpu_before, wall_before = _cpu_seconds(port), time.perf_counter()
        reader.start()
        for worker in workers:
            worker.start()
        probe_connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for s, key in enumerate(seed["probes"]):
            time.sleep(max(0.0, start + s + 0.5 - time.perf_counter()))
            probe_sent[s + 1] = time.perf_counter()
            try:
                _post(probe_connection, probe_path, key)
            except (OSError, http.client.HTTPException):
                probe_connection.close()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - start
        time.sleep(2 * WALL_POLL)
        stop.set()
        reader.join()
        cpu = _cpu_seconds(port) - cpu_before
        cpu_wall = time.perf_counter() - wall_before
    return _rows(label, load, probe_sent, seen, elapsed, cpu, cpu_wall)


def _percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def _rows(label, load, probe_sent, seen, elapsed, cpu, cpu_wall):
    to_wall = [(seen[n] - sent) * 1000 for n, sent in probe_sent.items() if n in seen]
    errors = sum(count for status, count in load.statuses.items() if status != 200)
    key = f"roundtable {label}, {PHONES} phones × {SECONDS} s"
    return [
        {
            "scenario": f"{key}: votes + answers sent",
            "value": len(load.latencies),
            "unit": "requests",
            "target": f"{PHONES * SECONDS}",
        },
        {
            "scenario": f"{key}: throughput",
            "value": round(len(load.latencies) / elapsed, 1),
            "unit": "votes/s",
            "target": f"{PHONES}/s offered",
        },
        {
            "scenario": f"{key}: vote answer p50 / p99",
            "value": f"{_percentile(load.latencies, 0.5):.0f} / {_percentile(load.latencies, 0.99):.0f}",
            "unit": "ms",
            "target": "",
        },
        {
            "scenario": f"{key}: vote → wall p50 / p99",
            "value": f"{_percentile(to_wall, 0.5):.0f} / {_percentile(to_wall, 0.99):.0f}",
            "unit": "ms",
            "target": "p99 < 1000",
        },
        {
            "scenario": f"{key}: probe votes seen on the wall",
            "value": f"{len(to_wall)} of {len(probe_sent)}",
            "unit": "",
            "target": "all",
        },
        {
            "scenario": f"{key}: errors (non-200)",
            "value": errors,
            "unit": json.dumps({str(k): v for k, v in sorted(load.statuses.items())}),
            "target": "0",
        },
        {
            "scenario": f"{key}: server CPU",
            "value": round(100 * cpu / cpu_wall),
            "unit": "% of one core (gunicorn, 2 workers)",
            "target": "",
        },
    ]


def _postgres_reachable():
    return subprocess.run(["psql", PG_SERVER + "postgres", "-tAc", "select 1"], capture_output=True).returncode == 0


def run():
    # One hall behind the bench's one address: the per-person limits hold, the per-address ones are not in play.
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
    }
    base.pop("REDIS_URL", None)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as data_dir:
        env = {**base, "DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        rows += _run_on("SQLite", env)
    if os.environ.get("BENCH_FLOOR_PG", "1") == "1" and _postgres_reachable():
        subprocess.run(["psql", PG_SERVER + "postgres", "-c", f"DROP DATABASE IF EXISTS {PG_DB}"], capture_output=True)
        subprocess.run(
            ["psql", PG_SERVER + "postgres", "-c", f"CREATE DATABASE {PG_DB}"], capture_output=True, check=True
        )
        try:
            with tempfile.TemporaryDirectory(prefix="bench-floor-pg-") as data_dir:
                env = {**base, "DATA_DIR": data_dir, "DATABASE_URL": PG_SERVER + PG_DB, "REDIS_URL": REDIS_URL}
                rows += _run_on("PostgreSQL + Redis", env)
        finally:
            subprocess.run(
                ["psql", PG_SERVER + "postgres", "-c", f"DROP DATABASE IF EXISTS {PG_DB}"], capture_output=True
            )
    return rows
