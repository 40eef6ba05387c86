"""Meeting requests: send, accept (the meeting is placed at once: live mode), decline, cancel.

Locking (the rule of ticketing/services/quotas.py: lock what the change makes
less available, once, in one order): send_request locks the sender's
participant row before counting their open requests, so two sends at once
cannot pass the cap together; accept_request locks the request, then both
people's participant rows in primary-key order, so one person accepting two
requests at once is placed once per slot; tables and people are finally held
by unique constraints (sessions.meetings.placing). On SQLite the IMMEDIATE
transactions (conference.settings) serialize writers the same way.

Every change e-mails the people it concerns, in their own language, after commit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.common.jobs import enqueue
from events.errors import Conflict, DomainError, NotFound, PermissionDenied
from events.models import Participant

from ..enums import OPEN_REQUEST_STATES, MeetingRequestStatus
from ..floor.services import busy_on_contention
from ..models import MeetingHold, MeetingRequest
from ..models.meetings import MESSAGE_MAX_LENGTH
from . import placing, rules

MAIL = "sessions.meetings.tasks.send_meeting_mail"


def _checked_rules(event):
    found = rules.rules_of(event)
    if found is None or not found.open:
        raise Conflict("meetings_closed", _("Meeting requests are not open for this event."))
    return found


def _message(text):
    text = " ".join((text or "").split())
    if "\x00" in text:
        raise DomainError("invalid_text", _("This text contains a character that is not allowed."), field="message")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise DomainError(
            "too_long", _("At most %(limit)d characters, please.") % {"limit": MESSAGE_MAX_LENGTH}, field="message"
        )
    return text


def _may_send(sender, recipient_id, event_rules):
    if not rules.may_take_part(sender):
        raise PermissionDenied(
            "meetings_profile_first", _("Publish your meeting profile first, so the other person sees who asks.")
        )
    profile = rules.visible_profiles(event_rules, sender).filter(participant_id=recipient_id).first()
    if profile is None:
        raise NotFound("meeting_profile_not_found", _("This profile is not open to requests from you."))
    return profile.participant


def _within_cap(sender, recipient, event_rules):
    """Under the sender's row lock: not already asked by the recipient, and under the organizers' cap."""
    if MeetingRequest.objects.filter(sender=recipient, recipient=sender, status__in=OPEN_REQUEST_STATES).exists():
        raise Conflict(
            "meeting_asked_you",
            _("%(name)s has already asked you: answer that request.") % {"name": recipient.full_name},
        )
    sent = MeetingRequest.objects.filter(sender=sender, status__in=OPEN_REQUEST_STATES).count()
    if sent >= event_rules.requests_per_person:
        raise Conflict(
            "meeting_request_cap",
            _("You have %(count)d open requests, the most allowed; wait for answers or cancel one.") % {"count": sent},
        )


@busy_on_contention
def send_request(*, sender, recipient_id, message=""):
    """Ask a visible person for a meeting, within the organizers' pair rules and the per-person cap.

    One transaction: lock the sender's row, count their open requests, insert
    (the unique constraint refuses a second open request to the same person).
    E-mails the recipient after commit.
    """
    event_rules = _checked_rules(sender.event)
    recipient = _may_send(sender, recipient_id, event_rules)
    text = _message(message)
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=sender.pk).first()
        _within_cap(sender, recipient, event_rules)
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(
                    event=sender.event, sender=sender, recipient=recipient, message=text
                )
        except IntegrityError:
            raise Conflict("meeting_already_requested", _("You have already asked this person.")) from None
        enqueue(MAIL, request.pk, "requested")
    return request


def _locked_request(request_id, participant, *, as_recipient):
    """The request locked for update, if `participant` is on the side that may act on it; else NotFound."""
    side = {"recipient": participant} if as_recipient else {}
    request = MeetingRequest.objects.select_for_update().filter(pk=request_id, event=participant.event, **side).first()
    if request is None or participant.pk not in (request.sender_id, request.recipient_id):
        raise NotFound("meeting_request_not_found", _("This meeting request does not exist."))
    return request


@busy_on_contention
def accept_request(*, request_id, by):
    """The recipient accepts; the meeting is placed in the first common free slot at a free table.

    One transaction, in order: lock the request (still pending), lock both
    people's rows (primary-key order), place the meeting with both holds, mark
    the request accepted. No free slot: nothing changes and the answer says so.
    E-mails both after commit.
    """
    event_rules = _checked_rules(by.event)
    with transaction.atomic():
        request = _locked_request(request_id, by, as_recipient=True)
        if request.status != MeetingRequestStatus.PENDING:
            raise Conflict("meeting_request_answered", _("This request has already been answered."))
        people = [request.sender_id, request.recipient_id]
        list(Participant.objects.select_for_update().filter(pk__in=people).order_by("pk"))
        meeting = placing.place_meeting(request, event_rules)
        if meeting is None:
            raise Conflict(
                "meeting_no_free_slot",
                _("No meeting slot is free for both of you at any table; the request stays open."),
            )
        _answer(request, MeetingRequestStatus.ACCEPTED)
        enqueue(MAIL, request.pk, "accepted")
    return meeting


def _answer(request, status):
    request.status = status
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])


@busy_on_contention
def decline_request(*, request_id, by):
    """The recipient declines a pending request; the sender is told (without a reason)."""
    with transaction.atomic():
        request = _locked_request(request_id, by, as_recipient=True)
        if request.status != MeetingRequestStatus.PENDING:
            raise Conflict("meeting_request_answered", _("This request has already been answered."))
        _answer(request, MeetingRequestStatus.DECLINED)
        enqueue(MAIL, request.pk, "declined")
    return request


@busy_on_contention
def cancel_request(*, request_id, by):
    """Either side cancels a pending request or an accepted meeting; the slot and table are freed.

    One transaction: the request cancelled, the meeting marked cancelled, both
    people's holds deleted (so the unique slots are free again). E-mails the
    other side after commit.
    """
    with transaction.atomic():
        request = _locked_request(request_id, by, as_recipient=False)
        if request.status not in OPEN_REQUEST_STATES:
            raise Conflict("meeting_request_closed", _("This request is already closed."))
        was_accepted = request.status == MeetingRequestStatus.ACCEPTED
        _answer(request, MeetingRequestStatus.CANCELLED)
        if was_accepted:
            request.meeting.cancelled_at = timezone.now()
            request.meeting.save(update_fields=["cancelled_at"])
            MeetingHold.objects.filter(meeting=request.meeting).delete()
        enqueue(MAIL, request.pk, "cancelled", by.pk)
    return request
