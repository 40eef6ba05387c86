"""Meetings on the organizer home: the rules (pairs, caps, windows, places) in the admin.

Registered in AgendaConfig.ready() through events.extensions (organizer_tools).
"""

from django.utils.translation import gettext as _

from events import permissions
from events.organizer import Tool, admin_list


def tools(event, user):
    """The meeting rules (who may request whom, windows, places) in the admin, for organizers."""
    if not permissions.is_organizer(user):
        return []
    return [
        Tool(
            "meeting_rules",
            _("One-to-one meetings"),
            admin_list("agenda_meetingrules", event__id__exact=event.pk),
            _("Who may request whom, meeting windows and places"),
        )
    ]
