"""Walk-ins at badge desks racing: one person registered at two desks at once, and two people for the last
free pass. Each walk-in is one transaction (registration, consent, pass, admission, print): the loser is
told why and leaves nothing behind."""

import json

import pytest

from events.enums import Category, ParticipantStatus
from events.models import Consent, Participant
from events.services import issue_api_token
from tests.concurrency.test_checkin import scan_all
from tests.ticketing.factories import make_free_type
from ticketing.models import CheckIn, DeskPrint, OrderPosition, Quota

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

DESKS = 4


@pytest.fixture(autouse=True)
def no_printer(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The print job runs after each commit: a queue that does not exist answers at once, nothing is printed.
    settings.BADGE_DESK_PRINTERS = {f"Bàn in {n}": "khong-co-may-in" for n in range(DESKS)}


def desk_tokens(organizer):
    scopes = ["checkin:scan", "participants:decide"]
    return [issue_api_token(user=organizer, name=f"Bàn in {n}", scopes=scopes)[1] for n in range(DESKS)]


def walk_in(event, desk, email, name="Đặng Thùy Linh"):
    return {
        "gate": f"Bàn in {desk}",
        "event": event.slug,
        "full_name": name,
        "email": email,
        "category": Category.KOL,
        "consent_participation": True,
    }


def answers(results):
    return sorted((status, body["result"] if status == 200 else json.loads(body)["code"]) for status, body in results)


def test_one_walk_in_registered_at_four_desks_at_once_is_registered_once(live_server, open_event, organizer):
    free = make_free_type(open_event, Category.KOL, seats=10)
    bodies = [walk_in(open_event, desk, "linh.dang@example.vn") for desk in range(DESKS)]

    results = scan_all(f"{live_server.url}/api/v1/checkin/desk/walk-in", bodies, desk_tokens(organizer))

    assert answers(results) == [(200, "admitted")] + [(409, "already_registered")] * (DESKS - 1)
    person = Participant.objects.get()
    assert (person.status, Consent.objects.filter(participant=person).count()) == (ParticipantStatus.APPROVED, 1)
    assert (OrderPosition.objects.count(), Quota.objects.get(pk=free.quotas.get().pk).taken) == (1, 1)
    assert (CheckIn.objects.count(), DeskPrint.objects.count()) == (1, 1)


def test_four_walk_ins_for_the_last_free_pass_leave_three_unregistered(live_server, open_event, organizer):
    free = make_free_type(open_event, Category.KOL, seats=1)
    bodies = [walk_in(open_event, desk, f"khach{desk}@example.vn", name=f"Khách {desk}") for desk in range(DESKS)]

    results = scan_all(f"{live_server.url}/api/v1/checkin/desk/walk-in", bodies, desk_tokens(organizer))

    assert answers(results) == [(200, "admitted")] + [(409, "sold_out")] * (DESKS - 1)
    # The three who found no pass were never registered: no participant, consent, admission or print.
    assert (Participant.objects.count(), Consent.objects.count()) == (1, 1)
    assert (CheckIn.objects.count(), DeskPrint.objects.count()) == (1, 1)
    assert Quota.objects.get(pk=free.quotas.get().pk).taken == 1
