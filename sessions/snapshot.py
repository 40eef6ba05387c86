"""The frozen form of a published agenda and the changelog between two of them (pure functions)."""

from django.utils.dateparse import parse_datetime

from .enums import ChangeKind


def build_snapshot(*, rooms, tracks, sessions):
    """The JSON document a Publication stores: rooms, tracks and live sessions with their people."""
    return {
        "rooms": [
            {
                "id": room.pk,
                "name_vi": room.name_vi,
                "name_en": room.name_en,
                "capacity": room.capacity,
                "location": room.location,
                "position": room.position,
            }
            for room in rooms
        ],
        "tracks": [
            {"id": t.pk, "slug": t.slug, "name_vi": t.name_vi, "name_en": t.name_en, "color": t.color} for t in tracks
        ],
        "sessions": [_session(session) for session in sessions],
    }


def _session(session):
    return {
        "id": session.pk,
        "uid": str(session.uid),
        "title_vi": session.title_vi,
        "title_en": session.title_en,
        "abstract_vi": session.abstract_vi,
        "abstract_en": session.abstract_en,
        "format": session.format,
        "language": session.language,
        "room_id": session.room_id,
        "track_id": session.track_id,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "capacity": session.capacity,
        "people": [
            {
                "id": person.participant_id,
                "name": person.participant.full_name,
                "title": person.participant.title,
                "organization": person.participant.organization,
                "role": person.role,
            }
            for person in session.people.all()
        ],
    }


def changelog(before, after):
    """What changed between two snapshots, session by session: added, removed, moved, retimed, seats."""
    old = {s["uid"]: s for s in (before or {}).get("sessions", [])}
    new = {s["uid"]: s for s in after["sessions"]}
    rooms = {r["id"]: r for r in (before or {}).get("rooms", []) + after["rooms"]}
    entries = []
    for uid, session in new.items():
        previous = old.get(uid)
        if previous is None:
            entries.append(_entry(ChangeKind.ADDED, session, None, _where(session, rooms)))
            continue
        if previous["room_id"] != session["room_id"]:
            entries.append(_entry(ChangeKind.MOVED, session, _room(previous, rooms), _room(session, rooms)))
        if not _same_time(previous, session):
            entries.append(_entry(ChangeKind.RETIMED, session, _when(previous), _when(session)))
        if previous.get("capacity") != session["capacity"]:
            before, after = {"capacity": previous.get("capacity")}, {"capacity": session["capacity"]}
            entries.append(_entry(ChangeKind.SEATS, session, before, after))
    for uid, session in old.items():
        if uid not in new:
            entries.append(_entry(ChangeKind.REMOVED, session, _where(session, rooms), None))
    return entries


def _entry(kind, session, before, after):
    return {
        "kind": str(kind),
        "session": session["uid"],
        "session_id": session["id"],
        "title_vi": session["title_vi"],
        "title_en": session["title_en"],
        "before": before,
        "after": after,
    }


def _same_time(a, b):
    return parse_datetime(a["starts_at"]) == parse_datetime(b["starts_at"]) and parse_datetime(
        a["ends_at"]
    ) == parse_datetime(b["ends_at"])


def _room(session, rooms):
    room = rooms.get(session["room_id"], {})
    return {"room_vi": room.get("name_vi", ""), "room_en": room.get("name_en", "")}


def _when(session):
    return {"starts_at": session["starts_at"], "ends_at": session["ends_at"]}


def _where(session, rooms):
    return {**_room(session, rooms), **_when(session)}
