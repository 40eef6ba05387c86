"""The meeting e-mails (django-q2): take ids, render in each recipient's own language, send."""

from django.utils import translation
from django.utils.translation import gettext as _

from events.mail import send_participant_mail

from ..models import MeetingRequest

# kind -> (subject, who is told): "recipient", "sender", "both" or "other" (the side that did not act).
KINDS = {
    "requested": (lambda: _("A meeting request from %(name)s"), "recipient"),
    "accepted": (lambda: _("Meeting confirmed with %(name)s"), "both"),
    "declined": (lambda: _("%(name)s cannot meet"), "sender"),
    "cancelled": (lambda: _("Meeting cancelled by %(name)s"), "other"),
}


def _told(request, audience, actor_id):
    sender, recipient = request.sender, request.recipient
    return {
        "recipient": [(recipient, sender)],
        "sender": [(sender, recipient)],
        "both": [(sender, recipient), (recipient, sender)],
        "other": [(sender, recipient)] if actor_id == recipient.pk else [(recipient, sender)],
    }[audience]


def send_meeting_mail(request_id, kind, actor_id=None):
    """Tell the people a change of this request concerns, each in their language, naming the other person."""
    request = MeetingRequest.objects.select_related("sender__event", "recipient", "meeting__place").get(pk=request_id)
    subject, audience = KINDS[kind]
    meeting = getattr(request, "meeting", None)
    for person, other in _told(request, audience, actor_id):
        if person.anonymized_at is not None:
            continue  # an erased person is no longer written to
        with translation.override(person.language):
            title = subject() % {"name": other.full_name}
        extra = {"kind": kind, "request": request, "other": other, "meeting": meeting}
        send_participant_mail(person, "meeting_update", title, extra)
