import base64

import pytest

from events.enums import ParticipantStatus
from events.services import issue_api_token
from tests.events.factories import make_participant
from ticketing import codes, services

from .conftest import decoded_codes, pdf_pages

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
