"""Reads shared by pages, the admin and the API."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import collation
from .enums import EventStatus, ParticipantStatus
from .models import AuditEntry, Event, Participant, normalize_text

# Logged by events.services.register_ticket_holder: a pass was paid for someone not approved.
PASS_PAID_WHILE_UNDECIDED = "events.application.pass_paid_while_undecided"


def public_events():
    return Event.objects.exclude(status=EventStatus.DRAFT).order_by("-start_date")


def events_for_staff():
    """The events staff work on now: not over yet (local date), soonest first; if none, every event."""

    events = list(Event.objects.filter(end_date__gte=timezone.localdate()).order_by("start_date", "pk"))
    return events or list(Event.objects.order_by("-start_date", "pk"))


def public_event(slug):
    return get_object_or_404(public_events(), slug=slug)


def participants(*, event=None, category=None, status=None, search=None):
    """Participants with what lists show (event, channels), filtered as asked."""
    queryset = Participant.objects.select_related("event", "decided_by").prefetch_related("channels")
    if event is not None:
        queryset = queryset.filter(event=event)
    if category:
        queryset = queryset.filter(category=category)
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(matching_people_q(queryset, search))
    return queryset.order_by("-created_at", "-pk")


def matching_people_q(queryset, search):
    """A Q for the rows of queryset whose name, e-mail or organization contain search, accents ignored.

    "Cuong" finds "Cường" and "Dat" finds "Đạt": SQL's LIKE cannot fold Vietnamese
    tones, so the candidates' three short texts are folded here (one extra query).
    """
    term = normalize_text(search)
    rows = queryset.order_by().values_list("pk", "full_name", "email", "organization")
    ids = [pk for pk, *texts in rows if collation.matches(term, *texts)]
    return Q(pk__in=ids)


def event_for_staff(slug):
    """Any event, drafts included: only for callers already checked as staff."""
    return get_object_or_404(Event, slug=slug)


def passes_paid_while_undecided(participant):
    """The audit entries of passes paid for this participant while their application was not approved.

    Such a pass gives no entry until an organizer approves (a pass never decides, issue #16); the
    participant's admin page lists these beside the decision buttons, so the attempt is seen where
    the decision is taken. Empty once approved; newest first (details: order code, status then).
    """
    if participant.status == ParticipantStatus.APPROVED:
        return []
    entries = AuditEntry.objects.filter(
        action=PASS_PAID_WHILE_UNDECIDED, object_type="events.participant", object_id=str(participant.pk)
    )
    return list(entries.order_by("-at"))
