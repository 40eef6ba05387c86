"""Background jobs (django-q2): take ids, switch to the recipient's language, call one service."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.declarations import pins
from events.declarations import selectors as declaration_selectors
from events.mail import send_participant_mail
from events.models import Participant

from . import services
from .models import Badge, DeskPrint, Order, PrintJob, WaitingListEntry
from .pdf import render_receipt
from .selectors import bank_account
from .services import desk, handover, waitlist
from .services.orders import expire_orders as expire


def send_badge_email(badge_id):
    badge = Badge.objects.select_related("participant__event").get(pk=badge_id)
    participant = badge.participant
    path = services.badge_pdf_path(badge)
    with translation.override(participant.language):
        subject = _("Your conference badge")
    send_participant_mail(
        participant,
        "badge_issued",
        subject,
        extra={"badge": badge, "signing_pin": _signing_pin(participant)},
        attachments=[(f"badge-{participant.event.slug}.pdf", path.read_bytes(), "application/pdf")],
    )


def _signing_pin(participant):
    """The PIN the signing kiosk asks for, when the event has a declaration this person may see."""
    if not declaration_selectors.participant_declarations(participant):
        return None
    return pins.signing_pin(participant)


def start_print_job(job_id):
    job = PrintJob.objects.select_related("event").get(pk=job_id)
    _guarded(job, services.start_print_job, job)


def render_print_chunk(job_id, index):
    job = PrintJob.objects.select_related("event").get(pk=job_id)
    _guarded(job, services.render_print_chunk, job, index)


def _guarded(job, func, *args):
    # A job that breaks must say so in the admin rather than spin at "running";
    # the error is re-raised so django-q2 records the failed task as well.
    try:
        func(*args)
    except Exception as error:
        services.fail_print_job(job, f"{type(error).__name__}: {error}")
        raise


def send_receipt(order_id):
    """E-mail the PDF receipt of a paid order to its buyer."""

    order = Order.objects.select_related("event").get(pk=order_id)
    with translation.override(order.language or "vi"):
        subject = _("%(event)s: receipt for order %(code)s") % {"event": order.event.name, "code": order.code}
        body = render_to_string("emails/receipt.txt", {"order": order, "event": order.event})
    message = EmailMessage(subject=subject, body=body, to=[order.buyer_email])
    message.attach(f"bien-nhan-{order.code}.pdf", render_receipt(order), "application/pdf")
    message.send()
    Order.objects.filter(pk=order.pk).update(receipt_sent_at=timezone.now())


def _order_link(order):
    return settings.SITE_URL + reverse("ticketing:order", kwargs={"token": order.token})


def send_order_confirmation(order_id):
    """E-mail the buyer the link that confirms an order placed without proof of their address.

    Opening it is the proof: only then does the order take its seats.
    """
    order = Order.objects.select_related("event").get(pk=order_id)
    with translation.override(order.language or "vi"):
        subject = _("%(event)s: confirm your order %(code)s") % {"event": order.event.name, "code": order.code}
        body = render_to_string(
            "emails/order_confirmation.txt", {"order": order, "event": order.event, "link": _order_link(order)}
        )
    EmailMessage(subject=subject, body=body, to=[order.buyer_email]).send()


def send_order_created(order_id):
    """E-mail the buyer the address of their order page and how to pay, once the order holds its seats."""

    order = Order.objects.select_related("event").get(pk=order_id)
    link = _order_link(order)
    with translation.override(order.language or "vi"):
        subject = _("%(event)s: order %(code)s is waiting for payment") % {
            "event": order.event.name,
            "code": order.code,
        }
        body = render_to_string(
            "emails/order_created.txt", {"order": order, "event": order.event, "link": link, "bank": bank_account()}
        )
    EmailMessage(subject=subject, body=body, to=[order.buyer_email]).send()


def expire_orders():
    """The scheduled sweep: expire unpaid orders past their deadline (see apps.py for the schedule)."""

    return expire()


def print_desk_badge(desk_print_id):
    """Send one badge printed at a badge desk to the desk's CUPS printer."""
    desk.send_desk_print(DeskPrint.objects.get(pk=desk_print_id))


def _waitlist_link(entry):
    return settings.SITE_URL + reverse("ticketing:waitlist_entry", kwargs={"token": entry.token})


def _send_waitlist_mail(entry, template, subject):
    """One waiting-list e-mail, rendered in the language the person joined in."""
    with translation.override(entry.language or "vi"):
        context = {"entry": entry, "event": entry.event, "link": _waitlist_link(entry)}
        subject = subject() % {"event": entry.event.name, "pass": entry.ticket_type.name}
        body = render_to_string(f"emails/{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=[entry.email]).send()


def _entry(entry_id):
    return WaitingListEntry.objects.select_related("event", "ticket_type").get(pk=entry_id)


def send_waitlist_confirmation(entry_id):
    """E-mail the link that confirms a place on the waiting list (opening it proves the address)."""
    entry = _entry(entry_id)
    if entry.email:
        _send_waitlist_mail(entry, "waitlist_confirmation", lambda: _("%(event)s: confirm your place in line"))


def send_waitlist_offer(entry_id):
    """E-mail the offer of a held pass, with its deadline and the link that buys it."""
    entry = _entry(entry_id)
    if entry.email:
        _send_waitlist_mail(entry, "waitlist_offer", lambda: _("%(event)s: a pass “%(pass)s” is held for you"))


def send_waitlist_lapsed(entry_id):
    """Tell someone their offer lapsed and the pass went on to the next in line."""
    entry = _entry(entry_id)
    if entry.email:
        _send_waitlist_mail(entry, "waitlist_lapsed", lambda: _("%(event)s: your offer has lapsed"))


def advance_waiting_lists():
    """The scheduled sweep: lapsed offers pass on, free seats are offered (see apps.py for the schedule)."""
    return waitlist.advance_waiting_lists()


def send_pass_handed_on(participant_id, order_id):
    """Tell a former holder that the buyer handed their pass to someone else and their badge is void."""
    participant = Participant.objects.select_related("event").get(pk=participant_id)
    order = Order.objects.get(pk=order_id)
    with translation.override(participant.language):
        subject = _("Your pass was handed to someone else")
    send_participant_mail(participant, "pass_handed_on", subject, extra={"order": order})


def send_holder_change_link(order_id):
    """E-mail the buyer the link that lets a browser change the order's attendees (proof of the address)."""
    order = Order.objects.select_related("event").get(pk=order_id)
    link = settings.SITE_URL + handover.buyer_link_path(order)
    with translation.override(order.language or "vi"):
        subject = _("%(event)s: change the attendees of order %(code)s") % {
            "event": order.event.name,
            "code": order.code,
        }
        body = render_to_string("emails/holder_change_link.txt", {"order": order, "event": order.event, "link": link})
    EmailMessage(subject=subject, body=body, to=[order.buyer_email]).send()
