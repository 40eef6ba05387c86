"""Identity (issue #16, item 1), replayed against gunicorn: only a link sent to an address proves it.

The review registered on the business form with a company buyer's e-mail, got a signed-in personal page
at once, saw the company's order with its attendees' e-mails and cancelled it. Here the same stranger
tries the shop, the API and the personal pages, and a known address is compared with a new one.
"""

import time

import pytest
import requests
from django.conf import settings

from tests.events.factories import api_registration
from tests.ticketing.factories import BUYER, make_business_type, passes
from ticketing.services.orders import create_order

from .conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)

VICTIM = BUYER["email"]  # tuan.pham@saoviet.vn, the Sao Việt buyer
SIGNED_IN = "Xin chào"  # the greeting of an opened personal page


@pytest.fixture
def kol(event):
    from tests.events.factories import make_participant

    return make_participant(event, full_name="Nguyễn Tiến Cường", status="approved")


@pytest.fixture
def victims_order(event):
    """Sao Việt's buyer, signed in by their own link, holds an order for two named attendees."""
    from tests.events.factories import make_participant

    buyer = make_participant(event, category="business", status="approved", full_name="Phạm Minh Tuấn", email=VICTIM)
    ticket_type = make_business_type(event)
    order = create_order(event=event, buyer=dict(BUYER), passes=passes(ticket_type, 2), buyer_participant=buyer)
    return order, ticket_type


def _shop_form(ticket_type, email):
    return {
        "name": "Kẻ Mạo Danh", "email": email, "organization": "Công ty Ma", "tax_code": "", "voucher": "",
        "attendees_consent": "on", "passes-TOTAL_FORMS": "1", "passes-INITIAL_FORMS": "0",
        "passes-0-ticket_type": str(ticket_type.pk), "passes-0-attendee_name": "Kẻ Mạo Danh",
        "passes-0-attendee_email": "ke.mao.danh@example.vn",
    }  # fmt: skip


def _nothing_of_the_victim(text, order):
    return not any(secret in text for secret in (order.code, order.token, "ha.nguyen@saoviet.vn", "0101234567"))


def test_ordering_with_a_buyers_email_opens_nothing_of_theirs(gunicorn_server, event, victims_order):
    order, ticket_type = victims_order
    base, _log = gunicorn_server()
    stranger = requests.Session()

    placed = submit(stranger, f"{base}/e/{event.slug}/tickets/", _shop_form(ticket_type, VICTIM))
    personal = stranger.get(f"{base}/e/{event.slug}/me/", timeout=30)
    exports = [stranger.get(f"{base}/e/{event.slug}/me/data.{kind}", timeout=30) for kind in ("json", "pdf")]
    by_api = stranger.post(
        f"{base}/api/v1/events/{event.slug}/orders",
        json={
            "buyer": {**BUYER, "name": "Kẻ Mạo Danh"},
            "passes": [
                {"ticket_type": ticket_type.pk, "attendee_name": "Kẻ Mạo Danh", "attendee_email": "k@example.vn"}
            ],
            "attendees_consent": True,
        },
        timeout=30,
    )
    read_by_code = stranger.get(f"{base}/api/v1/orders/{order.code}", timeout=30)
    cancel_by_code = submit(stranger, f"{base}/e/{event.slug}/", {}, to=f"{base}/orders/{order.code}/cancel/")

    assert placed.status_code == 200 and placed.url.endswith("/tickets/placed/")
    assert personal.status_code == 200 and SIGNED_IN not in personal.text
    assert [answer.status_code for answer in exports] == [404, 404]
    assert by_api.status_code == 202 and "token" not in by_api.json()
    assert (read_by_code.status_code, cancel_by_code.status_code) == (401, 404)
    for answer in (placed, personal, by_api, read_by_code):
        assert _nothing_of_the_victim(answer.text, order)
    order.refresh_from_db()
    assert order.status == "pending"


def test_a_known_address_answers_exactly_like_a_new_one(gunicorn_server, event):
    """The review saw 409 already_registered for a known address and 201 for a new one."""
    from tests.events.factories import make_participant

    make_participant(event, full_name="Trần Thị Phương Thảo", email="thao.tran@example.vn")
    base, _log = gunicorn_server()

    def register(email):
        body = api_registration(full_name="Kẻ Dò Tìm", email=email)
        return requests.post(f"{base}/api/v1/events/{event.slug}/registrations", json=body, timeout=30)

    known, new = register("thao.tran@example.vn"), register("ai.do@example.vn")

    assert known.status_code == new.status_code == 202
    assert known.json() == new.json()
    assert set(known.headers) - {"Date"} == set(new.headers) - {"Date"}


def _open(session, link):
    """Open a personal link as its owner does: the page shows a button, the button spends the link."""
    return submit(session, link, {}, allow_redirects=False)


def test_a_leaked_personal_link_stops_once_a_newer_one_is_used_and_a_spent_one_never_reopens(
    gunicorn_server, event, kol
):
    from events.links import magic_link

    base, _log = gunicorn_server()
    older, newer = (magic_link(kol).replace(settings.SITE_URL, base) for _ in range(2))

    owner = requests.Session()
    spent = _open(owner, newer)
    leaked_older = _open(requests.Session(), older)
    reused = _open(requests.Session(), newer)

    assert spent.status_code == 302 and SIGNED_IN in owner.get(f"{base}/e/{event.slug}/me/", timeout=30).text
    assert (leaked_older.status_code, reused.status_code) == (400, 400)
    assert "Đường dẫn này đã được sử dụng" in reused.text


def test_a_personal_link_expires_after_its_documented_lifetime(gunicorn_server, event, kol):
    from events.links import magic_link

    base, _log = gunicorn_server(MAGIC_LINK_MAX_AGE=1)
    link = magic_link(kol).replace(settings.SITE_URL, base)
    time.sleep(2.1)

    answer = _open(requests.Session(), link)

    assert answer.status_code == 400
    assert "Đường dẫn này đã hết hạn" in answer.text


def test_an_anonymous_order_does_not_tell_who_already_holds_a_pass(gunicorn_server, event, victims_order):
    """Naming someone as an attendee must not reveal that they hold a pass (the registration's 409 finding,
    on the order path): the check runs once the buyer proved their mailbox, on confirming."""
    _order, ticket_type = victims_order
    base, _log = gunicorn_server()

    def order_naming(email):
        body = {
            "buyer": {**BUYER, "name": "Kẻ Dò Tìm", "email": "ke.do.tim@example.vn"},
            "passes": [{"ticket_type": ticket_type.pk, "attendee_name": "Người Nào Đó", "attendee_email": email}],
            "attendees_consent": True,
        }
        return requests.post(f"{base}/api/v1/events/{event.slug}/orders", json=body, timeout=30)

    holder, nobody = order_naming("ha.nguyen@saoviet.vn"), order_naming("chua.co.ai@example.vn")

    assert holder.status_code == nobody.status_code == 202
    assert set(holder.json()) == set(nobody.json())
    assert "ha.nguyen@saoviet.vn" not in holder.text
