"""The organizers' dashboard: figures (a chart each, and a CSV each) about one event.

A Figure is plain data, so the same object feeds the JSON the charts draw and
the CSV download. events computes its own figures (registrations, approvals,
declaration signatures); ticketing adds tickets, badges and arrivals through
events.extensions.dashboard_figures, since events never imports it.
Each figure costs a fixed number of queries, whatever the size of the event.
"""

import csv
import io
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from . import extensions
from .enums import Category, ParticipantStatus
from .models import ChainEntry, Declaration, DeclarationStatus, EntryAction, Participant


@dataclass
class Series:
    label: str
    data: list


@dataclass
class Figure:
    key: str  # stable, used in URLs: /e/<slug>/dashboard/<key>.csv
    title: str
    chart: str  # "line" or "bar" (Chart.js types)
    x_label: str
    labels: list
    series: list = field(default_factory=list)
    stacked: bool = False

    def as_json(self):
        return asdict(self)

    def csv_bytes(self):
        """UTF-8 with BOM (Excel shows Vietnamese diacritics): one row per label, one column per series."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([self.x_label, *(series.label for series in self.series)])
        for index, label in enumerate(self.labels):
            writer.writerow([label, *(series.data[index] for series in self.series)])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def registrations_over_time(event):
    """New registrations per day (local time), one series per category (one query)."""
    rows = (
        Participant.objects.filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=local_zone()))
        .values("day", "category")
        .annotate(count=Count("pk"))
        .order_by("day")
    )
    counts = {(row["day"], row["category"]): row["count"] for row in rows}
    days = sorted({day for day, _category in counts})
    series = [Series(str(label), [counts.get((day, value), 0) for day in days]) for value, label in Category.choices]
    return Figure(
        key="registrations",
        title=_("Registrations over time by category"),
        chart="bar",
        x_label=_("Day"),
        labels=[day.strftime("%d/%m/%Y") for day in days],
        series=series,
        stacked=True,
    )


def applications_by_status(event):
    """How many participants are in each status, pending approval first (one query)."""
    counts = dict(Participant.objects.filter(event=event).values_list("status").annotate(count=Count("pk")).order_by())
    statuses = [ParticipantStatus.PENDING, *(s for s in ParticipantStatus if s != ParticipantStatus.PENDING)]
    return Figure(
        key="approvals",
        title=_("Applications by status (pending approval first)"),
        chart="bar",
        x_label=_("Status"),
        labels=[str(status.label) for status in statuses],
        series=[Series(_("Participants"), [counts.get(status.value, 0) for status in statuses])],
    )


def declaration_signatures(event):
    """Signatures in force per published declaration: the last entry of each signer is a signature (two queries)."""
    declarations = list(Declaration.objects.filter(event=event).exclude(status=DeclarationStatus.DRAFT).order_by("pk"))
    last = {}
    entries = (
        ChainEntry.objects.filter(declaration__in=declarations)
        .order_by("sequence")
        .values_list("declaration_id", "participant_id", "action")
    )
    for declaration_id, participant_id, action in entries:
        last[(declaration_id, participant_id)] = action
    signed = {declaration.pk: 0 for declaration in declarations}
    for (declaration_id, _participant_id), action in last.items():
        signed[declaration_id] += action == EntryAction.SIGN
    return Figure(
        key="signatures",
        title=_("Declaration signatures"),
        chart="bar",
        x_label=_("Declaration"),
        labels=[declaration.title for declaration in declarations],
        series=[Series(_("Signatures in force"), list(signed.values()))],
    )


def figures(event):
    """Every figure of the dashboard, events' own first, then those the other apps registered."""
    own = [registrations_over_time(event), applications_by_status(event), declaration_signatures(event)]
    return own + extensions.collect_dashboard_figures(event)


def figure(event, key):
    """One figure by key, or None."""
    return next((item for item in figures(event) if item.key == key), None)
