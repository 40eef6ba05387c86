"""Abuse tests replay the outside review's attacks against a real server (issue #16).

`gunicorn_server(...)` starts gunicorn as the sample unit does (docs/deploy/kol-web.service: its
logger class, sync workers) on 127.0.0.1 and a free port, against this test's own database and
cache, with the environment a test asks for. Several workers make it the deployment the review
attacked: counters kept per process would let each worker count on its own.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import stripe
from django.conf import settings
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "docs/deploy/kol-web.service"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def unit_gunicorn_options():
    """The gunicorn options of the sample unit, without --bind and --access-logfile (the test sets those)."""
    text = UNIT.read_text(encoding="utf-8").replace("\\\n", " ")
    command = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    words = shlex.split(command.partition("=")[2])[2:]  # drop the gunicorn path and the WSGI application
    options, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word in {"--bind", "--access-logfile", "--workers"}:
            skip = True
        else:
            options.append(word)
    return options


def database_url():
    from django.db import connection

    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + str(database["NAME"])
    user = quote(database["USER"] or "postgres")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )


def access_log_lines(access_log, expected, wait=10.0):
    """The access log once it holds `expected` lines: gunicorn writes each line after the answer is sent."""
    deadline = time.monotonic() + wait
    while (log := access_log.read_text()).count("\n") < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return log


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port, process, log):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped: " + log.read_text(errors="replace"))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start listening: " + log.read_text(errors="replace"))


@pytest.fixture
def gunicorn_server(transactional_db, tmp_path):
    """gunicorn_server(workers=2, **env) -> (base URL, access log path); every server stops after the test."""
    started = []

    def start(workers=2, **env):
        port = _free_port()
        access_log, error_log = tmp_path / f"access-{port}.log", tmp_path / f"error-{port}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            # With Redis the test's own key prefix, so the server's counters are the ones cache.clear() resets.
            "TEST_CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            **{name: str(value) for name, value in env.items()},
        }
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "conference.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--access-logfile", str(access_log), "--error-logfile", str(error_log),
            *unit_gunicorn_options(),
        ]  # fmt: skip
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started.append(process)
        _wait_until_listening(port, process, error_log)
        return f"http://127.0.0.1:{port}", access_log

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def submit(session, page, data, *, to=None, **options):
    """Post a form as a browser does: open `page`, take its CSRF token, post `data` to `to` (default: `page`)."""
    token = CSRF_FIELD.search(session.get(page, timeout=30).text).group(1)
    return session.post(
        to or page,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": page},
        timeout=30,
        **options,
    )


WEBHOOK_SECRET = "whsec_abuse_replay"  # STRIPE_WEBHOOK_SECRET of a server that takes card payments


def stripe_delivery(base, event, timestamp=None):
    """POST `event` to the server's Stripe webhook, signed as Stripe signs it (the real stripe library)."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET, timestamp or int(time.time()))
    return requests.post(
        f"{base}/stripe/webhook/",
        data=payload,
        headers={"Content-Type": "application/json", "Stripe-Signature": header},
        timeout=30,
    )


def checkout_completed(order, **changes):
    """Stripe's checkout.session.completed for `order`, paid in full in VND unless `changes` say otherwise."""
    session = {
        "id": "cs_test_1", "object": "checkout.session", "client_reference_id": order.code,
        "amount_total": order.total, "currency": "vnd", "payment_status": "paid", "payment_intent": "pi_1",
    }  # fmt: skip
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": "checkout.session.completed",
        "data": {"object": {**session, **changes}},
    }
