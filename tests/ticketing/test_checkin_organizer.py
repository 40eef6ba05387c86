"""Organizer pages of door check-in: scanner device tokens and live arrivals (page and API)."""

import pytest
from django.test import Client
from django.urls import reverse

from events.enums import Category, ParticipantStatus
from events.models import ApiToken
from events.services import issue_api_token
from tests.agenda.factories import make_room, make_session
from tests.events.factories import make_participant
from ticketing import services
from ticketing.services import checkin

pytestmark = pytest.mark.django_db

ARRIVALS_API = "/api/v1/checkin/arrivals"


def devices_url(event):
    return reverse("ticketing:scanner_devices", args=[event.slug])


def badge_holder(event, name, category=Category.KOL):
    participant = make_participant(event, full_name=name, category=category, status=ParticipantStatus.APPROVED)
    services.issue_badge(participant)
    participant.refresh_from_db()
    return participant


# --- scanner devices -------------------------------------------------------------


def test_organizer_creates_a_device_token_and_sees_the_secret_once(organizer_client, event, door_staff):
    response = organizer_client.post(devices_url(event), {"name": "Điện thoại 3", "gate": "Cổng Bắc"})

    api_token = ApiToken.objects.get(name="Điện thoại 3")
    secret = response.context["secret"]
    assert response.status_code == 200
    assert (api_token.gate, api_token.scopes, api_token.revoked_at) == ("Cổng Bắc", ["checkin:scan"], None)
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert secret not in organizer_client.get(devices_url(event)).content.decode()
    # The secret works as a scanner's bearer token (a fresh client: no session to fall back on).
    scan = Client().post(
        "/api/v1/checkin/scan",
        {"code": "rác", "gate": "Cổng Bắc"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert (scan.status_code, scan.json()["result"]) == (200, "invalid")


def test_device_name_is_required(organizer_client, event):
    response = organizer_client.post(devices_url(event), {"name": "  ", "gate": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0


def test_organizer_revokes_a_device_token(organizer_client, organizer, event):
    api_token, secret = issue_api_token(user=organizer, name="Máy quét 1", scopes=["checkin:scan"])
    url = reverse("ticketing:revoke_scanner_device", args=[event.slug, api_token.pk])

    response = organizer_client.post(url)

    api_token.refresh_from_db()
    assert response.status_code == 302
    assert api_token.revoked_at is not None
    scan = Client().post(
        "/api/v1/checkin/scan",
        {"code": "x", "gate": "A"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert scan.status_code == 401


def test_revoke_only_touches_scanner_tokens(organizer_client, organizer, event):
    other, _secret = issue_api_token(user=organizer, name="Xuất dữ liệu", scopes=["badges:read"])

    response = organizer_client.post(reverse("ticketing:revoke_scanner_device", args=[event.slug, other.pk]))

    other.refresh_from_db()
    assert (response.status_code, other.revoked_at) == (404, None)


def test_revoke_needs_post(organizer_client, organizer, event):
    api_token, _secret = issue_api_token(user=organizer, name="Máy quét 1", scopes=["checkin:scan"])

    response = organizer_client.get(reverse("ticketing:revoke_scanner_device", args=[event.slug, api_token.pk]))

    assert response.status_code == 405


def test_door_staff_cannot_manage_devices(client, door_staff, event):
    client.force_login(door_staff)

    assert client.get(devices_url(event)).status_code == 403
    assert client.post(devices_url(event), {"name": "Lén lút"}).status_code == 403
    assert ApiToken.objects.count() == 0


def test_anonymous_is_sent_to_login(client, event):
    for url in (devices_url(event), reverse("ticketing:arrivals", args=[event.slug])):
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("admin:login"))


def test_devices_page_rejects_a_post_without_csrf(organizer, event):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)

    assert client.post(devices_url(event), {"name": "Không CSRF"}).status_code == 403
    assert ApiToken.objects.count() == 0


# --- live arrivals -----------------------------------------------------------------


def test_arrivals_counts_by_category_gate_and_session(organizer_client, open_event, door_staff):
    kol, regulator, other = (
        badge_holder(open_event, "Trần Thu Hà"),
        badge_holder(open_event, "Nguyễn Tiến Cường", Category.REGULATOR),
        badge_holder(open_event, "Lê Văn Đạt"),
    )
    session = make_session(open_event, make_room(open_event))
    checkin.scan(code=kol.badge.code, gate="Cổng A", by=door_staff)
    checkin.scan(code=regulator.badge.code, gate="Cổng B", by=door_staff)
    undone = checkin.scan(code=other.badge.code, gate="Cổng A", by=door_staff)
    checkin.scan(code=kol.badge.code, gate="Phòng 1", by=door_staff, session_id=session.pk)
    checkin.scan(code="giả mạo", gate="Cổng A", by=door_staff)
    from ticketing.models import CheckIn

    CheckIn.objects.filter(pk=undone.check_in_id).update(undone_at=undone.checked_in_at)

    body = organizer_client.get(ARRIVALS_API, {"event": open_event.slug}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["admitted"] == 2
    assert [(row["category"], row["count"]) for row in body["by_category"]] == [("kol", 1), ("regulator", 1)]
    assert body["by_gate"] == [{"gate": "Cổng A", "count": 1}, {"gate": "Cổng B", "count": 1}]
    assert body["by_session"] == [{"session": session.pk, "count": 1}]
    assert sum(bucket["count"] for bucket in body["series"]) == 2
    assert [(scan["name"], scan["gate"], scan["result"]) for scan in body["recent"]] == [
        ("Trần Thu Hà", "Phòng 1", "admitted"),
        ("Lê Văn Đạt", "Cổng A", "admitted"),
        ("Nguyễn Tiến Cường", "Cổng B", "admitted"),
        ("Trần Thu Hà", "Cổng A", "admitted"),
    ]


def test_arrivals_series_groups_by_five_minutes(open_event, door_staff):
    import datetime

    from django.utils import timezone

    from ticketing import selectors

    base = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    people = [badge_holder(open_event, f"Khách {n}") for n in range(4)]
    for person, minutes in zip(people, (0, 4, 5, 14), strict=True):
        checkin.scan(code=person.badge.code, gate="A", by=door_staff, now=base + datetime.timedelta(minutes=minutes))

    series = selectors.arrivals(open_event)["series"]

    assert [(bucket["start"].strftime("%H:%M"), bucket["count"]) for bucket in series] == [
        ("08:00", 2),
        ("08:05", 1),
        ("08:10", 1),
    ]


@pytest.mark.parametrize("people", [1, 3])
def test_arrivals_api_runs_a_fixed_number_of_queries(organizer_client, open_event, door_staff, count_queries, people):
    for n in range(people):
        checkin.scan(code=badge_holder(open_event, f"Khách {n}").badge.code, gate=f"Cổng {n}", by=door_staff)

    queries = count_queries(lambda: organizer_client.get(ARRIVALS_API, {"event": open_event.slug}))

    # session + user + groups (auth), event, 4 aggregates, last scans, their names, conflicts
    assert queries == 11


def test_door_staff_cannot_read_arrivals(client, door_staff, open_event):
    client.force_login(door_staff)

    assert client.get(ARRIVALS_API, {"event": open_event.slug}).status_code == 403
    assert client.get(reverse("ticketing:arrivals", args=[open_event.slug])).status_code == 403


def test_arrivals_api_needs_auth_and_a_known_event(organizer_client, open_event):
    assert Client().get(ARRIVALS_API, {"event": open_event.slug}).status_code == 401
    assert organizer_client.get(ARRIVALS_API, {"event": "khong-co"}).status_code == 404


def test_arrivals_page_renders_the_first_figures(organizer_client, open_event, door_staff):
    checkin.scan(code=badge_holder(open_event, "Phạm Minh Tuấn").badge.code, gate="Cổng Nam", by=door_staff)

    response = organizer_client.get(reverse("ticketing:arrivals", args=[open_event.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Phạm Minh Tuấn" in html and "Cổng Nam" in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "arrivals/arrivals.js" in html
    assert "<script>" not in html
