"""Admit-by-name shares the scan's exactly-once guard: gates racing by name and by badge admit once."""

import pytest

from events.enums import ParticipantStatus
from events.services import issue_api_token
from tests.concurrency.test_checkin import THREADS, scan_all
from tests.events.factories import make_participant
from ticketing import services
from ticketing.models import CheckIn, ScanLog

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_concurrent_name_and_badge_admissions_admit_exactly_once(live_server, open_event, door_staff):
    participant = make_participant(open_event, full_name="Nguyễn Tiến Cường", status=ParticipantStatus.APPROVED)
    badge = services.issue_badge(participant)
    secrets = [issue_api_token(user=door_staff, name=f"Cổng {n}", scopes=["checkin:scan"])[1] for n in range(THREADS)]
    by_name = {"participant": participant.pk, "event": open_event.slug}
    bodies = [by_name | {"gate": f"Cổng {n}"} for n in range(THREADS // 2)]
    bodies += [{"code": badge.code, "gate": f"Cổng {n}"} for n in range(THREADS // 2, THREADS)]
    urls = [f"{live_server.url}/api/v1/checkin/admit"] * (THREADS // 2)
    urls += [f"{live_server.url}/api/v1/checkin/scan"] * (THREADS - THREADS // 2)

    results = scan_all(urls, bodies, secrets)

    assert [status for status, _body in results] == [200] * THREADS
    assert sorted(body["result"] for _status, body in results) == ["admitted"] + ["already_checked_in"] * (THREADS - 1)
    check_in = CheckIn.objects.get()
    assert {body["gate"] for _status, body in results} == {check_in.gate}
    assert ScanLog.objects.count() == THREADS
