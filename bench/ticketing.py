"""Registration rush and seat hoarding: simultaneous orders on a quota, production-style server.

gunicorn with 2 sync workers (as `run.sh start`), DEBUG off, a fresh SQLite
database (WAL, IMMEDIATE transactions) in a temporary folder, and in a full run
PostgreSQL too when one answers at BENCH_PG_URL (database ticketing_bench,
created and dropped here). The server runs behind a proxy
as in production (BEHIND_PROXY; this script plays nginx and gives every client
its own address in X-Forwarded-For, so the per-address order limit counts
clients, not the benchmark). Only a buyer who proved their e-mail holds seats:
each real buyer exchanges the personal link e-mailed to them for a registration
token first (POST /events/{slug}/registration/token), then orders with it.
Every order of a phase is released at once by a barrier.

1. Rush: RUSH_BUYERS verified buyers, one pass each, for RUSH_SEATS seats.
   Invariants: exactly RUSH_SEATS seats taken and orders accepted, 0 oversold,
   0 server errors; the rest answered sold_out.
2. Hoarding (issue #16): HOARD_BUYERS real buyers (one pass each) beside an
   attacker who orders as many passes as one order allows (max_per_order),
   over and over, at the same instant: anonymously from a few addresses (those
   orders wait for an e-mailed link the attacker cannot open, and the order
   limit per address refuses most), and with the one mailbox they proved, from
   a fresh address per order (so only the cap on open orders per buyer stops
   it). The quota has exactly the real buyers' seats plus what the cap allows.
   Invariants: every real buyer served, the anonymous orders hold 0 seats, the
   verified attacker holds no seat beyond the cap, 0 oversold, 0 server errors.
"""

import json
import os
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request

from bench._mode import quick, size
from bench._server import PG_SERVER, gunicorn, manage, migrate, postgres_database

RUSH_BUYERS = size("BENCH_RUSH_BUYERS", 500, 40)
RUSH_SEATS = size("BENCH_RUSH_SEATS", 300, 25)
HOARD_BUYERS = size("BENCH_HOARD_BUYERS", 80, 15)
ANONYMOUS_ORDERS = 200 if not quick() else 30  # the anonymous attacker's orders ...
ANONYMOUS_ADDRESSES = 4 if not quick() else 2  # ... from this many addresses (RATE_LIMIT_ORDER each)
VERIFIED_ORDERS = 50 if not quick() else 10  # the verified attacker's orders, each from its own address
PASSES_PER_ORDER = 10  # the ticket types' max_per_order: what one attacker order asks for
OPEN_ORDERS_CAP = 2  # TICKETING_MAX_OPEN_ORDERS_PER_BUYER, the default, set for the server below

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Quốc", "Thanh", "Phương", "Hữu", "Thu"]
GIVEN = ["Cường", "Thảo", "Huy", "Ánh", "Mạnh", "Khôi", "Dũng", "Hương", "Tiến", "Trang", "Đạt", "Hà", "Long"]

# Run through `manage.py shell -c` with BENCH_SETUP (JSON: event slug -> [seats, passes per order, [buyer e-mails]]):
# per event a quota, a business pass and approved business representatives; prints JSON
# {slug: {"ticket_type": id, "links": {email: the personal link e-mailed to them}}}.
SETUP = """
import json
import os
from datetime import date

from events.links import magic_link
from events.models import Event, Participant
from ticketing.models import Quota, TicketType

out = {}
for slug, (seats, per_order, emails) in json.loads(os.environ["BENCH_SETUP"]).items():
    event = Event.objects.create(slug=slug, name_vi="Hội nghị KOL", start_date=date(2027, 8, 14),
                                 end_date=date(2027, 8, 15), status="published")
    quota = Quota.objects.create(event=event, name="Doanh nghiệp", size=seats)
    ticket_type = TicketType.objects.create(event=event, name_vi="Thẻ doanh nghiệp", categories=["business"],
                                            price=1500000, max_per_order=per_order)
    ticket_type.quotas.add(quota)
    people = Participant.objects.bulk_create(
        Participant(event=event, category="business", full_name="Phạm Minh Tuấn", email=email,
                    organization="Công ty Cổ phần Truyền thông Số Sao Việt", status="approved")
        for email in emails
    )
    people = Participant.objects.filter(event=event).select_related("event")
    out[slug] = {"ticket_type": ticket_type.pk, "links": {p.email: magic_link(p) for p in people}}
print(json.dumps(out))
"""

# Seats held per buyer e-mail and event: orders waiting for payment or paid, and their passes.
CHECK = """
import json
from django.db.models import Count
from ticketing.models import Order, OrderPosition, Quota
held = Order.objects.filter(status__in=["pending", "paid"]).values("event__slug", "buyer_email")
rows = held.annotate(seats=Count("positions"))
print(json.dumps({
    "held": [[r["event__slug"], r["buyer_email"], r["seats"]] for r in rows],
    "positions": {q.event.slug: OrderPosition.objects.filter(order__event=q.event,
                  order__status__in=["pending", "paid"]).count() for q in Quota.objects.select_related("event")},
    "taken": {q.event.slug: q.taken for q in Quota.objects.select_related("event")},
    "size": {q.event.slug: q.size for q in Quota.objects.select_related("event")},
}))
"""


def _name(index):
    """A Vietnamese full name (letters only, as the order form requires) for a number."""
    return f"{FAMILY[index % 14]} {MIDDLE[index // 14 % 10]} {GIVEN[index // 140 % 13]}"


def _address(group, index):
    """A client address: one group of addresses per kind of client, so their limits never mix."""
    return f"10.{group}.{index // 250}.{index % 250 + 1}"


class Client:
    """One order attempt: who sends it, from where, with which token, and for how many passes."""

    def __init__(self, kind, email, address, token="", passes=1):
        self.kind, self.email, self.address, self.token, self.passes = kind, email, address, token, passes
        self.status, self.code, self.seconds = None, "", 0.0

    def body(self, ticket_type, serial):
        return {
            "buyer": {"name": "Phạm Minh Tuấn", "email": self.email, "organization": "Công ty Sao Việt"},
            "passes": [
                {
                    "ticket_type": ticket_type,
                    "attendee_name": _name(serial * 20 + n),
                    "attendee_email": f"khach{serial}.{n}@example.vn",
                }
                for n in range(self.passes)
            ],
            "attendees_consent": True,
        }


def _post(url, body, headers):
    """(status, error code) of a JSON POST."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except OSError:
        return 0, {"code": "connection_error"}


def _tokens(base, slug, links, group):
    """Each buyer opens the link e-mailed to them: their registration token, by e-mail."""
    tokens = {}
    for index, (email, link) in enumerate(links.items()):
        status, body = _post(
            f"{base}/api/v1/events/{slug}/registration/token",
            {"link": link},
            {"X-Forwarded-For": _address(group, index)},
        )
        if status != 200:
            raise RuntimeError(f"link exchange answered {status}: {body}")
        tokens[email] = body["token"]
    return tokens


def _release(base, slug, ticket_type, clients):
    """Send every client's order at the same instant; wall seconds. Fills each client's status and code."""
    url = f"{base}/api/v1/events/{slug}/orders"
    barrier = threading.Barrier(len(clients) + 1)

    def attempt(serial, client):
        headers = {"X-Forwarded-For": client.address}
        if client.token:
            headers["X-Registration-Token"] = client.token
        body = client.body(ticket_type, serial)
        barrier.wait()
        started = time.perf_counter()
        client.status, answer = _post(url, body, headers)
        client.code = answer.get("code", "") if client.status >= 400 else ""
        client.seconds = time.perf_counter() - started

    threads = [threading.Thread(target=attempt, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _plan():
    """The two events' buyers: e-mails of the rush's buyers, the hoard's real buyers and its attacker."""
    rush = [f"mua{n}@example.vn" for n in range(RUSH_BUYERS)]
    real = [f"khachthat{n}@example.vn" for n in range(HOARD_BUYERS)]
    hoard_seats = HOARD_BUYERS + OPEN_ORDERS_CAP * PASSES_PER_ORDER
    return {
        "rush": [RUSH_SEATS, PASSES_PER_ORDER, rush],
        "hoard": [hoard_seats, PASSES_PER_ORDER, real + ["ke.dau.co@example.vn"]],
    }


def _hoard_clients(tokens):
    attacker = "ke.dau.co@example.vn"
    real = [
        Client("real", email, _address(3, n), tokens[email])
        for n, email in enumerate(sorted(tokens))
        if email != attacker
    ]
    anonymous = [
        Client("anonymous", f"gia{n}@example.vn", _address(4, n % ANONYMOUS_ADDRESSES), passes=PASSES_PER_ORDER)
        for n in range(ANONYMOUS_ORDERS)
    ]
    verified = [
        Client("verified", attacker, _address(5, n), tokens[attacker], passes=PASSES_PER_ORDER)
        for n in range(VERIFIED_ORDERS)
    ]
    return _interleave(real, anonymous, verified)


def _interleave(*groups):
    """The clients of every group spread evenly through one list, so the attacker's threads start among the
    real buyers' rather than after them."""
    keyed = [((n + 0.5) / len(group), g, client) for g, group in enumerate(groups) for n, client in enumerate(group)]
    return [client for _position, _group, client in sorted(keyed, key=lambda key: key[:2])]


def run():
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
        "BEHIND_PROXY": "1",
        "TRUSTED_PROXIES": "127.0.0.1",
        "TICKETING_MAX_OPEN_ORDERS_PER_BUYER": str(OPEN_ORDERS_CAP),
    }
    for limit in ("DATABASE_URL", "RATE_LIMIT_ORDER", "RATE_LIMIT_REGISTRATION"):
        base.pop(limit, None)  # a fresh SQLite file, and the documented limits (10 orders an hour per address)
    with tempfile.TemporaryDirectory(prefix="bench-ticketing-") as data_dir:
        rows = _run_on("SQLite", {**base, "DATA_DIR": data_dir})
    if quick():
        return rows + [{"scenario": "ticketing PostgreSQL", "value": "skipped", "unit": "quick mode"}]
    with postgres_database("ticketing_bench") as url, tempfile.TemporaryDirectory(prefix="bench-ticketing-") as data:
        if url is None:
            return rows + [
                {"scenario": "ticketing PostgreSQL", "value": "skipped", "unit": f"no server at {PG_SERVER}"}
            ]
        return rows + _run_on("PostgreSQL", {**base, "DATA_DIR": data, "DATABASE_URL": url})


def _run_on(label, env):
    """Migrate and seed the database in env, start gunicorn, exchange the links, run both phases; rows."""
    migrate(env)
    plan = json.dumps(_plan())
    setup = json.loads(manage({**env, "BENCH_SETUP": plan}, "shell", "--no-imports", "-c", SETUP).splitlines()[-1])
    with gunicorn(env) as (base, _port):
        rush_tokens = _tokens(base, "rush", setup["rush"]["links"], 1)
        hoard_tokens = _tokens(base, "hoard", setup["hoard"]["links"], 2)
        rush = [Client("real", email, _address(6, n), token) for n, (email, token) in enumerate(rush_tokens.items())]
        rush_wall = _release(base, "rush", setup["rush"]["ticket_type"], rush)
        hoard = _hoard_clients(hoard_tokens)
        _release(base, "hoard", setup["hoard"]["ticket_type"], hoard)
    state = json.loads(manage(env, "shell", "--no-imports", "-c", CHECK).splitlines()[-1])
    return _rush_rows(label, rush, rush_wall, state) + _hoard_rows(label, hoard, state)


def _errors(clients):
    return sum(1 for client in clients if client.status >= 500 or client.status == 0)


def _rush_rows(label, clients, wall, state):
    latencies = sorted(client.seconds * 1000 for client in clients)
    created = sum(1 for client in clients if client.status == 201)
    sold_out = sum(1 for client in clients if client.status == 409 and client.code == "sold_out")
    name = f"ticketing rush, {len(clients)} verified buyers for {RUSH_SEATS} seats (gunicorn -w 2, {label})"
    return [
        {
            "scenario": f"{name}: seats taken",
            "value": state["taken"]["rush"],
            "unit": "seats",
            "target": f"= {RUSH_SEATS}",
        },
        {"scenario": f"{name}: orders accepted", "value": created, "unit": "orders", "target": f"= {RUSH_SEATS}"},
        {
            "scenario": f"{name}: oversold",
            "value": max(state["positions"]["rush"] - RUSH_SEATS, 0),
            "unit": "passes",
            "target": "= 0",
        },
        {
            "scenario": f"{name}: sold_out answers",
            "value": sold_out,
            "unit": "answers",
            "target": f"= {len(clients) - RUSH_SEATS}",
        },
        {"scenario": f"{name}: server errors", "value": _errors(clients), "unit": "answers", "target": "= 0"},
        {"scenario": f"{name}: throughput", "value": round(len(clients) / wall, 1), "unit": "req/s", "target": ""},
        {"scenario": f"{name}: p50", "value": round(statistics.median(latencies), 1), "unit": "ms", "target": ""},
        {
            "scenario": f"{name}: p99",
            "value": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)], 1),
            "unit": "ms",
            "target": "",
        },
    ]


def _hoard_rows(label, clients, state):
    held = {email: seats for slug, email, seats in state["held"] if slug == "hoard"}
    real = [c for c in clients if c.kind == "real"]
    anonymous = [c for c in clients if c.kind == "anonymous"]
    verified = [c for c in clients if c.kind == "verified"]
    served = sum(1 for c in real if c.status == 201 and held.get(c.email) == 1)
    cap = OPEN_ORDERS_CAP * PASSES_PER_ORDER
    size_ = state["size"]["hoard"]
    name = (
        f"ticketing hoarding ({label}), {len(real)} real buyers beside {len(anonymous)} anonymous and {len(verified)} "
        f"verified attacker orders of {PASSES_PER_ORDER} passes, {size_} seats"
    )
    answers = {}
    for client in anonymous + verified:
        key = f"{client.kind} {client.status} {client.code}".strip()
        answers[key] = answers.get(key, 0) + 1
    return [
        {
            "scenario": f"{name}: real buyers served",
            "value": served,
            "unit": f"of {len(real)}",
            "target": f"= {len(real)}",
        },
        {
            "scenario": f"{name}: seats held by anonymous orders",
            "value": sum(held.get(c.email, 0) for c in anonymous),
            "unit": "seats",
            "target": "= 0",
        },
        {
            "scenario": f"{name}: seats held by the verified attacker beyond the cap",
            "value": max(held.get(verified[0].email, 0) - cap, 0),
            "unit": f"seats (cap {OPEN_ORDERS_CAP} orders × "
            f"{PASSES_PER_ORDER} = {cap}; held {held.get(verified[0].email, 0)})",
            "target": "= 0",
        },
        {
            "scenario": f"{name}: oversold",
            "value": max(state["positions"]["hoard"] - size_, 0),
            "unit": "passes",
            "target": "= 0",
        },
        {"scenario": f"{name}: server errors", "value": _errors(clients), "unit": "answers", "target": "= 0"},
        {
            "scenario": f"{name}: attacker answers",
            "value": sum(answers.values()),
            "unit": ", ".join(f"{count}× {key}" for key, count in sorted(answers.items())),
            "target": "",
        },
    ]
