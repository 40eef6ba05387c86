"""Background jobs of the agenda (django-q2): take ids, render in the recipient's language, send."""

from django.utils import translation
from django.utils.translation import gettext as _

from events.mail import send_participant_mail
from events.models import Participant

from .agenda import Agenda
from .models import Publication, Reservation


def send_change_mail(participant_id, publication_id, session_id):
    """Tell one person on (or holding a seat in) a session what the new version changed about it."""
    participant = Participant.objects.select_related("event").get(pk=participant_id)
    publication = Publication.objects.get(pk=publication_id)
    entries = [entry for entry in publication.changelog if entry["session_id"] == session_id]
    with translation.override(participant.language):
        session = Agenda.from_publication(publication).session(session_id)
        title = (entries[0]["title_en"] if participant.language == "en" else "") or entries[0]["title_vi"]
        subject = _("Agenda change: %(title)s") % {"title": title}
    send_participant_mail(
        participant,
        "session_changed",
        subject,
        {"entries": entries, "session": session, "title": title, "version": publication.number},
    )


def send_promotion_mail(reservation_id):
    """Tell the first person on a waitlist that a seat is now theirs."""
    reservation = Reservation.objects.select_related("participant__event", "session").get(pk=reservation_id)
    with translation.override(reservation.participant.language):
        subject = _("A seat is now yours: %(title)s") % {"title": reservation.session.title}
    send_participant_mail(reservation.participant, "seat_promoted", subject, {"session": reservation.session})
