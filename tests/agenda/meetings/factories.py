"""Realistic meeting data: the rules of the conference's networking lounge, people with published profiles."""

from events.enums import Category, ChannelPlatform, ParticipantStatus
from events.models import Channel
from sessions.meetings import profiles
from sessions.models import MeetingPlace, MeetingRules, MeetingWindow
from tests.agenda.factories import at
from tests.events.factories import make_participant


def make_rules(event, *, windows=(("14:00", "15:00"),), tables=2, **fields):
    """Open rules with the default pairs (business → KOL, platform → regulator, KOL → platform), 20 minutes."""
    rules = MeetingRules.objects.create(event=event, open=True, **fields)
    for start, end in windows:
        MeetingWindow.objects.create(rules=rules, starts_at=at(event, start), ends_at=at(event, end))
    MeetingPlace.objects.create(
        rules=rules, name_vi="Khu kết nối tầng 2", name_en="Networking lounge, 2nd floor", tables=tables
    )
    return rules


def make_member(event, category, name, *, publish=True, listed=True, **fields):
    """An approved participant of `category`; with `publish`, a published profile and the meetings consent."""
    person = make_participant(event, category=category, full_name=name, status=ParticipantStatus.APPROVED, **fields)
    if publish:
        profiles.save_profile(
            participant=person,
            bio="Muốn gặp gỡ để hợp tác nội dung minh bạch.",
            topics="thương mại điện tử, livestream",
            organization=fields.get("organization", ""),
            listed=listed,
            publish=True,
            consent=True,
        )
    return person


def make_kol(event, name="Nguyễn Thị Cường", **fields):
    kol = make_member(event, Category.KOL, name, **fields)
    Channel.objects.create(
        participant=kol,
        platform=ChannelPlatform.TIKTOK,
        handle="@cuongreview",
        url="https://tiktok.com/@cuongreview",
        followers=1250000,
    )
    return kol


def make_business(event, name="Trần Văn Bình", **fields):
    fields.setdefault("organization", "Công ty Cổ phần Sữa Việt")
    return make_member(event, Category.BUSINESS, name, **fields)
