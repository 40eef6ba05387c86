"""The organizers' view of the meetings (issue #20 item 5): figures by category pair, table use by slot,
people with many unanswered requests, and the meetings as CSV or XLSX.

Every read costs a fixed number of queries whatever the number of requests and
meetings (tests/agenda/meetings/test_report.py counts them). The export names
people and their organizations only: no e-mail, phone or message.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events import exports
from events.collation import person_key
from events.enums import Category

from ..enums import MeetingRequestStatus
from ..models import Meeting, MeetingPlace, MeetingRequest
from . import placing

# Someone with this many requests waiting for their answer is listed, so organizers can nudge them.
MANY_UNANSWERED = 3


@dataclass(frozen=True)
class PairFigures:
    sender: str  # category labels
    recipient: str
    sent: int = 0
    accepted: int = 0
    declined: int = 0
    held: int = 0  # ended meetings both people were checked in to
    no_shows: int = 0  # people not checked in to an ended meeting


def _label(category):
    return str(Category(category).label) if category in Category.values else category


def _meeting_attendance(event, now):
    """{(sender category, recipient category): (held, no-shows)} over ended, not cancelled meetings. One query."""
    rows = (
        Meeting.objects.filter(event=event, cancelled_at__isnull=True, ends_at__lte=now)
        .values("pk", "request__sender__category", "request__recipient__category")
        .annotate(people=Count("holds"), came=Count("holds", filter=Q(holds__checked_in_at__isnull=False)))
    )
    found = defaultdict(lambda: [0, 0])
    for row in rows:
        pair = (row["request__sender__category"], row["request__recipient__category"])
        found[pair][0] += int(row["came"] == row["people"] == 2)
        found[pair][1] += row["people"] - row["came"]
    return found


def pair_figures(event, now=None):
    """Requests sent, accepted, declined, meetings held and no-shows per (sender, recipient) category pair.

    Two queries. Pairs without a request are left out; pairs in Category order.
    """
    now = now or timezone.now()
    requests = (
        MeetingRequest.objects.filter(event=event)
        .values("sender__category", "recipient__category")
        .annotate(
            sent=Count("pk"),
            accepted=Count("pk", filter=Q(status=MeetingRequestStatus.ACCEPTED)),
            declined=Count("pk", filter=Q(status=MeetingRequestStatus.DECLINED)),
        )
        .order_by()
    )
    attendance = _meeting_attendance(event, now)
    order = {value: index for index, value in enumerate(Category.values)}
    found = []
    for row in requests:
        pair = (row["sender__category"], row["recipient__category"])
        held, no_shows = attendance.get(pair, (0, 0))
        found.append((pair, row, held, no_shows))
    found.sort(key=lambda item: (order.get(item[0][0], 99), order.get(item[0][1], 99)))
    return [
        PairFigures(_label(s), _label(r), row["sent"], row["accepted"], row["declined"], held, no_shows)
        for (s, r), row, held, no_shows in found
    ]


@dataclass(frozen=True)
class TableUse:
    places: list  # MeetingPlace, in their order
    rows: list  # (slot start, slot end, [(taken, tables) per place])


def table_use(rules):
    """Tables taken / tables per slot and place, for the rules' slots (and any meeting off that grid). Three queries."""
    if rules is None:
        return TableUse([], [])
    places = list(MeetingPlace.objects.filter(rules=rules))
    taken = Counter(
        (row["starts_at"], row["place_id"])
        for row in Meeting.objects.filter(place__rules=rules, cancelled_at__isnull=True).values("starts_at", "place_id")
    )
    slots = {slot.starts_at: slot.ends_at for slot in placing.slots(rules)}
    for meeting in Meeting.objects.filter(place__rules=rules, cancelled_at__isnull=True).values("starts_at", "ends_at"):
        slots.setdefault(meeting["starts_at"], meeting["ends_at"])
    rows = [
        (start, slots[start], [(taken[(start, place.pk)], place.tables) for place in places]) for start in sorted(slots)
    ]
    return TableUse(places, rows)


@dataclass(frozen=True)
class Unanswered:
    name: str
    organization: str
    category: str
    waiting: int
    oldest: object  # when the oldest waiting request was sent


def many_unanswered(event, at_least=MANY_UNANSWERED):
    """People with at least `at_least` requests waiting for their answer, most waiting first. One query."""
    rows = (
        MeetingRequest.objects.filter(event=event, status=MeetingRequestStatus.PENDING)
        .values("recipient_id", "recipient__full_name", "recipient__organization", "recipient__category")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
        .filter(waiting__gte=at_least)
        .order_by()
    )
    found = [
        Unanswered(
            row["recipient__full_name"] or "—",
            row["recipient__organization"],
            _label(row["recipient__category"]),
            row["waiting"],
            row["oldest"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda person: (-person.waiting, person_key(person.name)))


# --- The export ----------------------------------------------------------------------------


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _attendance(meeting, person_id, now):
    hold = next((h for h in meeting.holds.all() if h.participant_id == person_id), None)
    if meeting.cancelled_at is not None or hold is None:
        return ""
    if hold.checked_in_at is not None:
        return _("present")
    return _("no-show") if meeting.ends_at <= now else ""


def _header():
    return [
        _("Starts at"),
        _("Ends at"),
        _("Place"),
        _("Table"),
        _("From"),
        _("From: organization"),
        _("From: category"),
        _("To"),
        _("To: organization"),
        _("To: category"),
        _("Status"),
        _("From: attendance"),
        _("To: attendance"),
    ]


def _row(meeting, now):
    request = meeting.request
    sender, recipient = request.sender, request.recipient
    status = _("Cancelled") if meeting.cancelled_at else _("Confirmed")
    return [
        _local(meeting.starts_at),
        _local(meeting.ends_at),
        meeting.place.name,
        meeting.table,
        sender.full_name or "—",
        sender.organization,
        sender.get_category_display(),
        recipient.full_name or "—",
        recipient.organization,
        recipient.get_category_display(),
        status,
        _attendance(meeting, sender.pk, now),
        _attendance(meeting, recipient.pk, now),
    ]


def meeting_table(event, now=None):
    """Header and rows of every meeting of the event (cancelled ones too), in time order. Two queries."""
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(event=event)
        .select_related("place", "request__sender", "request__recipient")
        .prefetch_related("holds")
        .order_by("starts_at", "place__position", "place_id", "table")
    )
    return _header(), [_row(meeting, now) for meeting in meetings]


def meetings_csv(event):
    """The event's meetings as CSV (UTF-8 with BOM, day-first dates); bytes."""
    return exports.table_csv(*meeting_table(event))


def meetings_xlsx(event):
    """The event's meetings as an Excel workbook (real dates, frozen filtered header, fitted widths); bytes."""
    return exports.table_xlsx(_("Meetings"), *meeting_table(event))
