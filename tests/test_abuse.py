"""Abuse resistance: rate limits (429 + Retry-After, translated), login lockout, CSP and headers, health, uploads."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conference.security import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_magic_link_requests_are_limited_per_address_with_a_translated_page(client, event, settings):
    settings.RATE_LIMIT_MAGIC_LINK = (2, 900)
    url = reverse("events:request_link", kwargs={"slug": event.slug})

    answers = [client.post(url, {"email": "cuong.nguyen@example.vn"}) for _ in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert 0 < int(answers[2]["Retry-After"]) <= 900
    assert "Bạn đã thử quá nhiều lần" in answers[2].content.decode()


def test_api_registration_limit_answers_json(client, event, settings):
    settings.RATE_LIMIT_REGISTRATION = (1, 3600)
    url = f"/api/v1/events/{event.slug}/registrations"

    client.post(url, "{}", content_type="application/json")
    response = client.post(url, "{}", content_type="application/json")

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0


def test_scans_are_limited_per_device_not_per_address(client, door_staff, settings):
    from events.services import issue_api_token

    settings.RATE_LIMIT_SCAN = (2, 60)
    _, first = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan"])
    _, second = issue_api_token(user=door_staff, name="Cổng B", scopes=["checkin:scan"])
    body = '{"code": "KHONG-PHAI-MA", "gate": "Cổng A"}'

    def scan(secret):
        return client.post(
            "/api/v1/checkin/scan", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ).status_code

    assert [scan(first), scan(first), scan(first), scan(second)] == [200, 200, 429, 200]


def test_admin_login_locks_a_username_after_repeated_failures(client, organizer, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    url = reverse("admin:login")
    for _ in range(3):
        assert client.post(url, {"username": "bantochuc", "password": "sai"}).status_code == 200

    locked = client.post(url, {"username": "bantochuc", "password": "pw-bantochuc"})

    assert locked.status_code == 429
    assert "đăng nhập sai quá nhiều lần" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_from_one_address_does_not_lock_the_owner_out_elsewhere(client, organizer, settings):
    """Wrong passwords from one address lock the username there only; spread over many
    addresses, once LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS is reached, they lock every address that
    has failed at least once, but never the owner at an address without failures (issue #16)."""
    settings.LOGIN_LOCKOUT_FAILURES = 3
    settings.LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS = 5
    url = reverse("admin:login")

    def sign_in(password, address):
        return client.post(url, {"username": "bantochuc", "password": password}, REMOTE_ADDR=address)

    for _ in range(3):
        sign_in("sai", "203.0.113.7")
    assert sign_in("pw-bantochuc", "203.0.113.7").status_code == 429  # the guesser's address is locked
    assert sign_in("pw-bantochuc", "198.51.100.20").status_code == 302  # the owner, elsewhere, gets in
    client.logout()

    for address in ("192.0.2.1", "192.0.2.2"):  # five failures in all, from three addresses
        sign_in("sai", address)
    assert sign_in("pw-bantochuc", "192.0.2.1").status_code == 429  # an address that guessed is locked
    assert sign_in("sai", "192.0.2.3").status_code == 200  # a new address gets one guess …
    assert sign_in("pw-bantochuc", "192.0.2.3").status_code == 429  # … and is locked after it
    assert sign_in("pw-bantochuc", "198.51.100.20").status_code == 302  # the owner, from a clean address, gets in


def test_lockout_holds_on_every_login_page_and_a_success_clears_the_count(client, door_staff, settings):
    from django.contrib.auth import authenticate

    settings.LOGIN_LOCKOUT_FAILURES = 2
    assert authenticate(username="soatve", password="sai") is None
    assert authenticate(username="soatve", password="pw-soatve") is not None  # one failure: still fine
    assert client.post(reverse("staff:sign_in"), {"username": "soatve", "password": "pw-soatve"}).status_code == 302
    authenticate(username="soatve", password="sai")
    authenticate(username="soatve", password="sai")

    assert authenticate(username="soatve", password="pw-soatve") is None


def test_every_page_has_a_csp_without_inline_script(client, event):
    response = client.get(reverse("events:event_detail", kwargs={"slug": event.slug}))

    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY + ";"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text) or re.search(
            r"\son[a-z]+\s*=", text
        ):
            offenders.append(str(path.relative_to(ROOT)))

    assert offenders == []


def test_no_html_form_view_is_csrf_exempt():
    exempt = [
        str(path.relative_to(ROOT))
        for app in ("events", "ticketing", "sessions", "conference")
        for path in (ROOT / app).rglob("*.py")
        if "csrf_exempt" in path.read_text()
    ]

    # The Stripe, SePay and Casso webhooks are server-to-server POSTs checked by their signature
    # or key, not forms;
    # the one-click opt-out (RFC 8058) is posted by mail clients with only its signed token.
    assert sorted(exempt) == ["events/campaigns/views.py", "ticketing/views.py"]
    assert (ROOT / "events/campaigns/views.py").read_text().count("@csrf_exempt") == 1
    assert (ROOT / "ticketing/views.py").read_text().count("@csrf_exempt") == 3


def test_secure_cookies_follow_https(settings):
    from importlib import reload

    import conference.settings as project_settings

    try:
        import os

        os.environ["HTTPS"] = "1"
        reload(project_settings)
        assert project_settings.SESSION_COOKIE_SECURE is True
        assert project_settings.CSRF_COOKIE_SECURE is True
        assert project_settings.SECURE_HSTS_SECONDS == 31536000
    finally:
        del os.environ["HTTPS"]
        reload(project_settings)


def test_health_reports_database_and_cache_without_auth(client, db):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "cache": True, "media": True, "worker": True},
    }


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("sao-ke.pdf", b"%PDF-1.4"), "Hãy tải sao kê lên dưới dạng tệp .csv hoặc .xlsx."),
        (SimpleUploadedFile("sao-ke.csv", b"a" * (2 * 1024 * 1024 + 1)), "Tệp sao kê lớn hơn 2 MB."),
        (SimpleUploadedFile("sao-ke.csv", b"\x89PNG\r\n\x1a\n\x00\x00"), "Sao kê phải là tệp CSV mã hóa UTF-8."),
    ],
)
def test_bank_statement_upload_is_size_and_type_checked(upload, message):
    from django.utils import translation

    from ticketing.forms import BankStatementForm

    with translation.override("vi"):
        form = BankStatementForm(files={"statement": upload})
        assert not form.is_valid()
        assert form.errors["statement"] == [message]
