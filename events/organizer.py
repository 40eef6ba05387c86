"""The organizer home of one event (/e/<slug>/manage/) and the navigation every organizer page shares.

Three kinds of plain values, so each app contributes without events importing it:
- Headline: a figure at the top (registrations, passes and revenue, badges, people inside, signatures);
- Todo: something waiting for an organizer, with a count and the address of the filtered list;
- Tool: an organizer page; the home lists them all, the shared navigation draws the same list.

events gives its own first, then what ticketing and sessions registered through
events.extensions (organizer_headlines, organizer_todos, organizer_tools).
Headlines and to-dos cost a fixed number of queries each; tools cost none, since
they are drawn on every organizer page.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import dashboard, extensions, permissions
from .enums import Category, DeliveryStatus, ParticipantStatus
from .models import Delivery, ErasureRequest, Event, Participant


@dataclass(frozen=True)
class Table:
    """A small table under a headline: column titles, then (row title, [cells]).

    `caption` and `corner` (the row titles' column) default to "<headline> by category and status"
    and "Category", the registrations table's.
    """

    columns: list
    rows: list
    caption: str = ""
    corner: str = ""


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: str  # already formatted for the reader (1.234, 1.500.000 ₫)
    details: list = field(default_factory=list)  # [(label, formatted value)]
    table: Table | None = None


@dataclass(frozen=True)
class Todo:
    key: str
    label: str
    count: int
    url: str
    note: str = ""  # e.g. the days left to answer the oldest request

    @property
    def done(self):
        return self.count == 0


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    url: str
    description: str = ""


def admin_list(name, **filters):
    """The address of an admin change list (e.g. "events_participant") with the given filters."""
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def count(value):
    return number_format(value, decimal_pos=0, force_grouping=True)


# --- events' own headlines, to-dos and tools --------------------------------------


def registrations(event):
    """Registrations by category and status, and the pending count the to-do list reuses (one query).

    Erased participants are left out: their rows stay for statistics, but nobody is there to vet.
    """
    rows = Participant.objects.filter(event=event, anonymized_at__isnull=True).values_list("category", "status")
    counts = {(category, status): n for category, status, n in rows.annotate(n=Count("pk")).order_by()}
    statuses = list(ParticipantStatus)
    table = Table(
        columns=[str(status.label) for status in statuses],
        rows=[
            (str(category.label), [count(counts.get((category.value, status.value), 0)) for status in statuses])
            for category in Category
        ],
    )
    total = sum(counts.values())
    pending = sum(n for (_category, status), n in counts.items() if status == ParticipantStatus.PENDING)
    headline = Headline("registrations", _("Registrations"), count(total), table=table)
    return headline, pending


def signatures(event):
    """Signatures in force per published declaration (the dashboard's figure, two queries)."""
    figure = dashboard.declaration_signatures(event)
    values = figure.series[0].data if figure.series else []
    details = [(label, count(value)) for label, value in zip(figure.labels, values, strict=True)]
    return Headline("signatures", _("Declaration signatures"), count(sum(values)), details=details)


def erasure_todo(event):
    """Pending erasure requests, with the days left to answer the oldest (one query)."""
    pending = ErasureRequest.objects.filter(participant__event=event, state=ErasureRequest.State.PENDING)
    found = pending.aggregate(n=Count("pk"), oldest=Min("requested_at"))
    note = ""
    if found["oldest"] is not None:
        note = _("oldest: %(when)s") % {"when": days_left_note(days_left(found["oldest"]))}
    url = admin_list("events_erasurerequest", participant__event__id__exact=event.pk, state__exact="pending")
    return Todo("erasure_requests", _("Erasure and data requests to answer"), found["n"], url, note)


def days_left(requested_at):
    """Whole days left to answer a request made at `requested_at` (negative once overdue), local dates."""
    asked = timezone.localtime(requested_at).date()
    return settings.PERSONAL_DATA_REQUEST_DAYS - (timezone.localdate() - asked).days


def days_left_note(days):
    if days < 0:
        return ngettext("overdue by %(days)d day", "overdue by %(days)d days", -days) % {"days": -days}
    return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}


def failed_mail_todo(event):
    failed = (DeliveryStatus.FAILED, DeliveryStatus.BOUNCED)
    n = Delivery.objects.filter(campaign__event=event, status__in=failed).count()
    url = admin_list("events_delivery", campaign__event__id__exact=event.pk, status__in=",".join(failed))
    return Todo("failed_mail", _("E-mails that failed"), n, url)


def own_tools(event, user):
    if not permissions.is_organizer(user):
        return []
    slug = event.slug
    tools = [
        Tool("home", _("Organizer home"), reverse("events:organizer_home", args=[slug])),
        Tool("dashboard", _("Dashboard"), reverse("events:dashboard", args=[slug]), _("Charts and CSV downloads")),
        Tool(
            "participants",
            _("Participants"),
            admin_list("events_participant", event__id__exact=event.pk),
            _("Vet applications, issue badges, export"),
        ),
        Tool(
            "campaigns",
            _("E-mail to participants"),
            reverse("campaigns:list", args=[slug]),
            _("Write, preview and send"),
        ),
    ]
    if permissions.can_run_signing_kiosk(user):
        tools.append(
            Tool(
                "kiosk",
                _("Signing kiosk"),
                reverse("declarations:kiosk_index", args=[slug]),
                _("Sign the declaration at the venue"),
            )
        )
    return tools


# --- The home and the navigation --------------------------------------------------


@dataclass(frozen=True)
class Home:
    headlines: list
    todos: list
    tools: list


def home(event, user):
    """Everything /e/<slug>/manage/ shows: events' own items first, then the other apps', in their order."""
    registered, pending = registrations(event)
    applications = Todo(
        "applications",
        _("Applications waiting for a decision"),
        pending,
        admin_list("events_participant", event__id__exact=event.pk, status__exact=ParticipantStatus.PENDING),
    )
    return Home(
        headlines=[registered, *extensions.collect_organizer_headlines(event), signatures(event)],
        todos=[applications, *extensions.collect_organizer_todos(event), erasure_todo(event), failed_mail_todo(event)],
        tools=tools(event, user),
    )


def tools(event, user):
    """Every organizer page of the event this user may open: events' own, then the other apps' (no queries)."""
    return own_tools(event, user) + extensions.collect_organizer_tools(event, user)


def navigation(event, user, current):
    """The template context of the shared organizer navigation (templates/events/_organizer_nav.html).

    `current` is the key of the page's own tool (drawn with aria-current="page").
    Merge it into the page's context: {**context, **organizer.navigation(event, request.user, "dashboard")}.
    """
    found = tools(event, user)
    return {"organizer_nav": {"event": event, "tools": found, "current": current}} if found else {}


def navigation_for(event_id, user, current):
    """navigation() for an admin page that knows only an event id (its filter or object): {} when none fits."""
    if not permissions.is_organizer(user) or not str(event_id or "").isdigit():
        return {}
    event = Event.objects.filter(pk=int(event_id)).first()
    return navigation(event, user, current) if event is not None else {}
