"""What the agenda adds to organizer e-mails (registered in apps.py): a session filter and the agenda .ics."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.errors import NotFound

from . import exports, selectors
from .enums import ReservationStatus
from .models import Bookmark, Reservation, Session, SessionPerson

LABEL = _("Session")


def session_choices(event):
    sessions = Session.objects.filter(event=event, cancelled_at__isnull=True).order_by("starts_at", "pk")
    return [(str(s.pk), s.title) for s in sessions]


def filter_by_session(participants, value):
    """Who is in a session: bookmarked it, holds a confirmed seat, or speaks, moderates or sits on the panel."""
    if not value.isdigit():
        return participants.none()
    session_id = int(value)
    bookmarked = Bookmark.objects.filter(participant_id=OuterRef("pk"), session_id=session_id)
    seated = Reservation.objects.filter(
        participant_id=OuterRef("pk"), session_id=session_id, status=ReservationStatus.CONFIRMED
    )
    on_stage = SessionPerson.objects.filter(participant_id=OuterRef("pk"), session_id=session_id)
    return participants.filter(Q(Exists(bookmarked)) | Q(Exists(seated)) | Q(Exists(on_stage)))


def agenda_attachment(participant):
    """The participant's agenda as .ics for the day-before reminder, in the current language.

    Their bookmarked and reserved sessions; the whole published agenda when they
    chose none; nothing while no agenda is published.
    """
    event = participant.event
    try:
        published = selectors.published_agenda(event)
    except NotFound:
        return []
    sessions = selectors.calendar_sessions(published, participant) or published.sessions
    name = gettext("My agenda") + f" · {event.name}"
    return [("agenda.ics", exports.icalendar(published, event=event, sessions=sessions, name=name), "text/calendar")]
