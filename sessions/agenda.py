"""The published agenda as objects for pages, the API and the exports (read from one Publication)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from events import collation
from events.models import localized, normalize_text

from .enums import PersonRole, SessionFormat, SessionLanguage


@dataclass
class AgendaRoom:
    id: int
    name_vi: str
    name_en: str
    capacity: int
    location: str
    position: int

    @property
    def name(self):
        return localized(self, "name")


@dataclass
class AgendaTrack:
    id: int
    slug: str
    name_vi: str
    name_en: str
    color: str

    @property
    def name(self):
        return localized(self, "name")


@dataclass
class AgendaPerson:
    id: int
    name: str
    title: str
    organization: str
    role: str

    @property
    def role_label(self):
        return PersonRole(self.role).label


@dataclass
class AgendaSession:
    id: int
    uid: str
    title_vi: str
    title_en: str
    abstract_vi: str
    abstract_en: str
    format: str
    language: str
    room: AgendaRoom
    track: AgendaTrack | None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    people: list[AgendaPerson] = field(default_factory=list)

    @property
    def title(self):
        return localized(self, "title")

    @property
    def abstract(self):
        return localized(self, "abstract")

    @property
    def format_label(self):
        return SessionFormat(self.format).label

    @property
    def language_label(self):
        return SessionLanguage(self.language).label

    @property
    def day(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def minutes(self):
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def overlaps(self, other):
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def matches(self, term):
        haystack = " ".join(
            [self.title_vi, self.title_en, self.abstract_vi, self.abstract_en, self.room.name_vi, self.room.name_en]
            + [p.name for p in self.people]
            + [p.organization for p in self.people]
        )
        return term in fold(haystack)


@dataclass
class Agenda:
    """One published version: number, time, and its rooms, tracks and sessions in time order."""

    number: int
    published_at: datetime
    rooms: list[AgendaRoom]
    tracks: list[AgendaTrack]
    sessions: list[AgendaSession]

    @classmethod
    def from_publication(cls, publication):
        data = publication.snapshot
        rooms = {r["id"]: AgendaRoom(**r) for r in data["rooms"]}
        tracks = {t["id"]: AgendaTrack(**t) for t in data["tracks"]}
        sessions = [_session(s, rooms, tracks) for s in data["sessions"]]
        sessions.sort(key=lambda s: (s.starts_at, s.room.position, s.room.id, s.id))
        return cls(
            number=publication.number,
            published_at=publication.published_at,
            rooms=sorted(rooms.values(), key=lambda r: (r.position, r.id)),
            tracks=list(tracks.values()),
            sessions=sessions,
        )

    @property
    def days(self):
        return sorted({session.day for session in self.sessions})

    def session(self, pk):
        return next((s for s in self.sessions if s.id == pk), None)

    def room(self, pk):
        return next((r for r in self.rooms if r.id == pk), None)

    def track(self, slug):
        return next((t for t in self.tracks if t.slug == slug), None)

    def person(self, pk):
        """(AgendaPerson, [(session, role label)]) of someone on this version's sessions, or None.

        Only people the published agenda names have a page: the snapshot is what is public.
        """
        appearances = [(s, p) for s in self.sessions for p in s.people if p.id == pk]
        if not appearances:
            return None
        return appearances[0][1], [(session, person.role_label) for session, person in appearances]

    def select(self, *, day: date | None = None, room=None, track=None, search=""):
        term = fold(search)
        return [
            s
            for s in self.sessions
            if (day is None or s.day == day)
            and (room is None or s.room.id == room.id)
            and (track is None or (s.track is not None and s.track.id == track.id))
            and (not term or s.matches(term))
        ]


def fold(text):
    """Text for search: case and Vietnamese diacritics ignored, so "pham minh tuan" finds "Phạm Minh Tuấn"."""
    return collation.search_fold(normalize_text(text))


def _session(data, rooms, tracks):
    values = {key: value for key, value in data.items() if key not in ("room_id", "track_id", "people")}
    values["starts_at"] = parse_datetime(data["starts_at"])
    values["ends_at"] = parse_datetime(data["ends_at"])
    return AgendaSession(
        **values,
        room=rooms[data["room_id"]],
        track=tracks.get(data["track_id"]),
        people=[AgendaPerson(**person) for person in data["people"]],
    )
