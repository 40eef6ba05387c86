import base64
import unicodedata

import pytest

from events.enums import ParticipantStatus
from events.services import issue_api_token
from tests.events.factories import make_participant
from ticketing import codes, services
from ticketing.enums import OrderStatus
from ticketing.models import Order, Quota

from .conftest import decoded_codes, pdf_pages
from .factories import BUYER, make_business_type, make_free_type, person_name, place_order

pytestmark = pytest.mark.django_db


def get(client, path, token=None, **headers):
    if token is not None:
        headers["HTTP_X_REGISTRATION_TOKEN"] = token
    return client.get(f"/api/v1{path}", **headers)


def test_own_badge_code_with_the_registration_token(client, approved):
    response = get(client, "/registration/badge", approved.token)

    body = response.json()
    assert response.status_code == 200
    assert body["participant_id"] == approved.pk
    assert body["full_name"] == "Nguyễn Tiến Cường"
    assert body["version"] == 1
    assert body["code"] == approved.badge.code
    assert body["pdf_url"] == "http://testserver/api/v1/registration/badge.pdf"


def test_own_badge_pdf_decodes_to_own_code(client, approved, tmp_path):
    response = get(client, "/registration/badge.pdf", approved.token)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    (page,) = pdf_pages(b"".join(response.streaming_content), tmp_path)
    assert decoded_codes(page) == [approved.badge.code]


def test_another_token_only_ever_sees_its_own_badge(client, event, approved):
    other = make_participant(event, full_name="Phạm Đức Mạnh", status=ParticipantStatus.APPROVED)

    mine = get(client, "/registration/badge", approved.token).json()
    theirs = get(client, "/registration/badge", other.token).json()

    assert (mine["participant_id"], theirs["participant_id"]) == (approved.pk, other.pk)
    assert mine["code"] != theirs["code"]


def test_own_badge_without_a_valid_ticket_is_404(client, event):
    pending = make_participant(event, status=ParticipantStatus.PENDING)

    response = get(client, "/registration/badge", pending.token)

    assert response.status_code == 404
    assert response.json()["code"] == "badge_not_found"


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_own_badge_without_a_valid_token_is_401(client, approved, token):
    assert get(client, "/registration/badge.pdf", token).status_code == 401


def test_organizer_fetches_any_badge(organizer_client, approved):
    response = get(organizer_client, f"/participants/{approved.pk}/badge")
    pdf = get(organizer_client, f"/participants/{approved.pk}/badge.pdf")

    assert response.status_code == 200
    assert response.json()["code"] == approved.badge.code
    assert pdf.status_code == 200


def test_door_staff_cannot_fetch_badges(client, door_staff, approved):
    client.force_login(door_staff)

    response = get(client, f"/participants/{approved.pk}/badge.pdf")

    assert response.status_code == 403


def test_participant_token_cannot_use_the_organizer_endpoint(client, approved):
    assert get(client, f"/participants/{approved.pk}/badge", approved.token).status_code == 401


def test_bearer_token_needs_the_badges_scope(client, organizer, approved):
    _token, without_scope = issue_api_token(user=organizer, name="máy quét", scopes=["participants:read"])
    _token, with_scope = issue_api_token(user=organizer, name="máy in", scopes=["badges:read"])

    refused = get(client, f"/participants/{approved.pk}/badge", HTTP_AUTHORIZATION=f"Bearer {without_scope}")
    allowed = get(client, f"/participants/{approved.pk}/badge", HTTP_AUTHORIZATION=f"Bearer {with_scope}")

    assert (refused.status_code, allowed.status_code) == (403, 200)


def test_public_key_endpoint_verifies_the_badge_code_offline(client, event, approved):
    code = services.issue_badge(approved).code

    response = get(client, f"/events/{event.slug}/badge-keys")

    (key,) = response.json()
    public_key = base64.b64decode(key["public_key_base64"])
    assert response.status_code == 200
    assert (key["algorithm"], key["code_format_version"], key["event_id"]) == ("Ed25519", 1, event.pk)
    assert bytes.fromhex(key["public_key_hex"]) == public_key
    assert key["key_id"] == codes.key_id(public_key)
    assert codes.verify_code(public_key, code).participant_id == approved.pk
    assert set(key) == {
        "event_id",
        "event_slug",
        "key_id",
        "algorithm",
        "code_format_version",
        "public_key_base64",
        "public_key_hex",
    }


def test_public_key_endpoint_of_an_unknown_event_is_404(client, db):
    assert get(client, "/events/khong-co/badge-keys").status_code == 404


pytestmark = pytest.mark.django_db


def order_body(ticket_type, count=1, **overrides):
    body = {
        "buyer": dict(BUYER),
        "passes": [
            {
                "ticket_type": ticket_type.pk,
                "attendee_name": person_name(i, "Nguyễn Văn"),
                "attendee_email": f"nv{i}@saoviet.vn",
            }
            for i in range(count)
        ],
        "attendees_consent": True,
    }
    body.update(overrides)
    return body


def post_order(client, event, body, **headers):
    return client.post(f"/api/v1/events/{event.slug}/orders", body, content_type="application/json", **headers)


def test_ticket_types_show_live_availability(client, event, business_type):
    make_free_type(event)
    place_order(event, business_type, 3)
    response = client.get(f"/api/v1/events/{event.slug}/ticket-types")
    assert response.status_code == 200
    by_name = {row["name"]: row for row in response.json()}
    assert by_name["Thẻ doanh nghiệp"] == {
        "id": business_type.pk,
        "name": "Thẻ doanh nghiệp",
        "categories": ["business"],
        "price": 1_500_000,
        "on_sale": True,
        "available": 7,
    }
    assert by_name["Thẻ kol"]["price"] == 0


@pytest.mark.parametrize("count", [1, 3])
def test_ticket_types_query_count_does_not_grow(client, event, django_assert_max_num_queries, count):
    for index in range(count):
        make_business_type(event, name_vi=f"Loại {index}")
    with django_assert_max_num_queries(4):
        assert len(client.get(f"/api/v1/events/{event.slug}/ticket-types").json()) == count


def test_create_order_ignores_client_prices(client, event, business_type):
    buyer = make_participant(event, category="business", status="approved", email="tuan.pham@saoviet.vn")
    body = order_body(business_type, 2, total=1)
    body["passes"][0]["price"] = 0
    response = post_order(client, event, body, HTTP_X_REGISTRATION_TOKEN=buyer.token)
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["total"], [p["price"] for p in data["passes"]]) == (
        "pending",
        3_000_000,
        [1_500_000, 1_500_000],
    )
    assert Order.objects.get().total == 3_000_000
    assert len(data["token"]) >= 32


def test_create_order_anonymously_holds_nothing_and_keeps_the_token_for_the_email(client, event, business_type):
    response = post_order(client, event, order_body(business_type, 2))
    order = Order.objects.get()
    assert response.status_code == 202
    assert response.json() == {
        "code": order.code,
        "status": "unconfirmed",
        "message": response.json()["message"],
    }
    assert order.token not in response.content.decode()
    assert Quota.objects.get().taken == 0


def test_create_order_sold_out_answers_409(client, event):
    ticket_type = make_business_type(event, seats=1)
    buyer = make_participant(event, category="business", status="approved", email="tuan.pham@saoviet.vn")
    response = post_order(client, event, order_body(ticket_type, 2), HTTP_X_REGISTRATION_TOKEN=buyer.token)
    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"
    assert Order.objects.filter(status="pending").count() == 0
    assert Quota.objects.get().taken == 0


@pytest.mark.parametrize("count", [0, 21])
def test_create_order_with_a_bad_number_of_passes_is_422(client, event, business_type, count):
    response = post_order(client, event, order_body(business_type, count))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["passes"]


@pytest.mark.parametrize(
    ("where", "value", "field"),
    [
        (("buyer", "name"), "Phạm Minh Tuấn 2", "buyer.name"),
        (("buyer", "organization"), "Sao Việt\u0007", "buyer.organization"),
        (("buyer", "email"), "not-an-email", "buyer.email"),
        (("pass", "attendee_email"), "att@example.com\r\nBcc: victim@example.com", "passes.0.attendee_email"),
        (("pass", "attendee_email"), "not-an-email", "passes.0.attendee_email"),
        (("pass", "attendee_name"), "<script>", "passes.0.attendee_name"),
        (("pass", "attendee_title"), "Giám đốc\u202e", "passes.0.attendee_title"),
    ],
)
def test_create_order_checks_names_emails_and_text_like_registration(client, event, business_type, where, value, field):
    """The findings of issue #16: "x\\u0007" in a title broke the XLSX export, header-injected e-mails were stored."""
    body = order_body(business_type)
    target = body["buyer"] if where[0] == "buyer" else body["passes"][0]
    target[where[1]] = value
    response = post_order(client, event, body, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == [field]
    assert not Order.objects.exists()


def test_create_order_stores_names_nfc_and_addresses_lowercase(client, event, business_type):
    body = order_body(business_type)
    body["passes"][0]["attendee_name"] = unicodedata.normalize("NFD", "Nguyễn Thu Hà")
    body["passes"][0]["attendee_email"] = "Ha@SaoViet.vn"
    assert post_order(client, event, body).status_code == 202
    position = Order.objects.get().positions.get()
    assert (position.attendee_name, position.attendee_email) == ("Nguyễn Thu Hà", "ha@saoviet.vn")


def test_create_order_with_a_huge_ticket_type_id_is_400_not_500(client, event, business_type):
    body = order_body(business_type)
    body["passes"][0]["ticket_type"] = 10**12
    response = post_order(client, event, body)
    assert (response.status_code, response.json()["code"]) == (400, "unknown_ticket_type")


def test_create_order_without_attendee_consent_is_refused(client, event, business_type):
    response = post_order(client, event, order_body(business_type, attendees_consent=False))
    assert (response.status_code, response.json()["code"]) == (400, "consent_required")


def test_create_order_with_a_registration_token_links_the_buyer(client, event, business_type):
    buyer = make_participant(event, category="business", email="tuan.pham@saoviet.vn")
    response = post_order(client, event, order_body(business_type), HTTP_X_REGISTRATION_TOKEN=buyer.token)
    assert response.status_code == 201
    assert Order.objects.get().buyer_id == buyer.pk


def test_create_order_with_an_unknown_registration_token_is_401(client, event, business_type):
    response = post_order(client, event, order_body(business_type), HTTP_X_REGISTRATION_TOKEN="sai")
    assert response.status_code == 401


def test_read_order_with_its_token_shows_the_vietqr_payload_once_transfer_is_chosen(
    client, event, business_type, bank_settings
):
    order = place_order(event, business_type)
    before = client.get(f"/api/v1/orders/{order.code}", HTTP_X_ORDER_TOKEN=order.token).json()
    response = client.post(f"/api/v1/orders/{order.code}/bank-transfer", HTTP_X_ORDER_TOKEN=order.token)
    assert (before["vietqr"], response.status_code) == (None, 200)
    data = response.json()
    assert (data["code"], data["status"], data["total"]) == (order.code, OrderStatus.PENDING, 1_500_000)
    assert data["vietqr"].startswith("00020101021238")
    assert f"0810{order.code}" in data["vietqr"]
    assert data["card_payment_available"] is False
    assert "token" not in data


def test_read_order_with_another_orders_token_is_404(client, event, business_type):
    order = place_order(event, business_type)
    other = Order.objects.create(event=event, buyer_name="X", buyer_email="x@example.vn")
    response = client.get(f"/api/v1/orders/{order.code}", HTTP_X_ORDER_TOKEN=other.token)
    assert response.status_code == 404


def test_read_order_with_the_buyers_registration_token(client, event, business_type):
    buyer = make_participant(event, category="business", email="tuan.pham@saoviet.vn")
    stranger = make_participant(event, category="business")
    order = place_order(event, business_type, buyer_participant=buyer)
    mine = client.get(f"/api/v1/orders/{order.code}", HTTP_X_REGISTRATION_TOKEN=buyer.token)
    theirs = client.get(f"/api/v1/orders/{order.code}", HTTP_X_REGISTRATION_TOKEN=stranger.token)
    assert (mine.status_code, theirs.status_code) == (200, 404)


def test_read_order_without_credentials_is_401(client, event, business_type):
    order = place_order(event, business_type)
    assert client.get(f"/api/v1/orders/{order.code}").status_code == 401
    assert Quota.objects.get().taken == 1


def test_openapi_documents_the_ticketing_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/events/{slug}/ticket-types", "/api/v1/events/{slug}/orders", "/api/v1/orders/{code}"} <= set(
        schema["paths"]
    )
    assert set(schema["paths"]["/api/v1/events/{slug}/orders"]["post"]["responses"]) == {
        "201",
        "202",
        "400",
        "401",
        "404",
        "409",
        "422",
    }
