"""Domain errors of the agenda, each with a stable code."""

from django.utils.translation import gettext_lazy as _

from events.errors import Conflict, DomainError


class AgendaError(DomainError):
    """Bad input to the agenda: answered 400 with the offending field."""


class ConflictsFound(Conflict):
    """The change clashes with the agenda; the organizer may save it anyway with an explicit override."""

    def __init__(self, conflicts):
        super().__init__("agenda_conflicts", _("This change conflicts with the agenda. Save anyway to override."))
        self.conflicts = conflicts


class NothingToPublish(Conflict):
    def __init__(self):
        super().__init__("nothing_to_publish", _("The draft has no changes since the last published version."))


class NotReservable(DomainError):
    pass
