"""Reads shared by pages, the admin, the API and jobs."""

import hashlib
from dataclasses import dataclass

from django.utils import translation

from events.enums import Category, ParticipantStatus
from events.models import Participant

from .models import Badge


def holds_valid_ticket(participant):
    """Whether this participant may have a badge.

    Until tickets exist, an approved participant (vetted, or invited with a
    code) holds one; the ticketing flow will add "holds a paid ticket" here.
    """
    return participant.status == ParticipantStatus.APPROVED


def with_valid_ticket(participants):
    """The queryset twin of holds_valid_ticket: change the two together."""
    return participants.filter(status=ParticipantStatus.APPROVED)


def _size(text, limits):
    """A font size class for a printed string, from its length: longer strings print smaller."""
    for size, limit in limits:
        if limit is None or len(text) <= limit:
            return size
    return limits[-1][0]


@dataclass(frozen=True)
class BadgePrint:
    """Everything printed on one badge, computed here so the template only places it."""

    full_name: str
    title: str
    organization: str
    category: str
    label_vi: str
    label_en: str
    event_name: str
    event_when: str
    code: str
    qr_png: bytes = b""  # derived from code; empty means "draw it now"

    @property
    def name_size(self):
        # DejaVu Sans Bold on an 80 mm line: about 18 letters at 19 pt, 24 at 15 pt, 30 at 12 pt.
        return _size(self.full_name, [("xl", 16), ("l", 22), ("m", 40), ("s", None)])

    @property
    def title_size(self):
        return _size(self.title, [("", 60), ("s", None)])

    @property
    def organization_size(self):
        return _size(self.organization, [("", 50), ("m", 100), ("s", None)])

    def fingerprint(self):
        """Changes whenever anything printed changes: the key of the cached PDF."""
        printed = "\x1f".join(
            [self.full_name, self.title, self.organization, self.category, self.event_name, self.event_when, self.code]
        )
        return hashlib.sha256(printed.encode()).hexdigest()[:16]


def _labels(category):
    with translation.override("vi"):
        label_vi = str(Category(category).label)
    with translation.override("en"):
        label_en = str(Category(category).label)
    return label_vi, label_en


def _event_when(event):
    start, end = event.start_date.strftime("%d/%m/%Y"), event.end_date.strftime("%d/%m/%Y")
    dates = start if start == end else f"{start} – {end}"
    return f"{dates} · {event.venue}" if event.venue else dates


def badge_print(badge):
    """What goes on this badge (its participant and event must be loaded or loadable)."""
    participant = badge.participant
    event = participant.event
    label_vi, label_en = _labels(participant.category)
    return BadgePrint(
        full_name=participant.full_name,
        title=participant.title,
        organization=participant.organization,
        category=participant.category,
        label_vi=label_vi,
        label_en=label_en,
        event_name=event.name_vi,
        event_when=_event_when(event),
        code=badge.code,
        qr_png=bytes(badge.qr_png or b""),
    )


def participants_to_print(*, event, category="", only_unprinted=True, registered_since=None):
    """Participants of a print filter who hold a valid ticket, in print order (category, name)."""
    queryset = with_valid_ticket(Participant.objects.filter(event=event))
    if category:
        queryset = queryset.filter(category=category)
    if only_unprinted:
        queryset = queryset.exclude(badge__printed_at__isnull=False)
    if registered_since is not None:
        queryset = queryset.filter(created_at__gte=registered_since)
    return queryset.order_by("category", "full_name", "pk")


def badges_in_order(participant_ids):
    """The badges of these participants with what printing needs, in the given order."""
    badges = Badge.objects.filter(participant_id__in=participant_ids).select_related("participant__event")
    by_participant = {badge.participant_id: badge for badge in badges}
    return [by_participant[pk] for pk in participant_ids if pk in by_participant]
