"""Door check-in: every scan verdict, exactly-once admission, undo, the scan log and the query budget."""

import contextlib
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.enums import ParticipantStatus
from tests.agenda.factories import make_room, make_session
from ticketing import codes, services
from ticketing.enums import ScanResult
from ticketing.models import CheckIn, ScanLog
from ticketing.services import checkin

pytestmark = pytest.mark.django_db


def forged(code):
    # Same claim, one signature character changed.
    last = code[-4]
    return code[:-4] + ("A" if last != "A" else "B") + code[-3:]


def test_scan_first_time_admits_and_logs(holder, door_staff):
    outcome = checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff)

    check_in = CheckIn.objects.get()
    log = ScanLog.objects.get()
    assert outcome.result == ScanResult.ADMITTED
    assert outcome.participant.full_name == "Trần Thị Thu Hằng"
    assert (outcome.gate, outcome.check_in_id) == ("Cổng A", check_in.pk)
    assert (check_in.participant, check_in.gate, check_in.checked_in_by, check_in.session_id) == (
        holder,
        "Cổng A",
        door_staff,
        0,
    )
    assert (log.result, log.gate, log.user, log.code, log.participant_id_claimed) == (
        "admitted",
        "Cổng A",
        door_staff,
        holder.badge.code,
        holder.pk,
    )


def test_scan_second_time_is_already_checked_in_with_the_first_admission(holder, door_staff):
    first = checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff)
    second = checkin.scan(code=holder.badge.code, gate="Cổng B", by=door_staff)

    assert second.result == ScanResult.ALREADY_CHECKED_IN
    assert (second.checked_in_at, second.gate) == (first.checked_in_at, "Cổng A")
    assert CheckIn.objects.count() == 1
    assert list(ScanLog.objects.order_by("pk").values_list("result", flat=True)) == ["admitted", "already_checked_in"]


@pytest.mark.parametrize("code", ["", "xin chào", "HELLO", "0" * 113])
def test_scan_unreadable_code_is_invalid(holder, door_staff, code):
    outcome = checkin.scan(code=code, gate="A", by=door_staff)

    assert (outcome.result, outcome.participant) == (ScanResult.INVALID, None)
    assert CheckIn.objects.count() == 0
    assert ScanLog.objects.get().result == "invalid"


def test_scan_forged_code_is_invalid(holder, door_staff):
    outcome = checkin.scan(code=forged(holder.badge.code), gate="A", by=door_staff)

    assert (outcome.result, outcome.participant) == (ScanResult.INVALID, None)
    assert CheckIn.objects.count() == 0


def test_scan_code_signed_by_a_key_of_no_event_is_invalid(holder, door_staff):
    encrypted, _public = codes.new_key_pair()
    code = codes.sign_code(encrypted, event_id=holder.event_id + 1000, participant_id=holder.pk, version=1)

    assert checkin.scan(code=code, gate="A", by=door_staff).result == ScanResult.INVALID


def test_scan_code_of_another_events_key_for_this_event_is_invalid(holder, door_staff):
    encrypted, _public = codes.new_key_pair()
    code = codes.sign_code(encrypted, event_id=holder.event_id, participant_id=holder.pk, version=1)

    assert checkin.scan(code=code, gate="A", by=door_staff).result == ScanResult.INVALID


def test_scan_old_badge_version_is_revoked(holder, door_staff):
    old_code = holder.badge.code
    services.reissue_badge(holder.badge)

    outcome = checkin.scan(code=old_code, gate="A", by=door_staff)

    assert outcome.result == ScanResult.REVOKED
    assert outcome.participant == holder
    assert CheckIn.objects.count() == 0


def test_scan_badge_at_another_events_gate_is_wrong_event(holder, door_staff):
    outcome = checkin.scan(code=holder.badge.code, gate="A", by=door_staff, event_slug="hoi-thao-khac")

    assert outcome.result == ScanResult.WRONG_EVENT
    assert CheckIn.objects.count() == 0


def test_scan_badge_at_its_own_events_gate_admits(holder, door_staff, open_event):
    outcome = checkin.scan(code=holder.badge.code, gate="A", by=door_staff, event_slug=open_event.slug)

    assert outcome.result == ScanResult.ADMITTED


@pytest.mark.parametrize("status", [ParticipantStatus.REJECTED, ParticipantStatus.PENDING])
def test_scan_holder_without_valid_ticket_is_not_allowed(holder, door_staff, status):
    holder.status = status
    holder.save()

    outcome = checkin.scan(code=holder.badge.code, gate="A", by=door_staff)

    assert outcome.result == ScanResult.NOT_ALLOWED
    assert CheckIn.objects.count() == 0


def test_scan_holder_of_unpaid_pass_is_not_allowed(holder, door_staff, open_event):
    from tests.ticketing.factories import make_business_type

    make_business_type(open_event)  # the event now sells passes; the holder has no paid one

    assert checkin.scan(code=holder.badge.code, gate="A", by=door_staff).result == ScanResult.NOT_ALLOWED


@pytest.mark.parametrize(
    "status, sells_passes, order_status",
    [
        (ParticipantStatus.APPROVED, False, None),
        (ParticipantStatus.REJECTED, False, None),
        (ParticipantStatus.PENDING, False, None),
        (ParticipantStatus.APPROVED, True, None),
        (ParticipantStatus.APPROVED, True, "paid"),
        (ParticipantStatus.APPROVED, True, "pending"),
        (ParticipantStatus.APPROVED, True, "refunded"),
        (ParticipantStatus.REJECTED, True, "paid"),
    ],
)
def test_holder_query_agrees_with_valid_ticket_condition(holder, open_event, status, sells_passes, order_status):
    """The scan's hand-written holder query and the ORM's valid_ticket_condition are one rule."""
    from tests.ticketing.factories import make_business_type
    from ticketing.models import Order, OrderPosition
    from ticketing.selectors import holds_valid_ticket

    if sells_passes:
        pass_type = make_business_type(open_event)
        if order_status:
            order = Order.objects.create(
                event=open_event, status=order_status, buyer_name="x", buyer_email="x@example.vn"
            )
            OrderPosition.objects.create(
                order=order,
                ticket_type=pass_type,
                price=1,
                attendee_name="x",
                attendee_email="x@example.vn",
                participant=holder,
            )
    holder.status = status
    holder.save()

    found = checkin.badge_holder(codes.read_claim(holder.badge.code), 0)

    assert found.ticket_valid is holds_valid_ticket(holder)
    assert (found.full_name, found.event.slug, found.badge_version) == (holder.full_name, open_event.slug, 1)


def test_scan_outside_the_window_is_not_open(holder, door_staff, settings):
    settings.CHECKIN_OPENS_HOURS_BEFORE = 2
    settings.CHECKIN_CLOSES_HOURS_AFTER = 1
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    opens = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz) - datetime.timedelta(hours=2)
    closes = datetime.datetime.combine(today, datetime.time(1), tzinfo=tz) + datetime.timedelta(days=1)

    def verdict(now):
        return checkin.scan(code=holder.badge.code, gate="A", by=door_staff, now=now).result

    assert verdict(opens - datetime.timedelta(seconds=1)) == ScanResult.NOT_OPEN
    assert verdict(closes) == ScanResult.NOT_OPEN
    assert verdict(opens) == ScanResult.ADMITTED


def test_scan_session_door_admits_separately_from_the_main_door(holder, door_staff):
    door = make_session(holder.event, make_room(holder.event)).pk
    main = checkin.scan(code=holder.badge.code, gate="A", by=door_staff)
    session = checkin.scan(code=holder.badge.code, gate="Phòng 2", by=door_staff, session_id=door)
    again = checkin.scan(code=holder.badge.code, gate="Phòng 2", by=door_staff, session_id=door)

    assert [main.result, session.result, again.result] == ["admitted", "admitted", "already_checked_in"]
    assert sorted(CheckIn.objects.values_list("session_id", flat=True)) == [0, door]


def test_unique_constraint_refuses_a_second_active_admission(holder, door_staff):
    from django.db import IntegrityError, transaction

    checkin.scan(code=holder.badge.code, gate="A", by=door_staff)
    first = CheckIn.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            event=first.event, participant=holder, gate="B", checked_in_at=timezone.now(), checked_in_by=door_staff
        )


def test_undo_by_supervisor_flags_logs_and_allows_a_new_admission(holder, door_staff, supervisor):
    first = checkin.scan(code=holder.badge.code, gate="A", by=door_staff)

    undone = checkin.undo(check_in_id=first.check_in_id, by=supervisor)
    again = checkin.scan(code=holder.badge.code, gate="B", by=door_staff)

    assert (undone.undone_by, undone.undone_at is not None) == (supervisor, True)
    assert again.result == ScanResult.ADMITTED
    assert CheckIn.objects.count() == 2  # never deleted
    assert list(ScanLog.objects.order_by("pk").values_list("result", "user__username")) == [
        ("admitted", "soatve"),
        ("undone", "truongca"),
        ("admitted", "soatve"),
    ]


def test_undo_by_plain_door_staff_is_refused(holder, door_staff):
    from events.errors import PermissionDenied

    first = checkin.scan(code=holder.badge.code, gate="A", by=door_staff)

    with pytest.raises(PermissionDenied):
        checkin.undo(check_in_id=first.check_in_id, by=door_staff)
    assert CheckIn.objects.get().undone_at is None


def test_undo_twice_is_a_conflict(holder, door_staff, supervisor):
    from events.errors import Conflict

    first = checkin.scan(code=holder.badge.code, gate="A", by=door_staff)
    checkin.undo(check_in_id=first.check_in_id, by=supervisor)

    with pytest.raises(Conflict):
        checkin.undo(check_in_id=first.check_in_id, by=supervisor)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@contextlib.contextmanager
def statements():
    """The SQL statements run inside the block that read or write rows.

    Transaction control (BEGIN/COMMIT, or the SAVEPOINT pair the test's own
    transaction turns a scan's transaction into) does no work on rows and is left out.
    """
    found = []
    with CaptureQueriesContext(connection) as captured:
        yield found
    found += [q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(TRANSACTION_CONTROL)]


def test_first_scan_runs_at_most_three_queries(holder, door_staff):
    code = holder.badge.code
    checkin.public_key(holder.event_id)  # warm the key cache, as after the first scan of the day

    with statements() as run:
        outcome = checkin.scan(code=code, gate="A", by=door_staff)

    assert outcome.result == ScanResult.ADMITTED
    assert len(run) <= 3, run


def test_repeat_scan_runs_at_most_two_queries(holder, door_staff):
    checkin.scan(code=holder.badge.code, gate="A", by=door_staff)

    with statements() as run:
        outcome = checkin.scan(code=holder.badge.code, gate="A", by=door_staff)

    assert outcome.result == ScanResult.ALREADY_CHECKED_IN
    assert len(run) <= 2, run


def test_forged_code_is_judged_without_any_query(holder, django_assert_num_queries):
    code = forged(holder.badge.code)
    checkin.public_key(holder.event_id)

    with django_assert_num_queries(0):
        claim = checkin.verified_claim(code)

    assert claim is None


def test_forged_code_scan_only_writes_its_log_row(holder, door_staff):
    code = forged(holder.badge.code)
    checkin.public_key(holder.event_id)

    with statements() as run:
        checkin.scan(code=code, gate="A", by=door_staff)

    assert len(run) == 1 and run[0].startswith('INSERT INTO "ticketing_scanlog"'), run


def test_log_truncates_long_codes(holder, door_staff):
    checkin.scan(code="X" * 1000, gate="A", by=door_staff)

    assert ScanLog.objects.get().code == "X" * ScanLog.CODE_LENGTH


def test_key_cache_forgets_a_deleted_events_key(holder, door_staff):
    from ticketing.models import EventKey

    checkin.public_key(holder.event_id)
    EventKey.objects.filter(event_id=holder.event_id).get().delete()

    assert checkin.public_key(holder.event_id) is None


def test_admin_lists_admissions_and_scans_read_only(organizer_client, holder, door_staff):
    checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff)
    check_in = CheckIn.objects.get()

    listing = organizer_client.get("/admin/ticketing/checkin/?q=Hằng")
    scans = organizer_client.get("/admin/ticketing/scanlog/")
    delete = organizer_client.get(f"/admin/ticketing/checkin/{check_in.pk}/delete/")

    assert (listing.status_code, scans.status_code, delete.status_code) == (200, 200, 403)
    assert "Trần Thị Thu Hằng" in listing.content.decode()
    assert "Cổng A" in scans.content.decode()


def test_moving_the_event_undoes_the_admissions_of_its_old_dates(holder, door_staff, open_event):
    from events.models import AuditEntry
    from events.services import move_event

    checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff)

    move_event(event=open_event, start_date=open_event.start_date + datetime.timedelta(days=7))

    assert CheckIn.objects.get().undone_at is not None
    assert AuditEntry.objects.get(action="ticketing.check_in.undone_by_move").details == {"count": 1, "days": 7}
    next_week = timezone.now() + datetime.timedelta(days=7)
    again = checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff, now=next_week)
    assert again.result == ScanResult.ADMITTED


def test_moving_the_event_a_day_earlier_keeps_todays_admissions(holder, door_staff, open_event):
    from events.services import move_event

    checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff)

    move_event(event=open_event, start_date=open_event.start_date - datetime.timedelta(days=1))

    assert CheckIn.objects.get().undone_at is None  # made after the new doors opened
