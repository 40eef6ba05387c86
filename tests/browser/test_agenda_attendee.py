"""An attendee opens their magic link, reserves a roundtable seat and finds the calendar subscription."""

from urllib.parse import urlsplit

import pytest

from events.enums import ParticipantStatus
from events.links import magic_link
from sessions import services
from sessions.models import Reservation
from tests.agenda.factories import make_room, make_session
from tests.browser.support import VIEWPORTS, check_page, open_personal_link
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

    open_personal_link(page, live_server.url + urlsplit(magic_link(attendee)).path)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/")
    page.get_by_role("button", name="Giữ chỗ").click()
    page.locator(".badge-confirmed", has_text="Đã giữ chỗ").wait_for()
    page.goto(f"{live_server.url}/e/{event.slug}/me/")

    panel = page.locator(".agenda-panel")
    assert "Bàn tròn: bảo vệ trẻ em trên mạng" in panel.inner_text()
    assert panel.get_by_role("link", name="Theo dõi trong lịch của tôi").get_attribute("href").startswith("webcal://")
    assert Reservation.objects.get().session_id == roundtable.pk


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_attendee_joining_a_full_roundtable_sees_their_waitlist_place(page, live_server, event, organizer, width):
    page.set_viewport_size(VIEWPORTS[width])
    room = make_room(event, "Phòng bàn tròn Sen", capacity=40)
    roundtable = make_session(
        event, room, "10:00", "11:30", capacity=1, format="roundtable", title_vi="Bàn tròn: an toàn số"
    )
    services.publish_agenda(event=event, by=organizer)
    holder = make_participant(event, full_name="Lê Văn An", status=ParticipantStatus.APPROVED)
    services.reserve_seat(session=roundtable, participant=holder)
    attendee = make_participant(event, full_name="Trần Thị Phương Thảo", status=ParticipantStatus.APPROVED)

    open_personal_link(page, live_server.url + urlsplit(magic_link(attendee)).path)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/")
    page.get_by_role("button", name="Vào danh sách chờ").click()
    page.locator(".badge-waitlisted", has_text="Trong danh sách chờ: thứ 1").wait_for()

    main = page.locator("main").inner_text()
    assert "bạn đứng thứ 1 trong danh sách chờ" in main
    assert "Đã giữ chỗ" not in main and "yêu cầu giữ chỗ" not in main
    check_page(page, f"agenda-waitlist-{width}")


def _cell(page, session):
    return page.locator(f'.agenda-grid-session[data-session-id="{session.pk}"]').bounding_box()


@pytest.mark.parametrize("width", [360, 1280])
def test_agenda_grid_rooms_side_by_side_and_time_downwards(page, live_server, event, organizer, width):
    from tests.browser.support import horizontal_overflow

    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    lotus = make_room(event, "Phòng bàn tròn Sen", capacity=40, position=1)
    opening = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc Hội nghị")
    clash = make_session(event, hall, "09:30", "10:30", title_vi="Phát biểu của Bộ Công an")
    roundtable = make_session(event, lotus, "09:00", "10:00", title_vi="Bàn tròn an toàn số")
    later = make_session(event, lotus, "11:00", "11:10", title_vi="Giải lao và chụp ảnh lưu niệm", format="break")
    services.publish_agenda(event=event, by=organizer)
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"{live_server.url}/e/{event.slug}/agenda/?view=grid")
    a, b, c, d = (_cell(page, s) for s in (opening, clash, roundtable, later))
    scroller = page.locator(".agenda-grid-scroll")

    assert a["x"] + a["width"] <= b["x"] <= c["x"] - b["width"]  # hall's two lanes, then the Lotus room
    assert abs(a["y"] - c["y"]) < 1 and b["y"] > a["y"] and d["y"] > c["y"] + c["height"]
    title = page.get_by_role("link", name="Giải lao và chụp ảnh lưu niệm").bounding_box()
    assert d["y"] <= title["y"] and title["y"] + title["height"] <= d["y"] + d["height"]  # a 10-minute session
    assert horizontal_overflow(page) <= 0
    if width == 360:  # the grid scrolls inside its own box, the page does not
        assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
