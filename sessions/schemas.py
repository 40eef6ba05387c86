"""Shapes of the agenda API."""

from datetime import date, datetime

from ninja import Field, Schema


class RoomOut(Schema):
    id: int
    name: str
    name_vi: str
    name_en: str
    capacity: int
    location: str


class TrackOut(Schema):
    id: int
    slug: str
    name: str
    name_vi: str
    name_en: str
    color: str


class PersonOut(Schema):
    id: int
    name: str
    title: str
    organization: str
    role: str


class AgendaSessionOut(Schema):
    id: int
    uid: str
    title: str
    title_vi: str
    title_en: str
    abstract: str
    format: str
    language: str
    room_id: int = Field(alias="room.id")
    track: str | None = Field(None, alias="track.slug")
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    people: list[PersonOut]


class AgendaOut(Schema):
    version: int = Field(alias="number")
    published_at: datetime
    rooms: list[RoomOut]
    tracks: list[TrackOut]
    sessions: list[AgendaSessionOut]


class ChangeOut(Schema):
    kind: str
    session: str
    title_vi: str
    title_en: str
    before: dict | None
    after: dict | None


class PublicationOut(Schema):
    version: int = Field(alias="number")
    published_at: datetime
    changelog: list[ChangeOut]


class ConflictOut(Schema):
    code: str
    message: str
    other_session: int | None = None


class ConflictsOut(Schema):
    code: str
    message: str
    conflicts: list[ConflictOut]


class SessionPersonIn(Schema):
    participant_id: int
    role: str = "speaker"


class DraftPersonOut(Schema):
    participant_id: int
    name: str = Field(alias="participant.full_name")
    status: str = Field(alias="participant.status")
    role: str


class SessionIn(Schema):
    title_vi: str = Field(max_length=200)
    title_en: str = Field("", max_length=200)
    abstract_vi: str = Field("", max_length=5000)
    abstract_en: str = Field("", max_length=5000)
    format: str = "panel"
    language: str = "vi"
    room_id: int
    track_id: int | None = None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = Field(None, ge=1, le=100000)
    people: list[SessionPersonIn] = Field(default_factory=list, max_length=30)
    override: bool = Field(False, description="Save despite conflicts; the override is recorded.")


class SessionPatch(Schema):
    title_vi: str | None = Field(None, max_length=200)
    title_en: str | None = Field(None, max_length=200)
    abstract_vi: str | None = Field(None, max_length=5000)
    abstract_en: str | None = Field(None, max_length=5000)
    format: str | None = None
    language: str | None = None
    room_id: int | None = None
    track_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int | None = Field(None, ge=1, le=100000)
    people: list[SessionPersonIn] | None = Field(None, max_length=30)
    override: bool = False


class DraftSessionOut(Schema):
    id: int
    uid: str
    title_vi: str
    title_en: str
    abstract_vi: str
    abstract_en: str
    format: str
    language: str
    room_id: int
    track_id: int | None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    seats_taken: int
    people: list[DraftPersonOut]

    @staticmethod
    def resolve_uid(obj):
        return str(obj.uid)

    @staticmethod
    def resolve_people(obj):
        return list(obj.people.all())


class DraftEntryOut(Schema):
    session: DraftSessionOut
    conflicts: list[ConflictOut]


class DraftEventOut(Schema):
    slug: str
    start_date: date
    end_date: date


class DraftRoomOut(Schema):
    id: int
    name: str
    capacity: int
    location: str


class DraftTrackOut(Schema):
    id: int
    slug: str
    name: str
    color: str


class DraftOut(Schema):
    event: DraftEventOut
    published_version: int | None
    rooms: list[DraftRoomOut]
    tracks: list[DraftTrackOut]
    sessions: list[DraftEntryOut]


class ReservationOut(Schema):
    session_id: int
    status: str | None
    waitlist_position: int | None = Field(None, description="Place on the waitlist (1 = next to get a seat)")
