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
from ticketing.services import checkin, devices

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


def test_a_device_works_for_its_own_event_only(organizer_client, organizer, holder, other_event):
    """A device token is bound to the event whose page created it: another event's badge is
    wrong_event, pointing the device at another event is refused, and the other event's
    device page neither lists nor revokes it."""
    api_token, secret = devices.create_scanner_device(event=holder.event, name="Cổng A", by=organizer)
    stranger = badge_holder(other_event, "Lê Văn Khách")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "content_type": "application/json"}

    def scan(body):
        return Client().post("/api/v1/checkin/scan", body, **bearer)

    assert scan({"code": holder.badge.code, "gate": "A"}).json()["result"] == "admitted"
    assert scan({"code": stranger.badge.code, "gate": "A"}).json()["result"] == "wrong_event"
    elsewhere = scan({"code": stranger.badge.code, "gate": "A", "event": other_event.slug})
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "device_other_event")
    search = Client().get(f"/api/v1/checkin/search?event={other_event.slug}&q=Khach", **bearer)
    assert search.status_code == 403
    lists = Client().get(f"/api/v1/checkin/offline-data?event={other_event.slug}", **bearer)
    assert lists.status_code == 403
    sync = Client().post(
        "/api/v1/checkin/sync",
        {"event": other_event.slug, "device_id": "may-1", "scans": []},
        **bearer,
    )
    assert (sync.status_code, sync.json()["code"]) == (403, "device_other_event")
    assert api_token not in organizer_client.get(devices_url(other_event)).context["devices"]
    revoke = organizer_client.post(reverse("ticketing:revoke_scanner_device", args=[other_event.slug, api_token.pk]))
    api_token.refresh_from_db()
    assert (revoke.status_code, api_token.revoked_at) == (404, None)


def test_device_name_is_required(organizer_client, event):
    response = organizer_client.post(devices_url(event), {"name": "  ", "gate": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0


def test_organizer_revokes_a_device_token(organizer_client, organizer, event):
    api_token, secret = devices.create_scanner_device(event=event, name="Máy quét 1", by=organizer)
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
    api_token, _secret = devices.create_scanner_device(event=event, name="Máy quét 1", by=organizer)

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
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("staff:sign_in"))


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


def test_event_page_links_staff_to_their_check_in_tools(client, organizer, door_staff, event):
    page = reverse("events:event_detail", args=[event.slug])
    scanner = reverse("ticketing:scanner", args=[event.slug])
    arrivals = reverse("ticketing:arrivals", args=[event.slug])
    device_page = devices_url(event)

    public = client.get(page).content.decode()
    client.force_login(door_staff)
    door = client.get(page).content.decode()
    client.force_login(organizer)
    organizer_page = client.get(page).content.decode()

    assert scanner not in public and arrivals not in public
    assert scanner in door and arrivals not in door and device_page not in door
    assert all(url in organizer_page for url in (scanner, arrivals, device_page))
    assert "Soát vé tại cửa" in door


def test_door_supervisor_opens_live_arrivals_from_the_event_page(client, supervisor, open_event, door_staff):
    checkin.scan(code=badge_holder(open_event, "Phạm Minh Tuấn").badge.code, gate="Cổng Nam", by=door_staff)
    client.force_login(supervisor)
    arrivals = reverse("ticketing:arrivals", args=[open_event.slug])

    event_page = client.get(reverse("events:event_detail", args=[open_event.slug])).content.decode()
    response = client.get(arrivals)
    figures = client.get(ARRIVALS_API, {"event": open_event.slug})

    assert arrivals in event_page
    assert response.status_code == 200
    assert "Phạm Minh Tuấn" in response.content.decode()
    # The organizer-only tools stay off the supervisor's page: devices and the admin's conflict review.
    assert devices_url(open_event) not in response.content.decode()
    assert "/admin/" not in response.content.decode()
    assert figures.status_code == 200 and figures.json()["admitted"] == 1


def test_scanner_offers_undo_to_supervisors_only_and_the_event_gates(
    client, organizer, door_staff, supervisor, open_event
):
    devices.create_scanner_device(event=open_event, name="Máy Cổng Bắc", gate="Cổng Bắc", by=organizer)
    revoked, _secret = devices.create_scanner_device(event=open_event, name="Máy cũ", gate="Cổng cũ", by=organizer)
    devices.revoke_scanner_device(event=open_event, token_id=revoked.pk, by=organizer)
    scanner = reverse("ticketing:scanner", args=[open_event.slug])

    client.force_login(door_staff)
    door = client.get(scanner).content.decode()
    client.force_login(supervisor)
    supervising = client.get(scanner).content.decode()

    assert "data-undo-url" not in door
    assert 'data-undo-url="/api/v1/checkin/0/undo"' in supervising
    assert '<datalist id="gate-list"><option value="Cổng Bắc"></datalist>' in door
