"""Seed a realistic demo: the first National KOL Conference, the July seminar, ~200 people, staff accounts,
and a door rehearsal whose doors are open today (so a new user can scan a demo badge at once)."""

import random
import unicodedata
from datetime import date

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events.consent import CONSENT_TEXTS
from events.declarations.pins import signing_pin
from events.enums import Category, ChannelPlatform, ConsentPurpose, EventStatus, ParticipantStatus
from events.extensions import run_demo_seeders
from events.models import Channel, Consent, Event, Invitation, Participant
from events.permissions import DOOR_STAFF, DOOR_SUPERVISOR, ORGANIZER
from events.services import move_event

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Thu",
    "Ngọc",
    "Hoàng",
    "Quang",
    "Thanh",
    "Hữu",
    "Tiến",
    "Phương",
    "Bảo",
    "Gia",
    "Khánh",
]
GIVEN = [
    "Cường",
    "Thảo",
    "Anh",
    "Dũng",
    "Hà",
    "Hương",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Trang",
    "Tuấn",
    "Vy",
    "Đạt",
    "Hải",
    "Hiếu",
    "Khánh",
    "Lan",
    "Ngân",
    "Phong",
    "Sơn",
    "Thắng",
    "Yến",
    "Ánh",
    "Ơn",
    "Ưng",
    "Đông",
]
REGULATORS = [
    (
        "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), Bộ Công an",
        ["Trung tá", "Thiếu tá", "Đại úy", "Trưởng phòng"],
    ),
    ("Hiệp hội An ninh mạng quốc gia", ["Phó Chủ tịch", "Tổng Thư ký", "Chánh Văn phòng", "Chuyên gia"]),
    ("Cục Phát thanh, truyền hình và thông tin điện tử", ["Phó Cục trưởng", "Chuyên viên chính"]),
    ("Sở Văn hóa và Thể thao Thành phố Hồ Chí Minh", ["Phó Giám đốc", "Chuyên viên"]),
]
BUSINESSES = [
    "Công ty Cổ phần Truyền thông Số Sao Việt",
    "Công ty TNHH Quảng cáo Ánh Dương",
    "Tập đoàn Thương mại điện tử Phương Nam",
    "Công ty Cổ phần Giải pháp An toàn Thông tin Hà Nội",
    "Công ty TNHH Mỹ phẩm Thiên Hương",
    "Ngân hàng TMCP Đông Á Số",
]
PLATFORMS = [
    "TikTok Việt Nam",
    "Meta (Facebook, Instagram)",
    "Google Việt Nam (YouTube)",
    "Zalo (VNG)",
    "Shopee Việt Nam",
]
BUSINESS_TITLES = ["Giám đốc Marketing", "Trưởng phòng Truyền thông", "Chuyên viên Pháp chế", "Giám đốc điều hành"]
PLATFORM_TITLES = ["Giám đốc Chính sách công", "Trưởng nhóm An toàn nội dung", "Quản lý Quan hệ đối tác"]
KOL_TITLES = [
    "Nhà sáng tạo nội dung",
    "Blogger công nghệ",
    "Reviewer ẩm thực",
    "Streamer",
    "Nhà báo tự do",
    "Diễn viên",
]

STAFF = [
    ("bantochuc", "demo-bantochuc", ORGANIZER, True, "Ban tổ chức"),
    ("soatve", "demo-soatve", DOOR_STAFF, False, "Soát vé"),
    ("truongcua", "demo-truongcua", DOOR_SUPERVISOR, False, "Trưởng cửa"),
]
INVITATION_CODES = {Category.REGULATOR: "QUANLY2027", Category.PLATFORM: "NENTANG2027"}

# The door rehearsal: a one-day event held today (Asia/Ho_Chi_Minh), moved to the new
# day each time seed_demo runs, with named people of the four kinds (README "Rehearsal").
REHEARSAL_SLUG = "dien-tap"
REHEARSAL_PEOPLE = [
    (Category.KOL, "Trần Thị Thu Hằng", "Nhà sáng tạo nội dung", ""),
    (Category.KOL, "Lê Minh Khánh", "Reviewer ẩm thực", ""),
    (Category.KOL, "Võ Ngọc Ánh", "Streamer", ""),
    (Category.REGULATOR, "Nguyễn Tiến Cường", "Trung tá", REGULATORS[0][0]),
    (Category.REGULATOR, "Đặng Thu Hà", "Chuyên viên chính", REGULATORS[2][0]),
    (Category.BUSINESS, "Phạm Minh Tuấn", "Giám đốc Marketing", BUSINESSES[0]),
    (Category.BUSINESS, "Bùi Gia Linh", "Chuyên viên Pháp chế", BUSINESSES[4]),
    (Category.PLATFORM, "Hoàng Quang Long", "Giám đốc Chính sách công", PLATFORMS[0]),
    (Category.PLATFORM, "Đỗ Phương Mai", "Trưởng nhóm An toàn nội dung", PLATFORMS[3]),
]


class Command(BaseCommand):
    help = "Create the demo conference, seminar, ~200 participants and staff accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=200)

    @transaction.atomic
    def handle(self, *args, **options):
        conference, created = self._events()
        self._staff()
        if created:
            self._participants(conference, options["participants"])
            # Tickets, badges, the agenda… each app seeds its own part of the demo.
            run_demo_seeders(conference, self.stdout)
        rehearsal = self._rehearsal()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {conference.participants.count()} participants."))
        holder = rehearsal.participants.get(full_name=REHEARSAL_PEOPLE[0][1])
        self.stdout.write(
            f"Door rehearsal {rehearsal.slug!r}: doors open today, {rehearsal.start_date:%d/%m/%Y}, "
            f"{rehearsal.participants.count()} participants with badges. The demo badge's holder "
            f"{holder.full_name} signs at the kiosk with PIN {signing_pin(holder)}."
        )

    def _rehearsal(self):
        """The rehearsal event, held today: created and seeded once, then moved to the new day on each run."""
        today = timezone.localdate()
        rehearsal, created = Event.objects.get_or_create(
            slug=REHEARSAL_SLUG,
            defaults=dict(
                name_vi="Diễn tập soát vé (dữ liệu demo)",
                name_en="Door rehearsal (demo data)",
                description_vi=(
                    "Sự kiện diễn tập, không có thật: cửa mở hôm nay để ban tổ chức và nhân sự soát vé "
                    "thử quét thẻ, tìm theo tên, ký tuyên bố tại quầy và xem lượt vào trực tiếp."
                ),
                description_en=(
                    "A rehearsal, not a real event: its doors are open today so organizers and door staff "
                    "can try scanning badges, searching by name, kiosk signing and live arrivals."
                ),
                start_date=today,
                end_date=today,
                venue="Trung tâm Hội nghị Quốc gia, Hà Nội (diễn tập)",
                status=EventStatus.PUBLISHED,
            ),
        )
        if created:
            self._rehearsal_people(rehearsal)
            run_demo_seeders(rehearsal, self.stdout)
        elif rehearsal.start_date != today:
            move_event(event=rehearsal, start_date=today)
        return rehearsal

    def _rehearsal_people(self, event):
        people = [
            Participant(
                event=event,
                category=category,
                full_name=name,
                title=title,
                organization=organization,
                email=f"{_ascii(name).lower().replace(' ', '.')}@dientap.example.vn",
                phone=f"+84912{index:06d}",
                status=ParticipantStatus.APPROVED,
                decided_at=timezone.now(),
                language="vi",
            )
            for index, (category, name, title, organization) in enumerate(REHEARSAL_PEOPLE)
        ]
        Participant.objects.bulk_create(people)
        self._consents_and_channels(random.Random(2026), people)

    def _events(self):
        conference, created = Event.objects.get_or_create(
            slug="kol-2027",
            defaults=dict(
                name_vi="Hội nghị KOL toàn quốc lần thứ nhất",
                name_en="First National KOL Conference",
                description_vi=(
                    "Diễn đàn \u201cbàn tròn mở\u201d giữa KOL/KOC, cơ quan quản lý, doanh nghiệp và nền tảng số: "
                    "công bố thành lập Liên minh KOL Việt Nam và khởi động chương trình hành động về quy tắc, "
                    "tiêu chuẩn cộng đồng, minh bạch và tự kiểm soát tự nguyện."
                ),
                description_en=(
                    "An open roundtable of KOLs/KOCs, regulators, businesses and digital platforms: the founding of "
                    "the Vietnam KOL Alliance and an action programme of community rules, transparency and "
                    "voluntary self-regulation."
                ),
                start_date=date(2027, 8, 14),
                end_date=date(2027, 8, 15),
                venue="Trung tâm Hội nghị Quốc gia, Hà Nội",
                status=EventStatus.PUBLISHED,
            ),
        )
        Event.objects.get_or_create(
            slug="kien-tao-niem-tin-so",
            defaults=dict(
                name_vi="Tọa đàm an ninh mạng \u201cKiến tạo niềm tin số\u201d",
                name_en="Cybersecurity seminar \u201cBuilding digital trust\u201d",
                description_vi="Hưởng ứng Ngày An ninh mạng Việt Nam 6/8.",
                description_en="Marking Vietnam Cybersecurity Day, 6 August.",
                start_date=date(2027, 7, 28),
                end_date=date(2027, 7, 28),
                venue="Hiệp hội An ninh mạng quốc gia, Hà Nội",
                status=EventStatus.PUBLISHED,
            ),
        )
        for category, code in INVITATION_CODES.items():
            Invitation.objects.get_or_create(
                code=code, defaults=dict(event=conference, category=category, max_uses=100, note="Demo")
            )
        return conference, created

    def _staff(self):
        for username, password, role, is_staff, first_name in STAFF:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name})
            if created:
                user.set_password(password)
                user.is_staff = is_staff
                user.save()
            user.groups.add(Group.objects.get(name=role))

    def _participants(self, event, count):
        rng = random.Random(2027)
        now = timezone.now()
        plan = [(Category.KOL, 0.55), (Category.REGULATOR, 0.17), (Category.BUSINESS, 0.15), (Category.PLATFORM, 0.13)]
        invitations = {inv.category: inv for inv in Invitation.objects.filter(event=event)}
        people, used_emails = [], set()
        for category, share in plan:
            for _index in range(round(count * share)):
                person = self._person(rng, category, used_emails, now)
                person.event = event
                person.invitation = invitations.get(category)
                people.append(person)
        Participant.objects.bulk_create(people)
        for category, invitation in invitations.items():
            invitation.uses = sum(1 for p in people if p.category == category)
            invitation.max_uses = max(invitation.max_uses, invitation.uses + 20)
            invitation.save(update_fields=["uses", "max_uses"])
        self._consents_and_channels(rng, people)

    def _person(self, rng, category, used_emails, now):
        family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
        base = f"{given}.{family}".lower()
        email = f"{_ascii(base)}{rng.randint(1, 999)}@example.vn"
        while email in used_emails:
            email = f"{_ascii(base)}{rng.randint(1000, 9999)}@example.vn"
        used_emails.add(email)
        organization, title = self._role(rng, category)
        status = ParticipantStatus.APPROVED
        if category in (Category.KOL, Category.BUSINESS):
            status = rng.choices(
                [
                    ParticipantStatus.PENDING,
                    ParticipantStatus.APPROVED,
                    ParticipantStatus.WAITLISTED,
                    ParticipantStatus.REJECTED,
                ],
                weights=[40, 45, 10, 5],
            )[0]
        return Participant(
            category=category,
            full_name=f"{family} {middle} {given}",
            title=title,
            organization=organization,
            email=email,
            phone=f"+849{rng.randint(10_000_000, 99_999_999)}",
            status=status,
            decided_at=None if status == ParticipantStatus.PENDING else now,
            language=rng.choices(["vi", "en"], weights=[9, 1])[0],
        )

    def _role(self, rng, category):
        if category == Category.REGULATOR:
            organization, titles = rng.choice(REGULATORS)
            return organization, rng.choice(titles)
        if category == Category.BUSINESS:
            return rng.choice(BUSINESSES), rng.choice(BUSINESS_TITLES)
        if category == Category.PLATFORM:
            return rng.choice(PLATFORMS), rng.choice(PLATFORM_TITLES)
        return "", rng.choice(KOL_TITLES)

    def _consents_and_channels(self, rng, people):
        text = CONSENT_TEXTS[ConsentPurpose.PARTICIPATION]
        consents, channels = [], []
        for person in people:
            consents.append(
                Consent(
                    participant=person,
                    purpose=text.purpose,
                    text_version=text.version,
                    text_language=person.language,
                    text_sha256=text.digest(str(text.text)),
                )
            )
            if person.category == Category.KOL:
                platform = rng.choice([ChannelPlatform.TIKTOK, ChannelPlatform.YOUTUBE, ChannelPlatform.FACEBOOK])
                handle = _ascii(person.full_name.split()[-1].lower()) + str(rng.randint(10, 99))
                channels.append(
                    Channel(
                        participant=person,
                        platform=platform,
                        handle=f"@{handle}",
                        url=f"https://www.{platform}.com/@{handle}",
                        followers=rng.randint(20_000, 8_000_000),
                    )
                )
        Consent.objects.bulk_create(consents)
        Channel.objects.bulk_create(channels)


def _ascii(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
