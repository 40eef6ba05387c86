"""The events API: registration, owner status, organizer listing and decisions."""

import json

import pytest
from django.core import mail

from events import services
from events.links import magic_link
from events.models import Participant

from .factories import api_registration, make_invitation, make_participant

pytestmark = pytest.mark.django_db


def post_json(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def url(event):
    return f"/api/v1/events/{event.slug}/registrations"


def exchange(client, event, participant):
    """A registration token as an app gets it: the participant's e-mailed link, exchanged once."""
    link = magic_link(participant)
    return post_json(client, f"/api/v1/events/{event.slug}/registration/token", {"link": link})


def test_register_kol_answers_202_and_emails_the_link(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, url(event), api_registration())
    participant = Participant.objects.get()
    assert response.status_code == 202
    assert response.json() == {
        "status": "received",
        "message": "Đã nhận đăng ký. Hãy mở đường dẫn chúng tôi đã gửi đến địa chỉ email này để tiếp tục.",
    }
    assert participant.token not in response.content.decode()
    assert (participant.phone, participant.status) == ("+84987654321", "pending")
    assert len(mail.outbox) == 1 and "/me/login/" in mail.outbox[0].body


def test_a_known_email_answers_exactly_like_a_new_one(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = post_json(client, url(event), api_registration())
        again = post_json(client, url(event), api_registration(email="THAO.TRAN@example.vn", full_name="Kẻ Mạo Danh"))
    assert (first.status_code, first.json()) == (again.status_code, again.json())
    assert Participant.objects.get().full_name == "Trần Thị Phương Thảo"
    assert [m.subject.split(": ", 1)[1] for m in mail.outbox] == [
        "Đăng ký của bạn: Đang chờ duyệt",
        "Bạn đã đăng ký rồi",
    ]


def test_the_emailed_link_exchanges_once_for_the_owner_token(client, event):
    participant = make_participant(event, full_name="Trần Thị Phương Thảo")
    link = magic_link(participant)
    first = post_json(client, f"/api/v1/events/{event.slug}/registration/token", {"link": link})
    second = post_json(client, f"/api/v1/events/{event.slug}/registration/token", {"link": link})
    assert first.status_code == 200
    assert (first.json()["token"], first.json()["registration"]["full_name"]) == (
        participant.token,
        participant.full_name,
    )
    assert (second.status_code, second.json()["code"]) == (400, "link_used")


def test_owner_reads_status_with_token_others_cannot(client, event):
    token = exchange(client, event, make_participant(event)).json()["token"]
    mine = client.get("/api/v1/registration", HTTP_X_REGISTRATION_TOKEN=token)
    assert mine.status_code == 200
    assert (mine.json()["status"], mine.json()["status_label"]) == ("pending", "Đang chờ duyệt")
    assert client.get("/api/v1/registration", HTTP_X_REGISTRATION_TOKEN="nope").status_code == 401
    assert client.get("/api/v1/registration").status_code == 401


def test_status_label_follows_accept_language(client, event):
    token = exchange(client, event, make_participant(event)).json()["token"]
    response = client.get("/api/v1/registration", HTTP_X_REGISTRATION_TOKEN=token, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["status_label"] == "Pending review"


def test_register_regulator_with_code(client, event):
    invitation = make_invitation(event, "regulator")
    body = api_registration(
        category="regulator",
        organization="Hiệp hội An ninh mạng quốc gia",
        invitation_code=invitation.code,
        channels=[],
    )
    response = post_json(client, url(event), body)
    assert response.status_code == 202
    assert Participant.objects.get().status == "approved"


def test_register_with_bad_code_is_422_on_the_field(client, event):
    body = api_registration(category="regulator", organization="Cục A05", invitation_code="BADBADBAD1")
    response = post_json(client, url(event), body)
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_invitation",
        "message": "Mã thư mời không hợp lệ.",
        "field": "invitation_code",
    }
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"full_name": 42}, "full_name"),
        ({"full_name": None}, "full_name"),
        ({"consent_participation": "maybe"}, "consent_participation"),
        ({"channels": "tiktok"}, "channels"),
        ({"channels": [{"platform": "tiktok"}]}, "channels.0.handle"),
        (
            {"channels": [{"platform": "tiktok", "handle": "x", "url": "https://t.co/x", "followers": "many"}]},
            "channels.0.followers",
        ),
    ],
)
def test_wrong_types_are_422_with_field_messages(client, event, override, field):
    response = post_json(client, url(event), api_registration(**override))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert Participant.objects.count() == 0


def test_missing_fields_are_422(client, event):
    response = post_json(client, url(event), {"category": "kol"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["full_name"] == ["Trường này là bắt buộc."]
    assert {"email", "phone", "consent_participation"} <= set(errors)


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"full_name": "N" * 10_000}, "full_name", "Giá trị này chỉ có tối đa 120 kí tự (hiện có 10000)"),
        ({"full_name": "Ngô 🎉"}, "full_name", None),
        ({"email": "x@"}, "email", None),
        ({"phone": "0000"}, "phone", None),
        ({"phone": "+1 202 555 0100x"}, "phone", None),
        ({"phone": "0912 345 678 ext. 5"}, "phone", None),
        ({"consent_participation": False}, "consent_participation", None),
        ({"channels": []}, "channels", None),
        (
            {"channels": [{"platform": "tiktok", "handle": "x", "url": "ftp://x", "followers": -1}]},
            "channels.0.followers",
            None,
        ),
    ],
)
def test_invalid_values_are_422_in_vietnamese(client, event, override, field, message):
    response = post_json(client, url(event), api_registration(**override))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert Participant.objects.count() == 0


def test_not_json_and_empty_body_are_4xx_not_500(client, event):
    assert client.post(url(event), data="{not json", content_type="application/json").status_code in (400, 422)
    assert client.post(url(event), data="", content_type="application/json").status_code in (400, 422)
    assert client.post(url(event), data=json.dumps([1, 2]), content_type="application/json").status_code == 422


def test_unknown_category_and_event(client, event):
    assert post_json(client, url(event), api_registration(category="vip")).json()["code"] == "unknown_category"
    assert post_json(client, "/api/v1/events/nope/registrations", api_registration()).status_code == 404


def test_sql_looking_and_html_strings_are_stored_verbatim(client, event):
    body = api_registration(title="'; DROP TABLE events_participant; --", organization="<script>x</script>")
    assert post_json(client, url(event), body).status_code == 202
    participant = Participant.objects.get()
    assert participant.title == "'; DROP TABLE events_participant; --"
    assert participant.organization == "<script>x</script>"


# --- organizers ----------------------------------------------------------


def test_participant_list_requires_an_organizer(client, event, door_staff):
    list_url = f"/api/v1/events/{event.slug}/participants"
    assert client.get(list_url).status_code == 401
    client.force_login(door_staff)
    assert client.get(list_url).status_code == 403


def test_organizer_lists_and_filters_participants(organizer_client, event):
    make_participant(event, full_name="Nguyễn Văn An", category="kol")
    make_participant(event, full_name="Lê Thị Bình", category="regulator", status="approved")
    response = organizer_client.get(f"/api/v1/events/{event.slug}/participants?category=regulator")
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["items"]] == ["Lê Thị Bình"]
    search = organizer_client.get(f"/api/v1/events/{event.slug}/participants?search=Văn An")
    assert [p["full_name"] for p in search.json()["items"]] == ["Nguyễn Văn An"]
    bad = organizer_client.get(f"/api/v1/events/{event.slug}/participants?status=maybe")
    assert bad.status_code == 422


def test_participant_list_query_count_is_constant(organizer_client, event, count_queries):
    list_url = f"/api/v1/events/{event.slug}/participants"
    make_participant(event)
    with_one = count_queries(lambda: organizer_client.get(list_url))
    make_participant(event)
    make_participant(event)
    # session, user, groups, event, count, participants, channels
    assert with_one == count_queries(lambda: organizer_client.get(list_url)) == 7


def test_organizer_decides_with_session_and_csrf(client, organizer, event):
    from django.test import Client

    participant = make_participant(event)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(organizer)
    response = post_json(csrf_client, f"/api/v1/participants/{participant.pk}/decision", {"decision": "approved"})
    assert response.status_code == 403  # no CSRF token: a session cookie alone cannot change state


def test_organizer_decides_with_token(client, organizer, event, django_capture_on_commit_callbacks):
    _token, secret = services.issue_api_token(user=organizer, name="script", scopes=["participants:decide"])
    participant = make_participant(event)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            client,
            f"/api/v1/participants/{participant.pk}/decision",
            {"decision": "approved", "reason": "Uy tín"},
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    participant.refresh_from_db()
    assert (participant.decided_by, participant.decision_reason) == (organizer, "Uy tín")
    assert [m.subject for m in mail.outbox] == [  # the decision, then the badge it earns
        "Hội nghị KOL toàn quốc lần thứ nhất: Đăng ký của bạn: Đã duyệt",
        mail.outbox[1].subject,
    ]
    assert mail.outbox[1].attachments[0][2] == "application/pdf"


def test_token_without_scope_or_revoked_is_refused(client, organizer, event):
    from django.utils import timezone

    token, secret = services.issue_api_token(user=organizer, name="reader", scopes=["participants:read"])
    participant = make_participant(event)
    decide_url = f"/api/v1/participants/{participant.pk}/decision"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert post_json(client, decide_url, {"decision": "approved"}, **auth).status_code == 403
    assert client.get(f"/api/v1/events/{event.slug}/participants", **auth).status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get(f"/api/v1/events/{event.slug}/participants", **auth).status_code == 401


def test_token_of_a_non_organizer_is_refused(client, door_staff, event):
    _token, secret = services.issue_api_token(user=door_staff, name="x", scopes=["participants:read"])
    response = client.get(f"/api/v1/events/{event.slug}/participants", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403


def test_decision_errors(organizer_client, event):
    participant = make_participant(event, status="approved")
    decide_url = f"/api/v1/participants/{participant.pk}/decision"
    assert post_json(organizer_client, decide_url, {"decision": "approved"}).json()["code"] == "already_decided"
    assert post_json(organizer_client, decide_url, {"decision": "pending"}).json()["code"] == "invalid_decision"
    assert (
        post_json(organizer_client, "/api/v1/participants/999999/decision", {"decision": "approved"}).status_code == 404
    )
    assert post_json(organizer_client, decide_url, {"decision": "rejected", "reason": "x" * 2001}).status_code == 422


def test_bulk_decision(organizer_client, event):
    first, second = make_participant(event), make_participant(event)
    already = make_participant(event, status="waitlisted")
    response = post_json(
        organizer_client,
        f"/api/v1/events/{event.slug}/decisions",
        {"decision": "waitlisted", "participant_ids": [first.pk, second.pk, already.pk]},
    )
    assert response.json() == {"changed": 2}
    assert set(Participant.objects.values_list("status", flat=True)) == {"waitlisted"}


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "National KOL Conference API"
    assert "/api/v1/events/{slug}/registrations" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_bearer_token_works_from_a_client_that_enforces_csrf(organizer, event):
    """A script has no CSRF cookie: the token must be tried before the session auth refuses."""
    from django.test import Client

    _token, secret = services.issue_api_token(user=organizer, name="script", scopes=["participants:decide"])
    participant = make_participant(event)
    client = Client(enforce_csrf_checks=True)
    response = post_json(
        client,
        f"/api/v1/participants/{participant.pk}/decision",
        {"decision": "waitlisted"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "waitlisted"
