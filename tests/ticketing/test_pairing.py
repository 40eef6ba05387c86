"""Pairing a phone as a scanner device: one-time code, expiry, rate limit, event binding, revocation."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import AuditEntry, Event
from ticketing.models import DevicePairing
from ticketing.services import pairing

PAIR = "/staff/pair/"


@pytest.fixture(autouse=True)
def fresh_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def code(event, organizer):
    _pairing, code = pairing.create_pairing(event=event, name="Điện thoại cổng Bắc", gate="Cổng Bắc", by=organizer)
    return code


def test_organizer_page_shows_a_qr_and_code(organizer_client, event):
    response = organizer_client.post(
        reverse("ticketing:scanner_devices", args=[event.slug]),
        {"pair": "1", "pair-name": "Điện thoại 1", "pair-gate": "Cổng A"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-pairing-code" in page and "data:image/png;base64," in page
    assert DevicePairing.objects.get().code_sha256 not in page  # only the hash is stored, never shown
    assert AuditEntry.objects.filter(action="ticketing.device.pairing_created").count() == 1


def test_door_staff_cannot_create_a_pairing(client, event, door_staff):
    client.force_login(door_staff)
    response = client.post(reverse("ticketing:scanner_devices", args=[event.slug]), {"pair": "1", "pair-name": "x"})
    assert response.status_code == 403
    assert not DevicePairing.objects.exists()


def test_phone_pairs_by_code_and_lands_on_its_scanner(client, event, code):
    response = client.post(PAIR, {"code": code.lower()[:4] + "-" + code.lower()[4:]})
    assert (response.status_code, response["Location"]) == (302, reverse("ticketing:scanner", args=[event.slug]))
    assert client.get(response["Location"]).status_code == 200
    assert AuditEntry.objects.filter(action="ticketing.device.paired").count() == 1


def test_qr_address_prefills_the_code_without_using_it(client, event, code):
    response = client.get(PAIR + "?code=" + code)
    assert code in response.content.decode()
    assert DevicePairing.objects.get().used_at is None


def test_code_works_once(client, event, code):
    client.post(PAIR, {"code": code})
    other = client.__class__()
    response = other.post(PAIR, {"code": code})
    assert response.status_code == 400
    assert "đã được dùng" in response.content.decode()


def test_expired_code_is_refused(client, event, code):
    DevicePairing.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(PAIR, {"code": code}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_guessing_codes_is_rate_limited(client, event, code, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMIT_PAIRING = (3, 900)
    statuses = [client.post(PAIR, {"code": f"AAAA{n:04d}"}).status_code for n in range(3)]
    assert statuses == [400, 400, 400]
    assert client.post(PAIR, {"code": code}).status_code == 429


def test_paired_phone_cannot_scan_another_event(client, event, code):
    Event.objects.create(slug="khac", name_vi="Sự kiện khác", start_date=date(2027, 9, 1), end_date=date(2027, 9, 1))
    client.post(PAIR, {"code": code})
    assert client.get(reverse("ticketing:scanner", args=["khac"])).status_code == 403
    response = client.get("/api/v1/checkin/search", {"event": "khac", "q": "Nguyễn"})
    assert response.status_code == 403


def test_paired_phone_reaches_only_the_scanner(client, event, code):
    client.post(PAIR, {"code": code})
    response = client.get(reverse("declarations:kiosk_index", args=[event.slug]))
    assert response.status_code == 302  # anonymous outside the scanner: sent to sign in


def test_revoking_stops_the_phone_at_once(organizer_client, event, code):
    client = organizer_client.__class__()  # the phone: a browser of its own
    client.post(PAIR, {"code": code})
    device = DevicePairing.objects.get().device
    organizer_client.post(reverse("ticketing:revoke_scanner_device", args=[event.slug, device.pk]))
    response = client.get(reverse("ticketing:scanner", args=[event.slug]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="ticketing.device.revoked").count() == 1
