"""The outside review's other findings (issue #16, item 5), each replayed as the attacker sent it, against gunicorn."""

import re
import time
import uuid

import pytest
import requests
from django.utils import timezone

from tests.ticketing.factories import BUYER

from .conftest import WEBHOOK_SECRET, checkout_completed, stripe_delivery

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(gunicorn_server):
    base, _log = gunicorn_server(workers=2)
    return base


def _nul_attacks(event, ticket_type):
    """(where the review put a NUL, method, path, JSON body): each body is valid but for that one NUL."""
    from tests.events.factories import api_registration

    def order(**changes):
        body = {
            "buyer": {**BUYER, **changes.get("buyer", {})},
            "passes": [{"ticket_type": ticket_type.pk, "attendee_name": "Nguyễn Thu Hà",
                        "attendee_email": "ha.nguyen@saoviet.vn", **changes.get("attendee", {})}],
            "attendees_consent": True, "voucher": changes.get("voucher", ""),
        }  # fmt: skip
        return ("POST", f"/api/v1/events/{event.slug}/orders", body)

    registrations = f"/api/v1/events/{event.slug}/registrations"
    return {
        "full_name": ("POST", registrations, api_registration(full_name="Nguyễn\x00 An")),
        "email": ("POST", registrations, api_registration(email="an@example.vn\x00")),
        "buyer.name": order(buyer={"name": "Phạm\x00 Tuấn"}),
        "buyer.email": order(buyer={"email": "tuan\x00@saoviet.vn"}),
        "passes.0.attendee_name": order(attendee={"attendee_name": "Nguyễn\x00 Hà"}),
        "passes.0.attendee_email": order(attendee={"attendee_email": "ha\x00@saoviet.vn"}),
        "voucher": order(voucher="GIAM\x0010"),
        "code": ("POST", "/api/v1/checkin/scan", {"code": "KOL\x00", "gate": "Cổng A"}),
        "gate": ("POST", "/api/v1/checkin/scan", {"code": "KOL1", "gate": "Cổng\x00A"}),
        "event": ("GET", f"/api/v1/checkin/offline-data?event={event.slug}%00", None),
        "sync.event": (
            "POST",
            "/api/v1/checkin/sync",
            {"event": f"{event.slug}\x00", "device_id": "may-1", "scans": []},
        ),
    }


def test_nul_characters_answer_422_naming_the_field_not_postgresql_500(server, open_event, door_staff):
    from events.services import issue_api_token
    from tests.ticketing.factories import make_business_type

    _, device = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan", "checkin:read"])
    bearer = {"Authorization": f"Bearer {device}"}
    answers = {
        where: requests.request(method, f"{server}{path}", json=body, headers=bearer, timeout=30)
        for where, (method, path, body) in _nul_attacks(open_event, make_business_type(open_event)).items()
    }

    assert {where: answer.status_code for where, answer in answers.items()} == dict.fromkeys(answers, 422)
    named = {where: list(answer.json().get("errors", {})) for where, answer in answers.items()}
    assert named == {where: [where.removeprefix("sync.")] for where in answers}
    assert answers["full_name"].json()["errors"] == {
        "full_name": ["Hãy xoá ký tự NUL vô hình (mã 0) khỏi giá trị này."]
    }


def test_an_offline_queue_drains_past_one_scan_with_a_nul(server, open_event, door_staff):
    from events.services import issue_api_token
    from tests.events.factories import make_participant
    from ticketing import services

    holder = make_participant(open_event, full_name="Trần Văn Bình", status="approved")
    services.issue_badge(holder)
    holder.refresh_from_db()
    _, device = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan"])
    at = timezone.now().isoformat()
    scans = [
        {"client_id": str(uuid.uuid4()), "code": "\x00", "gate": "Cổng A", "scanned_at": at},
        {"client_id": str(uuid.uuid4()), "code": holder.badge.code, "gate": "Cổng A", "scanned_at": at},
    ]

    answer = requests.post(
        f"{server}/api/v1/checkin/sync",
        json={"event": open_event.slug, "device_id": "may-1", "scans": scans},
        headers={"Authorization": f"Bearer {device}"},
    )

    assert answer.status_code == 200
    assert [row["result"] for row in answer.json()["results"]] == ["invalid", "admitted"]


def test_a_token_of_another_event_reads_and_undoes_nothing_of_this_event(server, open_event, organizer, door_staff):
    """The review's token of event 2 read event 1's participants, badge codes and unlisted signatures, and
    undid an event-1 admission."""
    from datetime import date

    from events.declarations import services as declarations
    from events.models import Event
    from events.permissions import TOKEN_SCOPES
    from events.services import issue_api_token
    from tests.events.conftest import make_declaration
    from tests.events.factories import make_participant
    from ticketing import services
    from ticketing.models import CheckIn

    holder = make_participant(open_event, full_name="Trần Văn Bình", status="approved")
    badge = services.issue_badge(holder)
    declaration = make_declaration(open_event)
    declarations.sign_declaration(
        declaration=declaration, participant=holder, typed_name=holder.full_name, consent=True, public=False,
        signing=declarations.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0"),
    )  # fmt: skip
    _, door = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan"])
    requests.post(
        f"{server}/api/v1/checkin/scan", json={"code": badge.code, "gate": "Cổng A"},
        headers={"Authorization": f"Bearer {door}"}, timeout=30,
    )  # fmt: skip
    admission = CheckIn.objects.get(participant=holder)
    other = Event.objects.create(
        slug="kol-2028", name_vi="Lần hai", start_date=date(2028, 1, 1), end_date=date(2028, 1, 2)
    )
    api_token, secret = issue_api_token(user=organizer, name="kịch bản 2028", scopes=sorted(TOKEN_SCOPES))
    api_token.event = other
    api_token.save(update_fields=["event"])
    bearer = {"Authorization": f"Bearer {secret}"}
    api = f"{server}/api/v1"

    answers = [
        requests.get(f"{api}/events/{open_event.slug}/participants", headers=bearer, timeout=30),
        requests.get(f"{api}/participants/{holder.pk}/badge", headers=bearer, timeout=30),
        requests.get(
            f"{api}/events/{open_event.slug}/declarations/{declaration.slug}/signatures?unlisted=true",
            headers=bearer, timeout=30,
        ),
        requests.post(f"{api}/checkin/{admission.pk}/undo", headers=bearer, timeout=30),
    ]  # fmt: skip

    assert [(a.status_code, a.json()["code"]) for a in answers] == [
        (403, "token_other_event"),
        (403, "token_other_event"),
        (403, "forbidden"),  # organizers of this event only, whatever the token's scopes
        (403, "device_other_event"),  # a door operation: the token is the device of another event
    ]
    assert all(badge.code not in a.text and "Trần Văn Bình" not in a.text for a in answers)
    admission.refresh_from_db()
    assert admission.undone_at is None


def _admin_sign_in(base, password, address):
    session = requests.Session()
    headers = {"X-Forwarded-For": address, "Connection": "close"}
    page = session.get(f"{base}/admin/login/", headers=headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "bantochuc", "password": password, "next": "/admin/"},
        headers={**headers, "Referer": f"{base}/admin/login/"},
        allow_redirects=False,
    )
    return answer.status_code


def test_an_organizer_locked_from_four_addresses_still_gets_in_from_their_own(gunicorn_server, organizer):
    """The review locked the owner out with 6 wrong passwords from each of four addresses."""
    base, _log = gunicorn_server(
        BEHIND_PROXY=1, TRUSTED_PROXIES="127.0.0.1", LOGIN_LOCKOUT_FAILURES=5, LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS=20
    )
    attackers = [f"203.0.113.{n}" for n in range(1, 5)]
    for address in attackers:
        for _ in range(6):
            _admin_sign_in(base, "sai", address)

    assert [_admin_sign_in(base, "pw-bantochuc", address) for address in attackers] == [429] * 4
    assert _admin_sign_in(base, "pw-bantochuc", "198.51.100.20") == 302  # the owner, at the office


def test_stripe_webhook_findings_are_refused(gunicorn_server, event):
    from tests.ticketing.factories import make_business_type, place_order
    from ticketing.enums import OrderStatus

    order = place_order(event, make_business_type(event))
    base, _log = gunicorn_server(STRIPE_SECRET_KEY="sk_test_replay", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)

    future = stripe_delivery(base, checkout_completed(order), timestamp=int(time.time()) + 900)
    dollars = stripe_delivery(base, checkout_completed(order, currency="usd"))
    not_a_number = stripe_delivery(base, checkout_completed(order, amount_total="abc"))
    no_id = stripe_delivery(base, {"type": "checkout.session.completed", "data": {"object": {}}})
    short = stripe_delivery(base, checkout_completed(order, amount_total=order.total - 1, payment_intent="pi_2"))

    order.refresh_from_db()
    assert [future.status_code, not_a_number.status_code, no_id.status_code] == [400, 400, 400]
    assert (dollars.status_code, dollars.text) == (200, "wrong_currency")
    assert (short.status_code, short.text) == (200, "short_payment")
    assert order.status == OrderStatus.PENDING
