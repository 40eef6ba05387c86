"""The consent texts people agree to, one per purpose, each with a version.

Vietnam's Law on Personal Data Protection (Law 91/2025/QH15, Decree 356/2025)
wants consent that is explicit, given per stated purpose, never implied by
silence or a pre-ticked box, and withdrawable. A record stores the version and
a hash of the exact text shown, so a later wording change never rewrites what
someone agreed to. Change a text: give it a new version.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .enums import ConsentPurpose


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    text: str
    required: bool

    def digest(self, rendered):
        return hashlib.sha256(rendered.encode("utf-8")).hexdigest()


CONSENT_TEXTS = {
    ConsentPurpose.PARTICIPATION: ConsentText(
        purpose=ConsentPurpose.PARTICIPATION,
        version="2026-01",
        required=True,
        text=_(
            "I agree that the National Cybersecurity Association processes the personal data in this form "
            "(name, position, organization, e-mail, phone and, for KOLs, public channels) to review my "
            "registration, issue my badge and admit me to the conference. The data is kept until the end of "
            "the retention period announced for the event, then anonymized. I can see, correct or erase it "
            "and withdraw this consent at any time from my personal page."
        ),
    ),
    ConsentPurpose.UPDATES: ConsentText(
        purpose=ConsentPurpose.UPDATES,
        version="2026-01",
        required=False,
        text=_(
            "I would like to receive news about the conference and the Vietnam KOL Alliance by e-mail. "
            "Optional; I can unsubscribe at any time."
        ),
    ),
    ConsentPurpose.MEETINGS: ConsentText(
        purpose=ConsentPurpose.MEETINGS,
        version="2026-12",
        required=False,
        text=_(
            "I agree that my meeting profile (name, position, organization, the short introduction and topics "
            "I write and, for KOLs, my public channels with their follower counts) is shown to other approved "
            "participants of this event whom the organizers allow to request a meeting with me. My e-mail and "
            "phone are never shown; requests and answers go through the system. Optional; withdrawing this "
            "consent hides my profile at once."
        ),
    ),
}
