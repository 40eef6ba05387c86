"""An organizer watches live arrivals: a scan made through the API shows up without a reload."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from events.enums import Category, ParticipantStatus
from events.services import issue_api_token
from tests.events.factories import make_participant
from ticketing import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_scan_appears_in_the_live_counts_without_reload(page, live_server, event, organizer, door_staff):
    event.start_date = event.end_date = timezone.localdate()
    event.save()
    participant = make_participant(
        event, full_name="Trần Thị Thu Hằng", category=Category.KOL, status=ParticipantStatus.APPROVED
    )
    badge = services.issue_badge(participant)
    _api_token, secret = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan"])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server, organizer)
    page.goto(f"{live_server.url}/e/{event.slug}/checkin/arrivals/")
    page.wait_for_function("() => window.Chart !== undefined")
    assert page.locator("[data-admitted]").text_content() == "0"
    page.evaluate("() => { window.notReloaded = true; }")

    scan = page.request.post(
        f"{live_server.url}/api/v1/checkin/scan",
        data=json.dumps({"code": badge.code, "gate": "Cổng A"}),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"},
    )

    assert scan.json()["result"] == "admitted"
    page.wait_for_function("() => document.querySelector('[data-admitted]').textContent === '1'", timeout=10_000)
    assert page.evaluate("() => window.notReloaded") is True
    assert page.locator("[data-by-gate] tr").all_inner_texts() == ["Cổng A\t1"]
    assert "Trần Thị Thu Hằng" in page.locator("[data-recent]").inner_text()
    assert page.locator("[data-series-chart]").bounding_box()["height"] > 0
    assert errors == []


def test_times_are_in_the_events_time_zone_not_the_browsers(browser, live_server, event, organizer, door_staff):
    from ticketing.models import CheckIn
    from ticketing.services import checkin

    event.start_date = event.end_date = timezone.localdate()
    event.save()
    participant = make_participant(
        event, full_name="Lê Văn Đạt", category=Category.KOL, status=ParticipantStatus.APPROVED
    )
    badge = services.issue_badge(participant)
    checkin.scan(code=badge.code, gate="Cổng B", by=door_staff)
    at = timezone.localtime(CheckIn.objects.get().checked_in_at).strftime("%H:%M:%S")  # Hà Nội time
    context = browser.new_context(timezone_id="America/New_York")  # an organizer's laptop set elsewhere
    page = context.new_page()
    _sign_in(page, live_server, organizer)
    with page.expect_response(lambda response: "/api/v1/checkin/arrivals" in response.url):
        page.goto(f"{live_server.url}/e/{event.slug}/checkin/arrivals/")
    page.wait_for_timeout(300)  # the script redraws the table from that answer

    assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"
    assert page.locator("[data-recent] tr").first.inner_text().split("\t")[0] == at
    context.close()
