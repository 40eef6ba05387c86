"""A NUL character anywhere in a request answers 422 (never PostgreSQL's 500), on SQLite and PostgreSQL alike."""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from conference.input import nul_field

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.fixture
def door_client(client, door_staff):
    client.force_login(door_staff)
    return client


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/events/kol-2027/registrations", {"category": "business", "full_name": "Nguyễn\x00 An"}),
        ("/api/v1/events/kol-2027/registrations", {"category": "business", "email": "an@example.vn\x00"}),
        ("/api/v1/events/kol-2027/orders", {"buyer": {"name": "Công ty\x00"}, "passes": []}),
        ("/api/v1/events/kol-2027/orders", {"voucher": "GIAM\x0010", "passes": [{"name": "An"}]}),
        ("/api/v1/checkin/scan", {"code": "KOL\x00", "gate": "Cổng A"}),
        ("/api/v1/checkin/scan", {"code": "KOL1", "gate": "Cổng\x00A"}),
        ("/api/v1/checkin/admit", {"event": "kol-2027", "participant": 1, "gate": "A\x00"}),
    ],
)
def test_nul_in_a_json_body_answers_422_naming_the_field(door_client, event, path, body):
    response = door_client.post(path, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    [(field, messages)] = response.json()["errors"].items()
    assert messages == ["Remove the invisible NUL character (code 0) from this value."]
    assert NUL not in field and field != "body"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/checkin/offline-data?event=kol-2027%00",
        "/api/v1/checkin/search?event=kol-2027&q=Nguy%00",
        "/api/v1/events/kol-2027/participants?q=%00",
        "/orders/abc%00def/",
        "/e/kol-2027/me/login/abc%00/",
    ],
)
def test_nul_in_the_path_or_a_query_parameter_answers_422(door_client, event, path):
    response = door_client.get(path)

    assert response.status_code == 422


def test_nul_in_an_html_form_is_a_field_error_beside_the_input(client, event):
    """HTML forms clean their own input (Django's CharField refuses NUL): the person sees which field."""
    url = reverse("events:request_link", kwargs={"slug": event.slug})

    response = client.post(url, {"email": "an@example.vn\x00"})

    assert response.status_code == 400
    assert "Không được có ký tự NUL (mã 0)." in response.content.decode()


def test_nul_in_the_query_of_an_html_page_answers_a_translated_422_page(client, event):
    response = client.get(reverse("ticketing:buy", kwargs={"slug": event.slug}) + "?passes=1%00")

    assert response.status_code == 422
    assert "Hãy xoá ký tự NUL vô hình (mã 0) khỏi giá trị này." in response.content.decode()


def test_json_that_only_spells_a_backslash_u0000_is_not_refused(rf):
    request = rf.post("/api/v1/x", json.dumps({"note": "\\u0000"}), content_type="application/json")

    assert nul_field(request) is None


def test_an_offline_batch_with_one_scan_holding_a_nul_judges_it_invalid_and_applies_the_rest(door_client, open_event):
    from tests.events.factories import make_participant
    from ticketing import services
    from ticketing.models import CheckIn, OfflineScan

    holder = make_participant(open_event, full_name="Trần Văn Bình", status="approved")
    services.issue_badge(holder)
    holder.refresh_from_db()
    at = timezone.now().isoformat()
    scans = [
        {"client_id": str(uuid.uuid4()), "code": "KOL\x00BAD", "gate": "Cổng A", "scanned_at": at},
        {"client_id": str(uuid.uuid4()), "code": holder.badge.code, "gate": "Cổng\x00B", "scanned_at": at},
        {"client_id": str(uuid.uuid4()), "code": holder.badge.code, "gate": "Cổng A", "scanned_at": at},
    ]
    body = json.dumps({"event": open_event.slug, "device_id": "may-1", "scans": scans})

    response = door_client.post("/api/v1/checkin/sync", body, content_type="application/json")
    again = door_client.post("/api/v1/checkin/sync", body, content_type="application/json")

    assert response.status_code == 200
    assert [row["result"] for row in response.json()["results"]] == ["invalid", "invalid", "admitted"]
    assert again.json() == response.json()
    assert list(CheckIn.objects.values_list("participant_id", "gate")) == [(holder.pk, "Cổng A")]
    assert sorted(OfflineScan.objects.values_list("gate", flat=True)) == ["Cổng A", "Cổng A", "Cổng\ufffdB"]


def test_an_offline_batch_naming_an_event_with_a_nul_answers_422(door_client, open_event):
    body = json.dumps({"event": "kol\x00", "device_id": "may-1", "scans": []})

    response = door_client.post("/api/v1/checkin/sync", body, content_type="application/json")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["event"]
