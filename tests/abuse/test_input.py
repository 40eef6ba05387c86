"""Input the review got stored (issue #16, item 5), replayed against gunicorn: order input is checked like
registration, and the admin refuses a mistyped token scope and another event's quota."""

from datetime import date

import pytest
import requests

from tests.events.factories import api_registration
from tests.ticketing.factories import BUYER, make_business_type

from .conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _order(ticket_type, buyer=None, attendee=None):
    return {
        "buyer": {**BUYER, **(buyer or {})},
        "passes": [{"ticket_type": ticket_type.pk, "attendee_name": "Nguyễn Thu Hà",
                    "attendee_email": "ha.nguyen@saoviet.vn", **(attendee or {})}],
        "attendees_consent": True,
    }  # fmt: skip


def test_order_and_registration_input_the_review_got_stored_is_refused(gunicorn_server, event):
    from events.models import Participant
    from ticketing.models import Order

    ticket_type = make_business_type(event)
    base, _log = gunicorn_server()
    orders, registrations = (
        f"{base}/api/v1/events/{event.slug}/orders",
        f"{base}/api/v1/events/{event.slug}/registrations",
    )
    attacks = {
        "passes.0.attendee_title": (orders, _order(ticket_type, attendee={"attendee_title": "x\u0007"})),
        "buyer.organization": (orders, _order(ticket_type, buyer={"organization": "Sao Việt\u0007"})),
        "passes.0.attendee_email": (
            orders, _order(ticket_type, attendee={"attendee_email": "att@example.com\r\nBcc: victim@example.com"})
        ),
        "buyer.email": (orders, _order(ticket_type, buyer={"email": "not-an-email"})),
        "buyer.name": (orders, _order(ticket_type, buyer={"name": "Phạm Minh Tuấn 2"})),
        "phone": (registrations, api_registration(phone="+1 202 555 0100x")),
    }  # fmt: skip

    answers = {
        field: requests.post(url, json=body, headers={"Accept-Language": "vi"}, timeout=30)
        for field, (url, body) in attacks.items()
    }

    assert {field: (a.status_code, list(a.json()["errors"])) for field, a in answers.items()} == {
        field: (422, [field]) for field in attacks
    }
    assert not Order.objects.exists() and not Participant.objects.exists()


def _organizer(base):
    session = requests.Session()
    credentials = {"username": "bantochuc", "password": "pw-bantochuc", "next": "/admin/"}
    answer = submit(session, f"{base}/admin/login/", credentials)
    assert answer.status_code == 200 and "/admin/logout/" in answer.text
    return session


def test_the_admin_refuses_a_mistyped_token_scope_and_shows_the_known_list(gunicorn_server, organizer):
    from events.models import ApiToken

    base, _log = gunicorn_server()
    admin = _organizer(base)
    add = f"{base}/admin/events/apitoken/add/"

    form = admin.get(add, timeout=30).text
    typo = submit(admin, add, {"user": organizer.pk, "name": "Máy quét", "scopes": ["checkin:scna"]})

    assert "checkin:scan · Quét thẻ tại cửa" in form
    assert typo.status_code == 200
    assert "checkin:scna không phải là một trong các lựa chọn khả thi" in typo.text
    assert not ApiToken.objects.exists()


def test_the_admin_refuses_a_ticket_type_drawing_on_another_events_quota(gunicorn_server, event, organizer):
    from events.models import Event
    from ticketing.models import Quota, TicketType

    other = Event.objects.create(
        slug="kol-2028", name_vi="Lần hai", start_date=date(2028, 8, 12), end_date=date(2028, 8, 13)
    )
    foreign = Quota.objects.create(event=other, name="Hội trường 2028", size=50)
    own = Quota.objects.create(event=event, name="Hội trường", size=50)
    base, _log = gunicorn_server()
    admin = _organizer(base)
    add = f"{base}/admin/ticketing/tickettype/add/"

    picker = admin.get(add, timeout=30).text
    refused = submit(admin, add, {
        "event": event.pk, "name_vi": "Vé doanh nghiệp", "name_en": "", "categories": ["business"],
        "price": 1500000, "quotas": [own.pk, foreign.pk], "max_per_order": 10, "active": "on",
    })  # fmt: skip

    assert "kol-2028 · Hội trường 2028" in picker and "kol-2027 · Hội trường" in picker
    assert refused.status_code == 200
    assert "Một loại vé chỉ được dùng các hạn mức của chính sự kiện của nó." in refused.text
    assert not TicketType.objects.exists()
