"""The placeholders an organizer may write in a subject or message: {name}, {personal_link}, {event}."""

import re

from django.utils.translation import gettext_lazy as _

from ..links import magic_link

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
NAMES = ("name", "personal_link", "event")
HELP = _("You can write {name}, {personal_link} and {event}; each recipient gets their own.")


def unknown(text):
    """The placeholders in text that are not ours, in order of appearance, without repeats."""
    return list(dict.fromkeys(name for name in PLACEHOLDER.findall(text) if name not in NAMES))


def values(participant):
    """What each placeholder stands for in this participant's e-mail (call in their language)."""
    return {"name": participant.full_name, "personal_link": magic_link(participant), "event": participant.event.name}


def fill(text, mapping):
    # Only our own names are replaced; any other braces stay as written (no str.format surprises).
    return PLACEHOLDER.sub(lambda match: mapping.get(match.group(1), match.group(0)), text)
