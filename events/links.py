"""Personal links: signed, expiring, single-use addresses that open a participant's personal page.

No passwords: a link e-mailed to the participant's address is the proof that
they own it. Each link is signed with the secret key (tampering breaks the
signature), carries the participant id and the nanosecond it was made, and
expires after MAGIC_LINK_MAX_AGE. Opening it takes two steps: the GET shows a
button (mail scanners that fetch every link in a message must not spend it),
the POST spends it. Spending a link also voids every older link of that
participant: `Participant.links_valid_after_ns` moves to the link's time in one
conditional UPDATE, so a link works once even when two tabs race. The session
then remembers which participant this browser owns, per event.

Registering never signs anyone in: only a spent link does.
"""

import time

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import Participant

SALT = "events.magic-link"
SESSION_KEY = "participants"  # {event id: [participant id, nanosecond remembered]}


def magic_link(participant):
    """The absolute address of a fresh personal link, to put in an e-mail to the participant."""
    signed = signing.TimestampSigner(salt=SALT).sign(f"{participant.pk}:{time.time_ns()}")
    path = reverse("events:magic_login", kwargs={"slug": participant.event.slug, "signed": signed})
    return f"{settings.SITE_URL}{path}"


def _invalid():
    return DomainError("link_invalid", _("This link is not valid. Ask for a new one below."))


def _read(event, signed):
    """(participant, the link's nanosecond) for a link that may still be spent, or a DomainError why not."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(signed, max_age=settings.MAGIC_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("link_expired", _("This link has expired. Ask for a new one below."))
    except signing.BadSignature:
        raise _invalid()
    pk, _sep, issued_ns = value.partition(":")
    if not (pk.isdigit() and issued_ns.isdigit()):
        raise _invalid()
    participant = Participant.objects.select_related("event").filter(pk=int(pk), event=event).first()
    if participant is None or participant.anonymized_at is not None:
        raise _invalid()
    if int(issued_ns) <= participant.links_valid_after_ns:
        raise DomainError(
            "link_used", _("This link has already been used, or a newer one was used. Ask for a new one below.")
        )
    return participant, int(issued_ns)


def participant_from_link(event, signed):
    """The participant a link was made for, if it can still be spent; a DomainError saying why not."""
    return _read(event, signed)[0]


def spend_link(event, signed):
    """Spend a personal link once: returns its participant, or a DomainError (invalid, expired, used).

    The conditional UPDATE is the single-use guarantee: of two requests spending
    one link at the same moment, exactly one changes the row.
    """
    participant, issued_ns = _read(event, signed)
    spent = Participant.objects.filter(pk=participant.pk, links_valid_after_ns__lt=issued_ns).update(
        links_valid_after_ns=issued_ns
    )
    if not spent:
        raise DomainError(
            "link_used", _("This link has already been used, or a newer one was used. Ask for a new one below.")
        )
    participant.links_valid_after_ns = issued_ns
    return participant


def void_links(participant):
    """Make every personal link made so far unusable (erasure, a suspected leak)."""
    Participant.objects.filter(pk=participant.pk).update(links_valid_after_ns=time.time_ns())


def end_sessions(participant, *, keep=None):
    """Sign every browser out of this participant's records, except the request `keep` (if given)."""
    now_ns = time.time_ns()
    Participant.objects.filter(pk=participant.pk).update(sessions_valid_after_ns=now_ns)
    participant.sessions_valid_after_ns = now_ns
    if keep is not None:
        remember_participant(keep, participant)


def remember_participant(request, participant):
    """After a spent link: this browser owns this participant's records in their event."""
    owned = dict(request.session.get(SESSION_KEY, {}))
    owned[str(participant.event_id)] = [participant.pk, time.time_ns()]
    request.session[SESSION_KEY] = owned
    request.session.cycle_key()  # a new session id after "login" prevents fixation


def current_participant(request, event):
    """The participant this browser has opened a personal link for in this event, or None."""
    remembered = request.session.get(SESSION_KEY, {}).get(str(event.pk))
    if not (isinstance(remembered, list) and len(remembered) == 2):
        return None  # nothing, or a session older than the sign-in stamp: open a link again
    pk, since_ns = remembered
    return (
        Participant.objects.select_related("event")
        .filter(pk=pk, event=event, anonymized_at__isnull=True, sessions_valid_after_ns__lt=since_ns)
        .first()
    )
