"""The one next step a participant's personal page shows: what to do (or wait for) to get a badge.

Each kind of participant has one path to a badge (issue #15): a KOL applies
and waits for review; a regulator or platform registers with an invitation
code; a business orders passes. The ground floor knows the decision; the
upper apps (events.extensions.next_step) know passes and badges.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import extensions
from .enums import ParticipantStatus


@dataclass(frozen=True)
class Step:
    """One call to action: `key` is stable (tests, CSS), `text` says what is happening, `action` what to do.

    `action_is_file`: the action saves a file (the badge PDF) instead of opening a page.
    """

    key: str
    text: str
    action_label: str = ""
    action_url: str = ""
    action_is_file: bool = False


def next_step(participant):
    """The step the personal page shows first, or None when there is nothing to do."""
    if participant.status == ParticipantStatus.PENDING:
        return Step(
            "wait_for_review",
            _("The organizers are reviewing your registration. We will e-mail you as soon as they decide."),
        )
    if participant.status == ParticipantStatus.WAITLISTED:
        return Step("waitlisted", _("You are on the waitlist. We will e-mail you if a place frees up."))
    if participant.status == ParticipantStatus.REJECTED:
        return Step("not_accepted", _("Your registration was not accepted."))
    return extensions.first_next_step(participant)
