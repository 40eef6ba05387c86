"""PDF rendering (WeasyPrint): the one home for documents made from HTML.

WeasyPrint is imported inside the functions: it is slow to import and only
the receipt and badge jobs need it.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation


def _html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render_receipt(order) -> bytes:
    """The receipt of a paid order as PDF bytes, in the buyer's language (Vietnamese by default)."""
    positions = list(order.positions.select_related("ticket_type"))
    payments = list(order.payments.all())
    with translation.override(order.language or "vi"):
        html = render_to_string(
            "ticketing/receipt.html",
            {
                "order": order,
                "event": order.event,
                "positions": positions,
                "payments": payments,
                "issued_at": timezone.localtime(order.paid_at or timezone.now()),
            },
        )
    return _html_to_pdf(html)
