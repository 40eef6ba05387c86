"""Twenty gates admit twenty people to a session with eight seats at once: never more than eight inside."""

import pytest

from events.services import issue_api_token
from tests.agenda.factories import make_room, make_session
from ticketing.models import CheckIn, ScanLog

from .test_checkin import badge_holder, open_event, scan_all  # noqa: F401 (open_event is a fixture)

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

PEOPLE = 20
SEATS = 8


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_concurrent_walk_ins_never_exceed_the_seats(live_server, open_event, door_staff):  # noqa: F811
    session = make_session(open_event, make_room(open_event, capacity=SEATS))
    badges = [badge_holder(open_event, f"Khách mời {n}") for n in range(PEOPLE)]
    secrets = [issue_api_token(user=door_staff, name=f"Cửa {n}", scopes=["checkin:scan"])[1] for n in range(PEOPLE)]
    bodies = [{"code": badge.code, "gate": f"Cửa {n}", "session": session.pk} for n, badge in enumerate(badges)]

    results = scan_all(f"{live_server.url}/api/v1/checkin/scan", bodies, secrets)

    assert [status for status, _body in results] == [200] * PEOPLE
    verdicts = sorted(body["result"] for _status, body in results)
    assert verdicts == ["admitted"] * SEATS + ["no_seat"] * (PEOPLE - SEATS)
    assert CheckIn.objects.filter(session_id=session.pk, undone_at__isnull=True).count() == SEATS
    assert ScanLog.objects.filter(session_id=session.pk).count() == PEOPLE
