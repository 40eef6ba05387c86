"""Demo agenda for `manage.py seed_demo`: rooms, four tracks, two published days (one for a one-day event)."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.enums import ParticipantStatus
from events.models import Participant

from .enums import PersonRole, SessionFormat, SessionLanguage
from .models import Room, Session, SessionPerson, Track
from .services import publish_agenda

ROOMS = [
    ("Hội trường Thống Nhất", "Reunification Hall", 800, "Tầng 1"),
    ("Phòng Hồng Hà", "Red River Room", 150, "Tầng 2"),
    ("Phòng Cửu Long", "Mekong Room", 120, "Tầng 2"),
    ("Phòng bàn tròn Sen", "Lotus Roundtable Room", 40, "Tầng 3"),
]
TRACKS = [
    ("misinformation", "Tin giả và thông tin sai lệch", "Misinformation", "#a31515"),
    ("legal-framework", "Khung pháp lý", "Legal framework", "#0b4f8a"),
    ("responsible-influence", "Ảnh hưởng có trách nhiệm", "Responsible influence", "#17692f"),
    ("digital-safety", "An toàn số", "Digital safety", "#8a5a00"),
]
# (day, start, minutes, room index, track slug or None, format, title vi, title en, seats)
PLAN = [
    (0, "08:30", 30, 0, None, SessionFormat.KEYNOTE, "Khai mạc Hội nghị", "Opening of the Conference", None),
    (
        0,
        "09:00",
        45,
        0,
        "legal-framework",
        SessionFormat.KEYNOTE,
        "Trách nhiệm pháp lý của KOL trong kỷ nguyên số",
        "KOLs' legal responsibility in the digital era",
        None,
    ),
    (
        0,
        "10:00",
        60,
        1,
        "misinformation",
        SessionFormat.PANEL,
        "Nhận diện và ngăn chặn tin giả",
        "Spotting and stopping fake news",
        None,
    ),
    (
        0,
        "10:00",
        60,
        2,
        "responsible-influence",
        SessionFormat.PANEL,
        "Quảng cáo minh bạch: gắn nhãn nội dung tài trợ",
        "Transparent advertising: labelling sponsored content",
        None,
    ),
    (
        0,
        "10:00",
        90,
        3,
        "digital-safety",
        SessionFormat.ROUNDTABLE,
        "Bàn tròn: bảo vệ trẻ em trên mạng",
        "Roundtable: protecting children online",
        30,
    ),
    (0, "11:15", 45, 0, None, SessionFormat.BREAK, "Nghỉ trưa", "Lunch break", None),
    (
        0,
        "13:30",
        60,
        1,
        "legal-framework",
        SessionFormat.PANEL,
        "Nghị định 13/2023 và dữ liệu cá nhân của người theo dõi",
        "Decree 13/2023 and followers' personal data",
        None,
    ),
    (
        0,
        "13:30",
        90,
        3,
        "responsible-influence",
        SessionFormat.ROUNDTABLE,
        "Bàn tròn: bộ quy tắc ứng xử của Liên minh KOL",
        "Roundtable: the KOL Alliance code of conduct",
        25,
    ),
    (
        0,
        "15:00",
        90,
        2,
        "digital-safety",
        SessionFormat.WORKSHOP,
        "Thực hành: bảo mật tài khoản mạng xã hội",
        "Hands-on: securing social media accounts",
        60,
    ),
    (
        1,
        "08:30",
        45,
        0,
        "misinformation",
        SessionFormat.KEYNOTE,
        "Nền tảng số và kiểm duyệt nội dung",
        "Digital platforms and content moderation",
        None,
    ),
    (
        1,
        "09:30",
        60,
        1,
        "digital-safety",
        SessionFormat.PANEL,
        "Lừa đảo trực tuyến núp bóng người nổi tiếng",
        "Online scams using celebrities' names",
        None,
    ),
    (
        1,
        "09:30",
        90,
        3,
        "misinformation",
        SessionFormat.ROUNDTABLE,
        "Bàn tròn: phản ứng nhanh khi tin giả lan truyền",
        "Roundtable: rapid response to viral falsehoods",
        20,
    ),
    (
        1,
        "11:00",
        60,
        2,
        "legal-framework",
        SessionFormat.PANEL,
        "Xử phạt vi phạm: từ cảnh báo đến chế tài",
        "Sanctions: from warnings to penalties",
        None,
    ),
    (
        1,
        "14:00",
        60,
        0,
        "responsible-influence",
        SessionFormat.KEYNOTE,
        "Công bố thành lập Liên minh KOL Việt Nam",
        "Founding of the Vietnam KOL Alliance",
        None,
    ),
    (
        1,
        "15:15",
        45,
        0,
        None,
        SessionFormat.KEYNOTE,
        "Ký kết tuyên bố và bế mạc",
        "Signing of the declaration and closing",
        None,
    ),
]


def seed_agenda(event):
    """Rooms, tracks and the two-day agenda of the demo conference, published as version 1."""
    rooms = Room.objects.bulk_create(
        Room(event=event, name_vi=vi, name_en=en, capacity=cap, location=loc, position=i)
        for i, (vi, en, cap, loc) in enumerate(ROOMS)
    )
    tracks = {
        slug: Track.objects.create(event=event, slug=slug, name_vi=vi, name_en=en, color=color)
        for slug, vi, en, color in TRACKS
    }
    speakers = list(
        Participant.objects.filter(event=event, status=ParticipantStatus.APPROVED).order_by("category", "pk")[:60]
    )
    for index, (day, start, minutes, room, track, fmt, vi, en, seats) in enumerate(PLAN):
        if event.start_date + timedelta(days=day) > event.end_date:
            continue  # a one-day event (the door rehearsal) keeps the first day's sessions
        starts = timezone.make_aware(
            datetime.combine(event.start_date + timedelta(days=day), time.fromisoformat(start))
        )
        session = Session.objects.create(
            event=event,
            title_vi=vi,
            title_en=en,
            abstract_vi=f"{vi}: trao đổi giữa KOL, cơ quan quản lý, doanh nghiệp và nền tảng số.",
            abstract_en=f"{en}: KOLs, regulators, businesses and platforms in conversation.",
            format=fmt,
            language=SessionLanguage.BOTH if fmt == SessionFormat.KEYNOTE else SessionLanguage.VI,
            room=rooms[room],
            track=tracks.get(track),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            capacity=seats,
        )
        if fmt != SessionFormat.BREAK and speakers:
            _people(session, speakers, index, fmt)
    _publish(event)


def _people(session, speakers, index, fmt):
    count = 1 if fmt == SessionFormat.KEYNOTE else 3
    chosen = [speakers[(index * 4 + offset) % len(speakers)] for offset in range(count + 1)]
    rows = [SessionPerson(session=session, participant=chosen[0], role=PersonRole.MODERATOR, position=0)]
    role = PersonRole.SPEAKER if fmt == SessionFormat.KEYNOTE else PersonRole.PANELIST
    rows += [SessionPerson(session=session, participant=p, role=role, position=i + 1) for i, p in enumerate(chosen[1:])]
    SessionPerson.objects.bulk_create({row.participant_id: row for row in rows}.values())


def _publish(event):
    organizer = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
    if organizer is not None:
        publish_agenda(event=event, by=organizer)
