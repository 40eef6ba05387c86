"""Registration rush: 500 concurrent order attempts on a 300-seat quota, production-style server.

gunicorn with 2 sync workers (as `run.sh start`), DEBUG off, a fresh SQLite
database (WAL, IMMEDIATE transactions) in a temporary folder. Every attempt
is released at once by a barrier; each buys one pass through the public API.
Pass: exactly 300 seats taken, 0 oversold, 0 server errors.
"""

import json
import os
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request

from bench._server import gunicorn, manage

ATTEMPTS = 500
SEATS = 300

SETUP = """
from datetime import date
from events.models import Event
from ticketing.models import Quota, TicketType
event = Event.objects.create(slug="rush", name_vi="Hội nghị KOL", start_date=date(2027, 8, 14),
                             end_date=date(2027, 8, 15), status="published")
quota = Quota.objects.create(event=event, name="Doanh nghiệp", size=%d)
ticket_type = TicketType.objects.create(event=event, name_vi="Thẻ doanh nghiệp", categories=["business"],
                                        price=1500000, max_per_order=10)
ticket_type.quotas.add(quota)
print(ticket_type.pk)
"""

CHECK = """
from ticketing.models import OrderPosition, Quota
print(OrderPosition.objects.count(), Quota.objects.get().taken)
"""


def _attempt(url, index, barrier, results):
    body = {
        "buyer": {"name": "Nguyễn Văn Mua", "email": f"mua{index}@example.vn", "organization": "Công ty Sao Việt"},
        "passes": [
            {
                "ticket_type": int(url.ticket_type),
                "attendee_name": f"Khách {index}",
                "attendee_email": f"khach{index}@example.vn",
            }
        ],
        "attendees_consent": True,
    }
    request = urllib.request.Request(
        url.orders, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    barrier.wait()
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, code = response.status, ""
    except urllib.error.HTTPError as error:
        status, code = error.code, json.loads(error.read() or b"{}").get("code", "")
    except OSError:
        status, code = 0, "connection_error"
    results[index] = (status, code, time.perf_counter() - started)


class _Target:
    def __init__(self, base, ticket_type):
        self.orders = f"{base}/api/v1/events/rush/orders"
        self.ticket_type = ticket_type


def run():
    with tempfile.TemporaryDirectory(prefix="bench-ticketing-") as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "conference.settings",
            "DATA_DIR": data_dir,
            "DEBUG": "0",
            "STATIC_MANIFEST": "0",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)  # a fresh SQLite file, like the embedded default
        manage(env, "migrate", "-v0")
        ticket_type = manage(env, "shell", "--no-imports", "-c", SETUP % SEATS).split()[-1]
        with gunicorn(env) as (base, _port):
            target = _Target(base, ticket_type)
            results = [None] * ATTEMPTS
            barrier = threading.Barrier(ATTEMPTS + 1)
            threads = [threading.Thread(target=_attempt, args=(target, i, barrier, results)) for i in range(ATTEMPTS)]
            for thread in threads:
                thread.start()
            barrier.wait()
            started = time.perf_counter()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
        passes, taken = (int(value) for value in manage(env, "shell", "--no-imports", "-c", CHECK).split()[-2:])
    latencies = sorted(result[2] * 1000 for result in results)
    created = sum(1 for result in results if result[0] == 201)
    sold_out = sum(1 for result in results if result[0] == 409 and result[1] == "sold_out")
    errors = sum(1 for result in results if result[0] >= 500 or result[0] == 0)
    name = f"ticketing rush, {ATTEMPTS} orders for {SEATS} seats (gunicorn -w 2, SQLite)"
    return [
        {"scenario": f"{name}: seats taken", "value": taken, "unit": "seats", "target": f"= {SEATS}"},
        {"scenario": f"{name}: orders accepted", "value": created, "unit": "orders", "target": f"= {SEATS}"},
        {"scenario": f"{name}: oversold", "value": max(passes - SEATS, 0), "unit": "passes", "target": "= 0"},
        {"scenario": f"{name}: sold_out answers", "value": sold_out, "unit": "answers", "target": ""},
        {"scenario": f"{name}: server errors", "value": errors, "unit": "answers", "target": "= 0"},
        {"scenario": f"{name}: throughput", "value": round(ATTEMPTS / wall, 1), "unit": "req/s", "target": ""},
        {"scenario": f"{name}: p50", "value": round(statistics.median(latencies), 1), "unit": "ms", "target": ""},
        {
            "scenario": f"{name}: p99",
            "value": round(latencies[int(len(latencies) * 0.99) - 1], 1),
            "unit": "ms",
            "target": "",
        },
    ]
