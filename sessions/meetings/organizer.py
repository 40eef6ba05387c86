"""Meetings on the organizer home: the rules in the admin, the meeting desk, attendance and no-shows.

Registered in AgendaConfig.ready() through events.extensions (organizer_tools, organizer_headlines).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import permissions
from events.organizer import Headline, Tool, admin_list, count

from ..models import MeetingHold


def tools(event, user):
    """The meeting rules and attendance (organizers) and the meeting desk (anyone who scans badges)."""
    found = []
    if permissions.is_organizer(user):
        found += [
            Tool(
                "meeting_report",
                _("Meetings: figures and export"),
                reverse("agenda:meetings_report", args=[event.slug]),
                _("Requests and meetings by category pair, tables taken by slot, unanswered requests; CSV and XLSX"),
            ),
            Tool(
                "meeting_rules",
                _("One-to-one meetings"),
                admin_list("agenda_meetingrules", event__id__exact=event.pk),
                _("Who may request whom, meeting windows and places"),
            ),
            Tool(
                "meeting_no_shows",
                _("Meeting no-shows"),
                admin_list("agenda_meeting", event__id__exact=event.pk, attendance="no_show"),
                _("Meetings whose slot has ended with someone not checked in at the desk"),
            ),
        ]
    if permissions.is_door_staff(user):
        found.append(
            Tool(
                "meeting_desk",
                _("Meeting desk"),
                reverse("agenda:meetings_desk", args=[event.slug]),
                _("Check one-to-one meetings in by scanning either person's badge"),
            )
        )
    return found


def staff_links(event, user):
    """The meeting desk on the event page and the staff landing, for anyone who scans badges."""
    if not permissions.is_door_staff(user):
        return []
    return [(_("Meeting desk"), reverse("agenda:meetings_desk", args=[event.slug]))]


def attendance(event, now=None):
    """People expected at the event's meetings whose slot has ended: how many, checked in, no-shows. One query."""
    now = now or timezone.now()
    return MeetingHold.objects.filter(
        meeting__event=event, meeting__cancelled_at__isnull=True, meeting__ends_at__lte=now
    ).aggregate(expected=Count("pk"), came=Count("pk", filter=Q(checked_in_at__isnull=False)))


def headlines(event):
    """ "Meeting no-shows" once a meeting's slot has ended; nothing before (one query either way)."""
    found = attendance(event)
    if not found["expected"]:
        return []
    details = [
        (_("Expected at ended meetings"), count(found["expected"])),
        (_("Checked in at the desk"), count(found["came"])),
    ]
    return [Headline("meeting_no_shows", _("Meeting no-shows"), count(found["expected"] - found["came"]), details)]
