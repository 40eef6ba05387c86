"""Domain errors of the ticketing app (stable codes, translated messages)."""

from django.utils.translation import gettext_lazy as _

from events.errors import DomainError, NotFound

# Why a scanned code is refused; the reason word from ticketing.codes maps here.
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


class BadgeNotFound(NotFound):
    def __init__(self):
        super().__init__("badge_not_found", _("No badge has been issued for this participant yet."))
