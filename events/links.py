"""Magic links: signed, expiring addresses that open a participant's personal page.

No passwords: the link is the credential, so it is signed with the secret key
(tampering breaks the signature) and expires after MAGIC_LINK_MAX_AGE. The
session then remembers which participant records this browser owns.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import Participant

SALT = "events.magic-link"
SESSION_KEY = "participants"  # {event id: participant id}


def magic_link(participant):
    """The absolute address to put in an e-mail."""
    signed = signing.TimestampSigner(salt=SALT).sign(str(participant.pk))
    path = reverse("events:magic_login", kwargs={"slug": participant.event.slug, "signed": signed})
    return f"{settings.SITE_URL}{path}"


def participant_from_link(event, signed):
    """The participant a link was made for, or a DomainError saying why not."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        pk = signer.unsign(signed, max_age=settings.MAGIC_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("link_expired", _("This link has expired. Ask for a new one below."))
    except signing.BadSignature:
        raise DomainError("link_invalid", _("This link is not valid. Ask for a new one below."))
    participant = Participant.objects.filter(pk=pk, event=event, anonymized_at__isnull=True).first()
    if participant is None:
        raise DomainError("link_invalid", _("This link is not valid. Ask for a new one below."))
    return participant


def remember_participant(request, participant):
    owned = dict(request.session.get(SESSION_KEY, {}))
    owned[str(participant.event_id)] = participant.pk
    request.session[SESSION_KEY] = owned
    request.session.cycle_key()  # a new session id after "login" prevents fixation


def current_participant(request, event):
    """The participant this browser has opened a magic link for in this event, or None."""
    pk = request.session.get(SESSION_KEY, {}).get(str(event.pk))
    if pk is None:
        return None
    return Participant.objects.select_related("event").filter(pk=pk, event=event, anonymized_at__isnull=True).first()
