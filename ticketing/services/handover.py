"""Handing a pass of a business order to someone else (a name change), until the organizers' deadline.

Who may: the buyer, having proved the order's address (checked by the page,
ticketing.views: signed in through their personal link as the order's buyer, or
through the link e-mailed to the buyer's address). What it never does: approve
anyone. The new holder becomes a participant only through
events.services.register_ticket_holder, the one rule for holders of paid passes:
an address on file keeps its category and decision, so a rejected or waitlisted
applicant stays so (and gets no valid badge) until an organizer decides.
"""

from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import audit
from events import services as event_services
from events.common.jobs import enqueue
from events.enums import Category, ConsentPurpose
from events.errors import Conflict, DomainError
from events.models import normalize_text

from ..enums import HOLDING_SEATS, OrderSource, OrderStatus
from ..models import Badge, CheckIn, Order, OrderNote, OrderPosition


@dataclass(frozen=True)
class NewHolder:
    """Who receives the pass: a real name, an address, a plain title (checked like an order's attendee)."""

    name: str
    email: str
    title: str = ""


BUYER_LINK_SALT = "ticketing.holder-change"
BUYER_LINK_MAX_AGE = 3600  # seconds: the e-mailed link is for changing attendees now, not a standing key


def request_buyer_link(*, order):
    """E-mail the order's buyer a link proving their address to this order's attendee page (after the commit)."""
    enqueue("ticketing.tasks.send_holder_change_link", order.pk)


def buyer_link_path(order):
    """The path of the signed, one-hour link e-mailed to the buyer (it names the order and is signed with it)."""
    signed = signing.TimestampSigner(salt=BUYER_LINK_SALT).sign(order.code)
    return reverse("ticketing:holder_proof", kwargs={"token": order.token, "signed": signed})


def buyer_link_is_valid(order, signed):
    """Whether `signed` is a buyer link of this order, younger than BUYER_LINK_MAX_AGE."""
    try:
        code = signing.TimestampSigner(salt=BUYER_LINK_SALT).unsign(signed, max_age=BUYER_LINK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return False
    return code == order.code


def may_hand_over(order, now=None):
    """Whether any pass of this order can still be handed on (the order page shows the form then)."""
    if order.source != OrderSource.PURCHASE or order.status not in HOLDING_SEATS:
        return False
    return any(position.ticket_type.holders_may_change(now) for position in order.positions.all())


def hand_over_pass(*, position, holder, by=None, now=None):
    """Give one pass of a business order to another person, at its buyer's request; returns the position.

    Checked first: a bought pass (not one issued on approval) of a pending or
    paid order, its ticket type's deadline not passed, the pass not yet used at a
    door, the new address different and holding no pass of the event. Then in
    one transaction, the order row locked (two changes of one pass apply one
    after the other, the second re-checked against the first):
    1. the pass names the new holder;
    2. on a paid order, the old holder's badge is void at once (its version
       bumped, code and QR blanked: a scan answers `revoked`, "void"), and the
       new holder becomes a participant by register_ticket_holder (a new address
       is approved and e-mailed their personal link and badge after the commit;
       an address on file keeps its decision);
    3. an order note and an audit entry (`ticketing.pass.handed_over`);
    4. after the commit, the old holder is told by e-mail.
    `by` is the buyer's participant when they were signed in (for the audit).
    Raises DomainError / Conflict with the reason.
    """
    now = now or timezone.now()
    holder = NewHolder(normalize_text(holder.name), holder.email.strip().lower(), normalize_text(holder.title))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=position.order_id)
        position = OrderPosition.objects.select_related("ticket_type", "participant").get(pk=position.pk)
        _check(order, position, holder, now)
        previous = position.participant
        OrderPosition.objects.filter(pk=position.pk).update(
            attendee_name=holder.name, attendee_email=holder.email, attendee_title=holder.title, participant=None
        )
        if order.status == OrderStatus.PAID:
            _move_participant(order, position, holder, previous)
        OrderNote.objects.create(
            order=order, action="ticketing.pass.handed_over", detail=f"#{position.pk}: {holder.name}"
        )
        audit.record(
            action="ticketing.pass.handed_over",
            actor=None,
            obj=position,
            event=order.event,
            order=order.code,
            by_participant=by.pk if by else None,
            from_participant=previous.pk if previous else None,
        )
    position.refresh_from_db()
    return position


def _check(order, position, holder, now):
    if order.source != OrderSource.PURCHASE or order.status not in HOLDING_SEATS:
        raise DomainError("not_transferable", _("Only a pass of a business order, pending or paid, can be handed on."))
    if not position.ticket_type.holders_may_change(now):
        raise DomainError("holder_change_closed", _("Attendees of this pass can no longer be changed."))
    if holder.email == position.attendee_email:
        raise DomainError("same_holder", _("This pass already belongs to this address."), field="attendee_email")
    taken = OrderPosition.objects.filter(
        order__event_id=order.event_id, order__status__in=HOLDING_SEATS, attendee_email=holder.email
    )
    if taken.exists():
        raise Conflict(
            "attendee_has_pass", _("This address already holds a pass for the event."), field="attendee_email"
        )
    previous = position.participant
    if previous is not None and CheckIn.objects.filter(participant=previous, undone_at__isnull=True).exists():
        raise Conflict("pass_used", _("This pass has already been used at the door: it can no longer be handed on."))


def _move_participant(order, position, holder, previous):
    """The paid pass changes hands: void the old badge, register the new holder (inside the transaction)."""
    if previous is not None:
        # Void at once: the old code's version no longer matches, and no code is kept to print again.
        Badge.objects.filter(participant=previous).update(
            version=F("version") + 1, code="", qr_png=b"", reissued_at=timezone.now(), printed_at=None
        )
        enqueue("ticketing.tasks.send_pass_handed_on", previous.pk, order.pk)
    participant = event_services.register_ticket_holder(
        event=order.event,
        category=Category.BUSINESS,
        fields={
            "full_name": holder.name,
            "email": holder.email,
            "title": holder.title,
            "organization": order.buyer_organization,
            "language": order.language,
        },
        # The buyer confirms on the form that the new holder agreed to the processing.
        consents=[ConsentPurpose.PARTICIPATION],
        order_code=order.code,
    )
    OrderPosition.objects.filter(pk=position.pk).update(participant=participant)
