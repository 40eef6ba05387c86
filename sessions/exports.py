"""Exports of the published agenda: iCalendar (RFC 5545) and the frab schedule.xml / schedule.json.

Slow imports (icalendar, lxml) stay inside the functions. Identifiers are
stable across versions: a session's UID/GUID is its `uid`, so a calendar or a
conference app replaces an updated session instead of adding a copy.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

PRODID = "-//Hoi nghi KOL toan quoc//Agenda//VI"
ROOM_NAMESPACE = uuid.UUID("6f1b3c52-8d4e-4f1a-9a57-0c1d2e3f4a5b")  # room GUIDs: uuid5(namespace, "room-<id>")


def session_url(event, session):
    return settings.SITE_URL + reverse("agenda:session", kwargs={"slug": event.slug, "pk": session.id})


def icalendar(agenda, *, event, sessions, name, meetings=()):
    """An RFC 5545 calendar of `sessions` with the Asia/Ho_Chi_Minh VTIMEZONE, as bytes.

    UID is the session's stable uid; SEQUENCE is the published version, so a
    subscribed calendar sees a moved session as an update of the same event.
    `meetings` (a personal feed only) adds that person's one-to-one meetings.
    """
    # ~250 ms to import: only calendar feeds pay for it
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # How often a subscribed calendar should fetch again (RFC 7986; X-PUBLISHED-TTL for Outlook).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for session in sessions:
        item = Event()
        item.add("uid", f"{session.uid}@{event.slug}.kol-conference")
        item.add("dtstamp", agenda.published_at)
        item.add("last-modified", agenda.published_at)
        item.add("sequence", agenda.number)
        item.add("dtstart", timezone.localtime(session.starts_at))
        item.add("dtend", timezone.localtime(session.ends_at))
        item.add("summary", session.title)
        item.add("location", ", ".join(filter(None, [session.room.name, session.room.location, event.venue])))
        item.add("description", _description(session))
        item.add("url", session_url(event, session))
        if session.track is not None:
            item.add("categories", [session.track.name])
        calendar.add_component(item)
    for meeting in meetings:
        calendar.add_component(_meeting_item(Event(), meeting, event))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _meeting_item(item, meeting, event):
    """One meeting (sessions.meetings.selectors.calendar_meetings: `.other` is the other person).

    A cancelled meeting stays in the feed as STATUS:CANCELLED with a higher SEQUENCE,
    so a subscribed calendar removes it instead of keeping a stale copy (RFC 5545 3.8.1.11).
    """
    cancelled = meeting.cancelled_at is not None
    item.add("uid", f"meeting-{meeting.pk}@{event.slug}.kol-conference")
    item.add("dtstamp", meeting.cancelled_at or meeting.request.answered_at or meeting.starts_at)
    item.add("sequence", 1 if cancelled else 0)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("dtstart", timezone.localtime(meeting.starts_at))
    item.add("dtend", timezone.localtime(meeting.ends_at))
    item.add("summary", gettext("Meeting with %(name)s") % {"name": meeting.other.full_name})
    table = gettext("table %(table)s") % {"table": meeting.table}
    item.add("location", ", ".join(filter(None, [meeting.place.name, table, event.venue])))
    return item


def _description(session):
    people = "\n".join(
        f"{p.role_label!s}: {p.name}" + (f" ({p.organization})" if p.organization else "") for p in session.people
    )
    return "\n\n".join(filter(None, [str(session.format_label), session.abstract, people]))


def acronym(event):
    # frab's JSON schema allows letters, digits and "_" (a "-" only before a year suffix).
    return event.slug.replace("-", "_")


def frab_json(agenda, *, event):
    """The agenda as frab-compatible schedule.json (voc/schedule JSON schema)."""
    days = []
    for index, (day, sessions) in enumerate(_days(agenda), start=1):
        rooms = {room.name: [] for room in agenda.rooms if any(s.room.id == room.id for s in sessions)}
        for session in sessions:
            rooms[session.room.name].append(_json_event(session, event))
        start, end = _day_bounds(sessions)
        days.append({"index": index, "date": day.isoformat(), "day_start": start, "day_end": end, "rooms": rooms})
    conference = {
        "acronym": acronym(event),
        "title": event.name,
        "start": event.start_date.isoformat(),
        "end": event.end_date.isoformat(),
        "daysCount": (event.end_date - event.start_date).days + 1,
        "timeslot_duration": "00:15",
        "time_zone_name": settings.TIME_ZONE,
        "url": settings.SITE_URL + reverse("agenda:agenda", kwargs={"slug": event.slug}),
        "rooms": [
            {"name": room.name, "guid": str(room_guid(room)), "capacity": room.capacity} for room in agenda.rooms
        ],
        "tracks": [{"name": track.name, "slug": track.slug, "color": track.color} for track in agenda.tracks],
        "days": days,
    }
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "kol-conference", "version": "1"},
        "schedule": {"version": f"v{agenda.number}", "base_url": settings.SITE_URL + "/", "conference": conference},
    }


def _json_event(session, event):
    return {
        "guid": session.uid,
        "id": session.id,
        "date": timezone.localtime(session.starts_at).isoformat(),
        "start": timezone.localtime(session.starts_at).strftime("%H:%M"),
        "duration": _duration(session),
        "room": session.room.name,
        "slug": _slug(session, event),
        "url": session_url(event, session),
        "title": session.title,
        "subtitle": "",
        "track": session.track.name if session.track else None,
        "type": session.format,
        "language": session.language,
        "abstract": session.abstract,
        "description": "",
        "persons": [{"id": p.id, "name": p.name} for p in session.people],
        "links": [],
    }


def frab_xml(agenda, *, event):
    """The agenda as frab-compatible schedule.xml (voc/schedule XSD), as UTF-8 bytes."""
    # only the frab export needs lxml
    from lxml import etree

    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name="kol-conference", version="1")
    etree.SubElement(root, "version").text = f"v{agenda.number}"
    conference = etree.SubElement(root, "conference")
    for tag, text in [
        ("title", event.name),
        ("acronym", acronym(event)),
        ("start", event.start_date.isoformat()),
        ("end", event.end_date.isoformat()),
        ("days", str((event.end_date - event.start_date).days + 1)),
        ("timeslot_duration", "00:15"),
        ("base_url", settings.SITE_URL + "/"),
        ("time_zone_name", settings.TIME_ZONE),
    ]:
        etree.SubElement(conference, tag).text = text
    for track in agenda.tracks:
        etree.SubElement(conference, "track", name=track.name, color=track.color, slug=track.slug)
    for index, (day, sessions) in enumerate(_days(agenda), start=1):
        start, end = _day_bounds(sessions)
        day_element = etree.SubElement(root, "day", index=str(index), date=day.isoformat(), start=start, end=end)
        for room in agenda.rooms:
            in_room = [s for s in sessions if s.room.id == room.id]
            if in_room:
                room_element = etree.SubElement(day_element, "room", name=room.name, guid=str(room_guid(room)))
                for session in in_room:
                    _xml_event(etree, room_element, session, event)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xml_event(etree, parent, session, event):
    element = etree.SubElement(parent, "event", id=str(session.id), guid=session.uid)
    for tag, text in [
        ("date", timezone.localtime(session.starts_at).isoformat()),
        ("start", timezone.localtime(session.starts_at).strftime("%H:%M")),
        ("duration", _duration(session)),
        ("room", session.room.name),
        ("slug", _slug(session, event)),
        ("url", session_url(event, session)),
        ("title", session.title),
        ("subtitle", ""),
        ("track", session.track.name if session.track else ""),
        ("type", session.format),
        ("language", session.language),
        ("abstract", session.abstract),
        ("description", ""),
    ]:
        etree.SubElement(element, tag).text = text
    persons = etree.SubElement(element, "persons")
    for person in session.people:
        etree.SubElement(persons, "person", id=str(person.id)).text = person.name
    etree.SubElement(element, "links")


def room_guid(room):
    return uuid.uuid5(ROOM_NAMESPACE, f"room-{room.id}")


def _days(agenda):
    return [(day, [s for s in agenda.sessions if s.day == day]) for day in agenda.days]


def _day_bounds(sessions):
    start = min(timezone.localtime(s.starts_at) for s in sessions)
    end = max(timezone.localtime(s.ends_at) for s in sessions)
    return start.isoformat(), end.isoformat()


def _duration(session):
    hours, minutes = divmod(session.minutes, 60)
    return f"{hours:02d}:{minutes:02d}"


def _slug(session, event):
    words = slugify(session.title_en or session.title_vi.replace("đ", "d").replace("Đ", "D"))[:50].strip("-")
    return f"{acronym(event)}-{session.id}-{words or 'session'}".replace("--", "-").rstrip("-_")
