"""Domain errors of the ticketing app (stable codes, translated messages)."""

from django.utils.translation import gettext_lazy as _

from events.errors import Conflict, DomainError


class SoldOut(Conflict):
    def __init__(self, ticket_type_name=""):
        if ticket_type_name:
            message = _("Sold out: there are not enough seats left for “%(name)s”.") % {"name": ticket_type_name}
        else:
            message = _("Sold out: there are not enough seats left.")
        super().__init__("sold_out", message)


class Busy(Conflict):
    def __init__(self):
        super().__init__("busy", _("Many people are buying right now; please try again in a moment."))


class PaymentError(DomainError):
    """The payment provider refused or could not be reached."""

    status = 502
