"""Deploy findings of issue #16, item 4, replayed against gunicorn started as the sample unit starts it."""

import pytest
import requests
from django.core import signing

from .conftest import access_log_lines

pytestmark = pytest.mark.django_db(transaction=True)


def test_access_log_of_the_sample_unit_holds_no_personal_link_or_token(gunicorn_server, event):
    signed = signing.TimestampSigner(salt="events.magic-link").sign("4242")
    base, access_log = gunicorn_server(workers=1)

    requests.get(f"{base}/e/{event.slug}/me/login/{signed}/?next=/me/", allow_redirects=False, timeout=30)
    requests.get(f"{base}/orders/ordertok3nS3cretValue123456/", timeout=30)
    requests.get(
        f"{base}/e/{event.slug}/", headers={"Referer": f"{base}/e/{event.slug}/me/login/{signed}/"}, timeout=30
    )
    requests.post(
        f"{base}/api/v1/checkin/scan", json={}, headers={"Authorization": "Bearer devic3-s3cret-xyz"}, timeout=30
    )

    log = access_log_lines(access_log, 4)
    assert log.count("\n") == 4
    assert signed not in log and signed.split(":")[0] not in log
    assert "ordertok3nS3cretValue123456" not in log
    assert "devic3-s3cret" not in log
    assert "next=" not in log
    assert f"GET /e/{event.slug}/me/login/[redacted]/ HTTP/1.1" in log


def _registration_answers(base, count, forwarded_for):
    return [
        requests.post(
            f"{base}/api/v1/events/kol-2027/registrations",
            data="{}",
            headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for(number)},
            timeout=30,
        ).status_code
        for number in range(count)
    ]


def test_spoofed_forwarded_for_sent_straight_to_gunicorn_does_not_escape_the_limit(gunicorn_server, event):
    """The review sent 25 registrations with invented X-Forwarded-For straight to gunicorn: 25/25 passed."""
    base, _log = gunicorn_server(BEHIND_PROXY=1, TRUSTED_PROXIES="10.0.0.10", RATE_LIMIT_REGISTRATION="3/h")

    answers = _registration_answers(base, 6, lambda number: f"198.51.100.{number}")

    assert answers.count(429) == 3


def test_behind_our_proxy_only_the_entry_nginx_appended_counts(gunicorn_server, event):
    """Control for the test above: from the trusted proxy, the last X-Forwarded-For entry is the client."""
    base, _log = gunicorn_server(BEHIND_PROXY=1, TRUSTED_PROXIES="127.0.0.1", RATE_LIMIT_REGISTRATION="3/h")

    distinct_clients = _registration_answers(base, 4, lambda number: f"203.0.113.9, 198.51.100.{number}")
    one_client_inventing_hops = _registration_answers(base, 4, lambda number: f"10.9.9.{number}, 198.51.100.77")

    assert 429 not in distinct_clients
    assert one_client_inventing_hops.count(429) == 1
