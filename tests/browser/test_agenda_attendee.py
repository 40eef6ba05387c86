"""An attendee opens their magic link, reserves a roundtable seat and finds the calendar subscription."""

from urllib.parse import urlsplit

import pytest

from events.enums import ParticipantStatus
from events.links import magic_link
from sessions import services
from sessions.models import Reservation
from tests.agenda.factories import make_room, make_session
from tests.events.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attendee_reserves_roundtable_seat_and_sees_calendar_link(page, live_server, event, organizer):
    room = make_room(event, "Phòng bàn tròn Sen", capacity=40)
    roundtable = make_session(
        event,
        room,
        "10:00",
        "11:30",
        capacity=25,
        format="roundtable",
        title_vi="Bàn tròn: bảo vệ trẻ em trên mạng",
        title_en="Roundtable: protecting children online",
    )
    services.publish_agenda(event=event, by=organizer)
    attendee = make_participant(event, full_name="Trần Thị Phương Thảo", status=ParticipantStatus.APPROVED)

    page.goto(live_server.url + urlsplit(magic_link(attendee)).path)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/")
    page.get_by_role("button", name="Giữ chỗ").click()
    page.locator(".badge-confirmed", has_text="Đã giữ chỗ").wait_for()
    page.goto(f"{live_server.url}/e/{event.slug}/me/")

    panel = page.locator(".agenda-panel")
    assert "Bàn tròn: bảo vệ trẻ em trên mạng" in panel.inner_text()
    assert panel.get_by_role("link", name="Theo dõi trong lịch của tôi").get_attribute("href").startswith("webcal://")
    assert Reservation.objects.get().session_id == roundtable.pk
