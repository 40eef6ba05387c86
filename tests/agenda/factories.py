"""Realistic agenda data: rooms of the National Convention Center, the four tracks, sessions."""

from datetime import datetime, timedelta

from django.utils import timezone

from events.enums import Category, ParticipantStatus
from sessions.enums import PersonRole, SessionFormat
from sessions.models import Room, Session, SessionPerson, Track
from tests.events.factories import make_participant


def at(event, hhmm, day=0):
    """An aware datetime on the event's day `day` at local time hh:mm (Asia/Ho_Chi_Minh)."""
    naive = datetime.combine(event.start_date + timedelta(days=day), datetime.strptime(hhmm, "%H:%M").time())
    return timezone.make_aware(naive)


def make_room(event, name="Phòng Hồng Hà", capacity=150, position=0, **fields):
    return Room.objects.create(
        event=event, name_vi=name, name_en=fields.pop("name_en", ""), capacity=capacity, position=position, **fields
    )


def make_track(event, slug="misinformation", name="Tin giả và thông tin sai lệch", **fields):
    return Track.objects.create(
        event=event, slug=slug, name_vi=name, name_en=fields.pop("name_en", "Misinformation"), **fields
    )


def make_speaker(event, name="Phạm Minh Tuấn", **fields):
    values = {
        "full_name": name,
        "category": Category.REGULATOR,
        "status": ParticipantStatus.APPROVED,
        "organization": "Hiệp hội An ninh mạng quốc gia",
    }
    values.update(fields)
    return make_participant(event, **values)


def make_session(event, room, start="09:00", end="10:00", day=0, people=(), **fields):
    values = {
        "title_vi": "Nhận diện và ngăn chặn tin giả",
        "title_en": "Spotting and stopping fake news",
        "format": SessionFormat.PANEL,
    }
    values.update(fields)
    session = Session.objects.create(
        event=event, room=room, starts_at=at(event, start, day), ends_at=at(event, end, day), **values
    )
    for position, person in enumerate(people):
        SessionPerson.objects.create(session=session, participant=person, role=PersonRole.SPEAKER, position=position)
    return session
