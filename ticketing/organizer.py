"""ticketing on the organizer home: passes and revenue, badges, people inside, door planning; orders, conflicts,
missing badges.

Registered in TicketingConfig.ready() through events.extensions (organizer_headlines,
organizer_todos, organizer_tools); one query per headline or to-do, none per tool.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events import permissions
from events.models import Participant
from events.organizer import Headline, Table, Todo, Tool, admin_list, count

from . import door_planning, selectors
from .enums import OPEN_UNPAID
from .models import Badge, CheckIn, CheckInConflict, Order
from .models.checkin import WHOLE_EVENT
from .money import format_vnd


def passes_sold(event):
    """Paid passes and their revenue in đồng, by holder category (one query)."""
    by_category = selectors.sales_by_category(event)
    passes = sum(row["passes"] for row in by_category.values())
    revenue = sum(row["revenue"] for row in by_category.values())
    details = [(_("Revenue"), format_vnd(revenue))] + [
        (label, f"{count(row['passes'])} · {format_vnd(row['revenue'])}") for label, row in by_category.items()
    ]
    return Headline("passes", _("Passes sold"), count(passes), details=details)


def badges(event):
    found = Badge.objects.filter(participant__event=event).aggregate(
        issued=Count("pk"), printed=Count("pk", filter=Q(printed_at__isnull=False))
    )
    details = [(_("Printed"), count(found["printed"]))]
    return Headline("badges", _("Badges issued"), count(found["issued"]), details=details)


def inside_now(event):
    """Admissions through the event's doors that were not undone (the doors record no exits)."""
    n = CheckIn.objects.filter(event=event, session_id=WHOLE_EVENT, undone_at__isnull=True).count()
    return Headline("inside", _("People inside now"), count(n), details=[(_("Admitted at the doors"), count(n))])


def headlines(event):
    return [passes_sold(event), badges(event), inside_now(event), door_plan_headline(event)]


def _per_minute(value):
    return _("%(n)s people/min") % {"n": number_format(value, decimal_pos=1)}


def _rate(rate):
    if rate.measured:
        return _("%(rate)s/h, measured: median %(seconds)s s between two people, over %(gaps)s gaps") % {
            "rate": count(round(rate.per_hour)),
            "seconds": number_format(rate.median_seconds, decimal_pos=1),
            "gaps": count(rate.gaps),
        }
    return _("%(rate)s/h, assumed (published rule of thumb; too few scans measured yet)") % {
        "rate": count(round(rate.per_hour))
    }


def door_plan_headline(event):
    """Scan lanes and print stations the opening rush needs, then each gate's pace (three queries)."""
    plan = door_planning.door_plan(event)
    value = " · ".join(
        [
            ngettext("%(n)s scan lane", "%(n)s scan lanes", plan.lanes_needed) % {"n": plan.lanes_needed},
            ngettext("%(n)s print station", "%(n)s print stations", plan.desks_needed) % {"n": plan.desks_needed},
        ]
    )
    rush = _("Opening rush (assumed: %(share)s %% of them in %(minutes)s min)") % {
        "share": round(door_planning.RUSH_SHARE * 100),
        "minutes": door_planning.RUSH_MINUTES,
    }
    details = [
        (_("Expected at the doors"), count(plan.expected)),
        (rush, _per_minute(plan.rush_per_minute)),
        (_("One scan lane"), _rate(plan.lane)),
        (_("One print station"), _rate(plan.desk)),
    ]
    if plan.phase == "during":
        wait = plan.minutes_to_admit_the_rest
        details += [
            (_("Now, all gates"), _per_minute(plan.per_minute_now)),
            (_("Still expected"), count(max(plan.expected - plan.served, 0))),
            (_("At this pace, time to admit them"), _("%(n)s min") % {"n": count(wait)} if wait is not None else "—"),
        ]
    return Headline("doors", _("Door planning"), value, details=details, table=_gate_table(plan))


def _gate_table(plan):
    """Each gate's pace now (during the event) or its busiest minutes (afterwards); None before."""
    if plan.phase == "before" or not plan.gates:
        return None
    peak = _("Busiest %(minutes)s min") % {"minutes": door_planning.PEAK_MINUTES}
    rows = []
    for gate in plan.gates:
        kind = _("badge desk") if gate.desk else _("scan lane")
        at = timezone.localtime(gate.peak_at).strftime("%H:%M") if gate.peak_at else "—"
        median = number_format(gate.median_seconds, decimal_pos=1) if gate.median_seconds is not None else "—"
        cells = [str(kind), _per_minute(gate.peak_per_minute), at, median]
        if plan.phase == "during":
            cells.insert(1, _per_minute(gate.per_minute_now))
        rows.append((gate.gate, cells))
    columns = [_("Kind"), peak, _("From"), _("Median seconds between two people")]
    if plan.phase == "during":
        columns.insert(1, _("Last %(minutes)s min") % {"minutes": door_planning.LIVE_MINUTES})
    return Table(columns=columns, rows=rows, caption=_("People per minute at each gate"), corner=_("Gate"))


def unpaid_past_due(event):
    n = Order.objects.filter(event=event, status__in=OPEN_UNPAID, expires_at__lt=timezone.now()).count()
    url = admin_list("ticketing_order", event__id__exact=event.pk, due="past")
    return Todo("unpaid_orders", _("Unpaid orders past their deadline"), n, url)


def unreviewed_conflicts(event):
    n = CheckInConflict.objects.filter(event=event, reviewed_at__isnull=True).count()
    url = admin_list("ticketing_checkinconflict", event__id__exact=event.pk, reviewed_at__isempty=1)
    return Todo("checkin_conflicts", _("Check-in conflicts to review"), n, url)


def without_badge(participants):
    """Participants whose ticket is valid but who hold no badge yet (those `issue_badges` would serve)."""
    has_badge = Exists(Badge.objects.filter(participant_id=OuterRef("pk")))
    return selectors.with_valid_ticket(participants).filter(~has_badge, anonymized_at__isnull=True)


def missing_badges(event):
    n = without_badge(Participant.objects.filter(event=event)).count()
    url = admin_list("events_participant", event__id__exact=event.pk, badge="missing")
    return Todo("missing_badges", _("Participants without a badge"), n, url)


def todos(event):
    return [unpaid_past_due(event), unreviewed_conflicts(event), missing_badges(event)]


def tools(event, user):
    if not permissions.is_organizer(user):
        return []
    slug = event.slug
    found = [
        Tool("arrivals", _("Live arrivals"), reverse("ticketing:arrivals", args=[slug]), _("Who came in, by door")),
        Tool(
            "scanner_devices",
            _("Scanner devices"),
            reverse("ticketing:scanner_devices", args=[slug]),
            _("Pair and revoke door phones"),
        ),
        Tool("scanner", _("Door check-in"), reverse("ticketing:scanner", args=[slug]), _("Scan badges")),
    ]
    if permissions.can_manage_badges(user):
        found.append(
            Tool(
                "print_jobs",
                _("Badge printing"),
                admin_list("ticketing_printjob", event__id__exact=event.pk),
                _("Print badges in bulk"),
            )
        )
    if permissions.can_manage_payments(user):
        found.append(
            Tool(
                "orders",
                _("Orders and payments"),
                admin_list("ticketing_order", event__id__exact=event.pk),
                _("Transfers, refunds, bank statements"),
            )
        )
    found.append(
        Tool(
            "sales",
            _("Availability and sales"),
            reverse("admin:ticketing_sales") + f"?event={event.pk}",
            _("Quotas and revenue"),
        )
    )
    return found
