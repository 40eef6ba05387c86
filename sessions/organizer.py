"""The agenda on the organizer home: conflicts saved in the draft, changes not yet published, the builder.

Registered in AgendaConfig.ready() through events.extensions (organizer_todos,
organizer_tools). Both to-dos read the draft once (a fixed number of queries).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from events import permissions
from events.organizer import Todo, Tool

from . import conflicts, selectors
from .models import Room, Track
from .snapshot import build_snapshot


def unpublished_sessions(latest, snapshot):
    """How many sessions differ from the last published version: added, removed or changed in any field."""
    before = {s["uid"]: s for s in (latest.snapshot["sessions"] if latest else [])}
    after = {s["uid"]: s for s in snapshot["sessions"]}
    changed = sum(1 for uid, session in after.items() if before.get(uid) != session)
    return changed + sum(1 for uid in before if uid not in after)


def todos(event):
    sessions = list(selectors.draft_sessions(event).filter(cancelled_at__isnull=True))
    found = conflicts.agenda_clashes([conflicts.slot_of(session) for session in sessions], event=event)
    snapshot = build_snapshot(
        rooms=Room.objects.filter(event=event), tracks=Track.objects.filter(event=event), sessions=sessions
    )
    builder = reverse("agenda:builder", args=[event.slug])
    return [
        Todo(
            "agenda_conflicts",
            _("Sessions with conflicts in the agenda draft"),
            sum(1 for clashes in found.values() if clashes),
            builder,
        ),
        Todo(
            "agenda_unpublished",
            _("Agenda sessions changed since the last publication"),
            unpublished_sessions(selectors.latest_publication(event), snapshot),
            builder,
        ),
    ]


def tools(event, user):
    if not permissions.can_write_agenda(user):
        return []
    return [
        Tool(
            "agenda_builder",
            _("Agenda builder"),
            reverse("agenda:builder", args=[event.slug]),
            _("Edit and publish the agenda"),
        )
    ]
