"""Background jobs (django-q2): take ids, switch to the recipient's language, call one function."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Order


def send_receipt(order_id):
    """E-mail the PDF receipt of a paid order to its buyer."""
    from .pdf import render_receipt

    order = Order.objects.select_related("event").get(pk=order_id)
    with translation.override(order.language or "vi"):
        subject = _("%(event)s: receipt for order %(code)s") % {"event": order.event.name, "code": order.code}
        body = render_to_string("emails/receipt.txt", {"order": order, "event": order.event})
    message = EmailMessage(subject=subject, body=body, to=[order.buyer_email])
    message.attach(f"bien-nhan-{order.code}.pdf", render_receipt(order), "application/pdf")
    message.send()
    Order.objects.filter(pk=order.pk).update(receipt_sent_at=timezone.now())


def send_order_created(order_id):
    """E-mail the buyer the address of their order page and how to pay, right after ordering."""
    from django.conf import settings
    from django.urls import reverse

    from .selectors import bank_account

    order = Order.objects.select_related("event").get(pk=order_id)
    link = settings.SITE_URL + reverse("ticketing:order", kwargs={"token": order.token})
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
    from .services.orders import expire_orders as expire

    return expire()
