import pytest

from tests.events.factories import make_participant
from ticketing.enums import OrderStatus
from ticketing.models import Order, Quota

from .factories import BUYER, make_business_type, make_free_type, place_order

pytestmark = pytest.mark.django_db


def order_body(ticket_type, count=1, **overrides):
    body = {
        "buyer": dict(BUYER),
        "passes": [
            {"ticket_type": ticket_type.pk, "attendee_name": f"Nguyễn Văn {i}", "attendee_email": f"nv{i}@saoviet.vn"}
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
    body = order_body(business_type, 2, total=1)
    body["passes"][0]["price"] = 0
    response = post_order(client, event, body)
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["total"], [p["price"] for p in data["passes"]]) == (
        "pending",
        3_000_000,
        [1_500_000, 1_500_000],
    )
    assert Order.objects.get().total == 3_000_000
    assert len(data["token"]) >= 32


def test_create_order_sold_out_answers_409(client, event):
    ticket_type = make_business_type(event, seats=1)
    response = post_order(client, event, order_body(ticket_type, 2))
    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"
    assert Order.objects.count() == 0


@pytest.mark.parametrize("count", [0, 21])
def test_create_order_with_a_bad_number_of_passes_is_422(client, event, business_type, count):
    response = post_order(client, event, order_body(business_type, count))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["passes"]


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


def test_read_order_with_its_token_shows_the_vietqr_payload(client, event, business_type, bank_settings):
    order = place_order(event, business_type)
    response = client.get(f"/api/v1/orders/{order.code}", HTTP_X_ORDER_TOKEN=order.token)
    assert response.status_code == 200
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
    order = place_order(event, business_type)
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
        "400",
        "401",
        "404",
        "409",
        "422",
    }
