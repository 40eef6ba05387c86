"""Door planning on the organizer home: lanes and print stations for the opening rush from registrations and
the door rates measured in the scan log (the published rules of thumb until enough is measured), each gate's
pace during the event and its busiest minutes afterwards."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from events.enums import Category, ParticipantStatus
from events.models import Participant
from ticketing.door_planning import DESK_PER_HOUR, LANE_PER_HOUR, door_plan
from ticketing.enums import ScanResult
from ticketing.models import DeskPrint, ScanLog
from ticketing.organizer import door_plan_headline

pytestmark = pytest.mark.django_db


def crowd(event, size, start=0):
    """`size` approved participants (no passes on sale: each holds a valid ticket)."""
    return Participant.objects.bulk_create(
        Participant(
            event=event,
            full_name=f"Khách {n}",
            email=f"khach{n}@example.vn",
            category=Category.KOL,
            status=ParticipantStatus.APPROVED,
        )
        for n in range(start, start + size)
    )


def opening(event):
    """09:00 local time on the event's first day."""
    return datetime.combine(event.start_date, time(9, 0), tzinfo=timezone.get_current_timezone())


def admitted(event, by, people, *, gate, start, every):
    ScanLog.objects.bulk_create(
        ScanLog(
            scanned_at=start + timedelta(seconds=every * n),
            user=by,
            gate=gate,
            code="x",
            result=ScanResult.ADMITTED,
            event_id_claimed=event.pk,
            participant_id_claimed=person.pk,
        )
        for n, person in enumerate(people)
    )


def printed(by, people, *, gate, start, every):
    DeskPrint.objects.bulk_create(
        DeskPrint(
            participant=person,
            badge_version=1,
            gate=gate,
            printed_at=start + timedelta(seconds=every * n),
            printed_by=by,
        )
        for n, person in enumerate(people)
    )


def test_with_nothing_measured_the_rules_of_thumb_give_the_issues_figures(open_event):
    crowd(open_event, 3000)  # 60 % of 3,000 in 45 minutes: 40 people a minute, 2,400 an hour

    plan = door_plan(open_event, now=opening(open_event) - timedelta(days=2))

    assert (plan.phase, plan.expected, plan.rush_per_minute) == ("before", 3000, 40)
    assert (plan.lane.per_hour, plan.lane.measured, plan.desk.per_hour, plan.desk.measured) == (
        LANE_PER_HOUR,
        False,
        DESK_PER_HOUR,
        False,
    )
    assert (plan.lanes_needed, plan.desks_needed) == (4, 12)


def test_rates_are_measured_from_the_scan_log_leaving_idle_gaps_out(open_event, door_staff):
    people = crowd(open_event, 90)
    start = opening(open_event)
    # Gate A: one person every 5 s, then nobody for 10 minutes (idle: left out), then 5 s again.
    admitted(open_event, door_staff, people[:25], gate="Cổng A", start=start, every=5)
    admitted(open_event, door_staff, people[25:35], gate="Cổng A", start=start + timedelta(minutes=12), every=5)
    # Gate B, a little slower, measured in the same pool: median stays 5 s.
    admitted(open_event, door_staff, people[35:50], gate="Cổng B", start=start, every=6)
    # The badge desk prints one badge every 15 s: 240 an hour.
    printed(door_staff, people[50:80], gate="Bàn in 1", start=start, every=15)

    plan = door_plan(open_event, now=start + timedelta(days=3))

    assert (plan.lane.measured, plan.lane.median_seconds, plan.lane.per_hour, plan.lane.gaps) == (True, 5, 720, 47)
    assert (plan.desk.measured, plan.desk.median_seconds, plan.desk.per_hour, plan.desk.gaps) == (True, 15, 240, 29)
    # 90 expected: 1.2 people a minute at the rush, 72 an hour: one lane, one station.
    assert (plan.lanes_needed, plan.desks_needed) == (1, 1)
    # Each gate's own median: 5 s at A (32 gaps), 6 s at B (too few gaps to say: 14), 15 s at the desk.
    medians = {gate.gate: gate.median_seconds for gate in plan.gates}
    assert medians == {"Cổng A": 5, "Cổng B": None, "Bàn in 1": 15}


def test_too_few_gaps_fall_back_to_the_rule_of_thumb(open_event, door_staff):
    people = crowd(open_event, 10)
    admitted(open_event, door_staff, people, gate="Cổng A", start=opening(open_event), every=3)

    plan = door_plan(open_event, now=opening(open_event))

    assert (plan.lane.per_hour, plan.lane.measured) == (LANE_PER_HOUR, False)


def test_during_the_event_each_gates_pace_and_the_wait_it_implies(open_event, door_staff):
    people = crowd(open_event, 200)
    now = opening(open_event) + timedelta(minutes=30)
    # In the last 10 minutes: 30 at gate A (3 a minute), 20 prints at the desk (2 a minute).
    admitted(open_event, door_staff, people[:30], gate="Cổng A", start=now - timedelta(minutes=9, seconds=50), every=19)
    printed(door_staff, people[30:50], gate="Bàn in 1", start=now - timedelta(minutes=9, seconds=50), every=29)

    plan = door_plan(open_event, now=now)

    assert plan.phase == "during"
    assert [(gate.gate, gate.desk, gate.per_minute_now) for gate in plan.gates] == [
        ("Cổng A", False, 3),
        ("Bàn in 1", True, 2),
    ]
    assert (plan.served, plan.per_minute_now) == (50, 5)
    assert plan.minutes_to_admit_the_rest == 30  # 150 still expected at 5 a minute


def test_afterwards_the_busiest_minutes_per_gate(open_event, door_staff):
    people = crowd(open_event, 60)
    start = opening(open_event)
    admitted(open_event, door_staff, people[:10], gate="Cổng A", start=start, every=60)  # 1 a minute
    busy = start + timedelta(minutes=20)
    admitted(open_event, door_staff, people[10:40], gate="Cổng A", start=busy, every=10)  # 6 a minute for 5 min

    plan = door_plan(open_event, now=start + timedelta(days=3))

    (gate,) = plan.gates
    assert (plan.phase, gate.peak_per_minute, gate.peak_at) == ("after", 6, busy)


def test_the_home_headline_says_what_is_measured_and_what_assumed(open_event, door_staff):
    people = crowd(open_event, 3000)
    admitted(open_event, door_staff, people[:30], gate="Cổng A", start=timezone.now() - timedelta(minutes=5), every=8)

    with translation.override("vi"):
        headline = door_plan_headline(open_event)

    assert (headline.key, headline.label, headline.value) == ("doors", "Kế hoạch cửa vào", "6 làn quét · 12 bàn in thẻ")
    assert headline.details[:4] == [
        ("Dự kiến đến cửa", "3.000"),
        ("Giờ cao điểm lúc mở cửa (giả định: 60 % trong số đó đến trong 45 phút)", "40,0 người/phút"),
        ("Một làn quét", "450/giờ, đo được: trung vị 8,0 giây giữa hai người, qua 29 khoảng"),
        ("Một bàn in thẻ", "200/giờ, giả định (kinh nghiệm đã công bố; chưa đo đủ lượt quét)"),
    ]
    assert headline.table.columns == [
        "Loại",
        "10 phút qua",
        "5 phút đông nhất",
        "Từ",
        "Số giây trung vị giữa hai người",
    ]
    gate, cells = headline.table.rows[0]
    assert (gate, cells[:2], cells[-1]) == ("Cổng A", ["làn quét", "3,0 người/phút"], "8,0")
