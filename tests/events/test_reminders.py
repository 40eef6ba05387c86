"""The day-before reminder: badge PDF and personal agenda attached, in each participant's language, once."""

import subprocess
from datetime import timedelta

import pytest
from django.core import mail
from django_q.models import Schedule

from events.apps import REMINDER_SCHEDULE
from events.campaigns import reminders
from events.enums import Category, DeliveryStatus, ParticipantStatus
from events.models import Delivery
from sessions import services as agenda_services
from tests.agenda.factories import make_room, make_session
from tests.ticketing.factories import make_business_type, place_order
from ticketing.services.payments import mark_transfer_received

from .factories import make_participant


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agenda(event, organizer):
    room = make_room(event)
    panel = make_session(event, room, "09:00", "10:00")
    keynote = make_session(event, room, "10:30", "11:30", title_vi="Phát biểu khai mạc", title_en="Opening keynote")
    agenda_services.publish_agenda(event=event, by=organizer)
    return panel, keynote


def _eve(event):
    return event.start_date - timedelta(days=1)


def _attachments(message):
    return {name: (content, mimetype) for name, content, mimetype in message.attachments}


def _pdf_text(content, tmp_path):
    source = tmp_path / "badge.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True
    ).stdout.decode()


def _unfolded(ics):
    text = ics.decode() if isinstance(ics, bytes) else ics
    return text.replace("\r\n ", "")  # RFC 5545 3.1: long lines are folded with CRLF + space


def test_reminder_attaches_badge_and_agenda_in_each_language(event, agenda, tmp_path):
    panel, _keynote = agenda
    thao = make_participant(
        event,
        full_name="Trần Thị Phương Thảo",
        email="thao@example.vn",
        language="vi",
        status=ParticipantStatus.APPROVED,
    )
    john = make_participant(
        event, full_name="John Nguyễn", email="john@example.vn", language="en", status=ParticipantStatus.APPROVED
    )
    make_participant(event, email="cho@example.vn", status=ParticipantStatus.PENDING)
    agenda_services.bookmark_session(session=panel, participant=thao)
    mail.outbox.clear()

    reminders.send_due_reminders(today=_eve(event))

    sent = {m.to[0]: m for m in mail.outbox if m.subject.startswith(("Ngày mai", "Tomorrow"))}
    assert sorted(sent) == ["john@example.vn", "thao@example.vn"]
    vi, en = sent["thao@example.vn"], sent["john@example.vn"]
    assert vi.subject == "Ngày mai: Hội nghị KOL toàn quốc lần thứ nhất"
    assert en.subject == "Tomorrow: First National KOL Conference"
    assert vi.body.startswith("Kính gửi Trần Thị Phương Thảo,")
    assert en.body.startswith("Dear John Nguyễn,")
    assert "/mail/opt-out/" not in vi.body  # essential: no opt-out

    for message, person in ((vi, thao), (en, john)):
        files = _attachments(message)
        assert sorted(files) == ["agenda.ics", "badge-kol-2027.pdf"]
        pdf, pdf_type = files["badge-kol-2027.pdf"]
        assert pdf_type == "application/pdf"
        assert person.full_name in " ".join(_pdf_text(pdf, tmp_path).split())  # long names wrap on the badge
        assert files["agenda.ics"][1] == "text/calendar"
    vi_ics, en_ics = _unfolded(_attachments(vi)["agenda.ics"][0]), _unfolded(_attachments(en)["agenda.ics"][0])
    # Thảo bookmarked the panel: her calendar has it alone, in Vietnamese.
    assert "X-WR-CALNAME:Chương trình của tôi · Hội nghị KOL toàn quốc lần thứ nhất" in vi_ics
    assert "SUMMARY:Nhận diện và ngăn chặn tin giả" in vi_ics
    assert vi_ics.count("BEGIN:VEVENT") == 1
    # John chose nothing: the whole agenda, in English.
    assert "X-WR-CALNAME:My agenda · First National KOL Conference" in en_ics
    assert "SUMMARY:Opening keynote" in en_ics
    assert en_ics.count("BEGIN:VEVENT") == 2


def test_reminder_is_never_sent_twice(event, agenda):
    make_participant(event, email="thao@example.vn", status=ParticipantStatus.APPROVED)

    reminders.send_due_reminders(today=_eve(event))
    first = [m.to for m in mail.outbox if m.subject.startswith("Ngày mai")]
    reminders.send_due_reminders(today=_eve(event))
    later = make_participant(event, email="muon@example.vn", status=ParticipantStatus.APPROVED)
    reminders.send_due_reminders(today=_eve(event))

    reminded = [m.to for m in mail.outbox if m.subject.startswith("Ngày mai")]
    assert first == [["thao@example.vn"]]
    assert reminded == [["thao@example.vn"], [later.email]]
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2


def test_only_the_day_before(event, agenda):
    make_participant(event, status=ParticipantStatus.APPROVED)

    reminders.send_due_reminders(today=_eve(event) - timedelta(days=1))
    reminders.send_due_reminders(today=event.start_date)

    assert not [m for m in mail.outbox if m.subject.startswith("Ngày mai")]


def test_reminder_needs_a_paid_pass_once_the_event_sells_them(event, agenda, organizer):
    ticket_type = make_business_type(event)
    make_participant(event, email="chuamua@example.vn", category=Category.BUSINESS, status=ParticipantStatus.APPROVED)
    order = place_order(event, ticket_type, 1)
    mark_transfer_received(order=order, by=organizer)
    mail.outbox.clear()

    reminders.send_due_reminders(today=_eve(event))

    assert [m.to for m in mail.outbox if m.subject.startswith("Ngày mai")] == [["ha.nguyen@saoviet.vn"]]


def test_reminder_schedule_exists(db):
    schedule = Schedule.objects.get(name=REMINDER_SCHEDULE)

    assert (schedule.func, schedule.schedule_type) == ("events.tasks.send_due_reminders", Schedule.HOURLY)
