"""Door planning: how many scan lanes and print stations the opening rush needs, and how the doors are doing.

Before the event, from registrations (holders of a valid ticket), the arrival
window and the door rates: people per minute at the rush = expected × share ÷
minutes; lanes = ⌈that per hour ÷ one lane's rate⌉, print stations likewise.
During the event (the check-in window): people per minute per gate over the
last minutes and the wait it implies for those still expected. Afterwards: the
busiest minutes per gate.

A door rate is MEASURED when the scan log holds enough of them: the median of
the seconds between one person and the next at the same gate (QR lanes: the
admissions in the scan log; badge desks: their prints), gaps longer than
IDLE_SECONDS left out (nobody was waiting). Otherwise it is ASSUMED from the
published rules of thumb (issue #18): a QR-only lane about 600 people an hour,
a staffed badge-printing station about 200. The arrival window (60 % in the
first 45 minutes) is always assumed: nothing in the log says when people would
have come. Three queries whatever the size of the event.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from events.models import Participant

from . import selectors
from .enums import ScanResult
from .models import DeskPrint, ScanLog
from .models.checkin import WHOLE_EVENT
from .services.checkin import window

LANE_PER_HOUR = 600  # a QR-only lane (rule of thumb)
DESK_PER_HOUR = 200  # a staffed badge-printing station (rule of thumb)
RUSH_SHARE = 0.6  # of those expected arrive within …
RUSH_MINUTES = 45  # … the first minutes after the doors open
IDLE_SECONDS = 120  # a longer gap between two people at one gate is an idle gate, not a service time
MIN_GAPS = 20  # fewer measured gaps than this: the rule of thumb
LIVE_MINUTES = 10  # "now" is the last minutes
PEAK_MINUTES = 5  # the peak is the busiest stretch of this length


@dataclass(frozen=True)
class Rate:
    """People one gate of a kind serves an hour; `gaps` > 0 when measured (the median of that many gaps)."""

    per_hour: float
    median_seconds: float
    gaps: int = 0

    @property
    def measured(self):
        return self.gaps > 0


@dataclass(frozen=True)
class GateFigures:
    gate: str
    desk: bool
    per_minute_now: float  # over the last LIVE_MINUTES
    peak_per_minute: float  # the busiest PEAK_MINUTES, per minute
    peak_at: object  # when that stretch began (aware datetime) or None
    median_seconds: float | None  # between two people at this gate; None with fewer than MIN_GAPS gaps


@dataclass(frozen=True)
class DoorPlan:
    """The figures the organizer home shows; `phase` is "before", "during" or "after" the check-in window."""

    phase: str
    expected: int
    served: int  # people through a gate so far (admitted, or printed at a desk), each counted once
    rush_per_minute: float
    lane: Rate
    desk: Rate
    lanes_needed: int
    desks_needed: int
    gates: list  # [GateFigures], busiest first

    @property
    def per_minute_now(self):
        return sum(gate.per_minute_now for gate in self.gates)

    @property
    def minutes_to_admit_the_rest(self):
        """At the current pace, how long the doors need for everyone still expected (None: nobody moving)."""
        rest = max(self.expected - self.served, 0)
        return math.ceil(rest / self.per_minute_now) if self.per_minute_now else None


def rate(times_by_gate, rule_per_hour):
    """The door rate from each gate's times: measured (median gap) with MIN_GAPS gaps or more, else the rule."""
    gaps = []
    for times in times_by_gate.values():
        ordered = sorted(times)
        gaps += [
            seconds
            for seconds in ((b - a).total_seconds() for a, b in zip(ordered, ordered[1:], strict=False))
            if 0 < seconds <= IDLE_SECONDS
        ]
    if len(gaps) < MIN_GAPS:
        return Rate(per_hour=rule_per_hour, median_seconds=3600 / rule_per_hour)
    median = statistics.median(gaps)
    return Rate(per_hour=3600 / median, median_seconds=median, gaps=len(gaps))


def busiest(times, minutes):
    """(most people within any `minutes`, when that stretch began) over sorted times; (0, None) for none."""
    best, start, first = 0, None, 0
    span = timedelta(minutes=minutes)
    for last, at in enumerate(times):
        while at - times[first] >= span:
            first += 1
        if last - first + 1 > best:
            best, start = last - first + 1, times[first]
    return best, start


def served_times(event):
    """({lane: [times]}, {desk: [times]}, people served): admissions at lanes, prints at desks (two queries).

    At a desk the print is the service (an "admit and print" desk also logs the admission: counted
    once). People served counts each person once, wherever they went through.
    """
    prints, people = defaultdict(list), set()
    for gate, at, person in DeskPrint.objects.filter(participant__event=event).values_list(
        "gate", "printed_at", "participant_id"
    ):
        prints[gate].append(at)
        people.add(person)
    admissions = defaultdict(list)
    logged = ScanLog.objects.filter(event_id_claimed=event.pk, session_id=WHOLE_EVENT, result=ScanResult.ADMITTED)
    for gate, at, person in logged.values_list("gate", "scanned_at", "participant_id_claimed"):
        people.add(person)
        if gate not in prints:
            admissions[gate].append(at)
    return admissions, prints, len(people)


def gate_figures(gate, times, *, desk, now):
    times = sorted(times)
    recent = sum(1 for at in times if now - timedelta(minutes=LIVE_MINUTES) <= at <= now)
    peak, peak_at = busiest(times, PEAK_MINUTES)
    own = rate({gate: times}, DESK_PER_HOUR if desk else LANE_PER_HOUR)
    median = own.median_seconds if own.measured else None
    return GateFigures(gate, desk, recent / LIVE_MINUTES, peak / PEAK_MINUTES, peak_at, median)


def door_plan(event, now=None):
    """The door plan of an event at `now` (three queries): see the module docstring for every figure."""
    now = now or timezone.now()
    expected = selectors.with_valid_ticket(Participant.objects.filter(event=event, anonymized_at__isnull=True)).count()
    admissions, prints, served = served_times(event)
    lane, desk = rate(admissions, LANE_PER_HOUR), rate(prints, DESK_PER_HOUR)
    rush = expected * RUSH_SHARE / RUSH_MINUTES
    opens, closes = window(event)
    gates = [gate_figures(g, t, desk=False, now=now) for g, t in admissions.items()]
    gates += [gate_figures(g, t, desk=True, now=now) for g, t in prints.items()]
    return DoorPlan(
        phase="before" if now < opens else "during" if now < closes else "after",
        expected=expected,
        served=served,
        rush_per_minute=rush,
        lane=lane,
        desk=desk,
        lanes_needed=math.ceil(rush * 60 / lane.per_hour),
        desks_needed=math.ceil(rush * 60 / desk.per_hour),
        gates=sorted(gates, key=lambda gate: (-gate.peak_per_minute, gate.gate)),
    )
