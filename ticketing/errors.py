"""Domain errors of the ticketing app (stable codes, translated messages)."""

from django.utils.translation import gettext_lazy as _

from events.errors import Conflict, DomainError, NotFound

_CODE_MESSAGES = {
    "malformed": _("This is not a badge code."),
    "unknown_format": _("This badge code has a format this system does not know."),
    "unknown_event": _("This badge belongs to no event known here."),
    "bad_signature": _("This badge code is forged or damaged."),
    "revoked": _("This badge has been replaced by a newer one."),
    "unknown_badge": _("No badge was issued for this code."),
    "no_valid_ticket": _("The badge holder no longer holds a valid ticket."),
}


class BadgeCodeInvalid(DomainError):
    """A badge code that must not be accepted; code is `badge_<reason>`."""

    def __init__(self, reason):
        super().__init__(f"badge_{reason}", _CODE_MESSAGES[reason])
        self.reason = reason


class NoValidTicket(DomainError):
    def __init__(self):
        super().__init__("no_valid_ticket", _("A badge is issued once your participation is confirmed."))


TICKET_TYPE_OF_ANOTHER_EVENT = _("This ticket type belongs to another event.")


class TicketTypeOfAnotherEvent(DomainError):
    def __init__(self):
        super().__init__("ticket_type_of_another_event", TICKET_TYPE_OF_ANOTHER_EVENT, field="ticket_type")


class NothingToPrint(DomainError):
    def __init__(self):
        super().__init__("nothing_to_print", _("No badge matches this filter: there is nothing to print."))


QUOTA_OF_ANOTHER_EVENT = _("A ticket type may only use the quotas of its own event.")


class QuotaOfAnotherEvent(Conflict):
    """A ticket type attached to another event's quota (saved before the admin refused it): never sold."""

    def __init__(self):
        super().__init__(
            "quota_of_another_event",
            _("This ticket type cannot be sold until the organizers attach it to its own event's quotas."),
        )


MISSING_PRINT_FILE = _(
    "This job finished, but its PDF is no longer in the file storage. Create the job again to print."
)


class BadgeNotFound(NotFound):
    def __init__(self):
        super().__init__("badge_not_found", _("No badge has been issued for this participant yet."))


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
