"""ticketing's figures on the organizers' dashboard: seats sold against capacity, badges printed, arrivals.

Registered in TicketingConfig.ready() through events.extensions.dashboard_figures;
one query per figure.
"""

from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from events.dashboard import Figure, Series, local_zone

from .models import Badge, CheckIn, Quota
from .models.checkin import WHOLE_EVENT


def seats_sold_against_capacity(event):
    quotas = list(Quota.objects.filter(event=event).order_by("pk").values_list("name", "taken", "size"))
    return Figure(
        key="tickets",
        title=_("Tickets sold against capacity"),
        chart="bar",
        x_label=_("Quota"),
        labels=[name for name, _taken, _size in quotas],
        series=[
            Series(_("Sold"), [taken for _name, taken, _size in quotas]),
            Series(_("Capacity"), [size for _name, _taken, size in quotas]),
        ],
    )


def badges_printed(event):
    counts = Badge.objects.filter(participant__event=event).aggregate(
        printed=Count("pk", filter=Q(printed_at__isnull=False)), issued=Count("pk")
    )
    return Figure(
        key="badges",
        title=_("Badges printed"),
        chart="bar",
        x_label=_("Badges"),
        labels=[_("Printed"), _("Issued, not printed yet")],
        series=[Series(_("Badges"), [counts["printed"], counts["issued"] - counts["printed"]])],
    )


def arrivals(event):
    """Admissions through the event's doors (not undone) per hour, local time."""
    rows = (
        CheckIn.objects.filter(event=event, session_id=WHOLE_EVENT, undone_at__isnull=True)
        .annotate(hour=TruncHour("checked_in_at", tzinfo=local_zone()))
        .values("hour")
        .annotate(count=Count("pk"))
        .order_by("hour")
    )
    return Figure(
        key="arrivals",
        title=_("Arrivals (check-ins) per hour"),
        chart="line",
        x_label=_("Hour"),
        labels=[timezone.localtime(row["hour"]).strftime("%d/%m/%Y %H:%M") for row in rows],
        series=[Series(_("Arrivals"), [row["count"] for row in rows])],
    )


def figures(event):
    return [seats_sold_against_capacity(event), badges_printed(event), arrivals(event)]
