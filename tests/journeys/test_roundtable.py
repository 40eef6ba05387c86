"""The open roundtable from the hall: an attendee scans the wall's code, signs in by the link in her e-mail,
asks and votes from her phone; the moderator, signed in by his own e-mailed link, approves it and opens the wall.

Where the journey "scans the QR code" it opens the address the wall prints under it.
"""

import re

import pytest

from events.enums import ParticipantStatus
from events.services import send_personal_link
from sessions import services
from sessions.enums import PersonRole
from sessions.models import Question, SessionPerson
from tests.agenda.factories import make_room, make_session
from tests.browser.support import check_page, link_in_mail, open_personal_link
from tests.events.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+?/me/login/[^/\s]+/")
LIVE = 5000


@pytest.fixture
def roundtable(event, organizer):
    room = make_room(event, "Hội trường Thống Nhất", capacity=800)
    session = make_session(event, room, "10:00", "11:30", format="roundtable", title_vi="Bàn tròn mở: KOL và pháp luật")
    services.publish_agenda(event=event, by=organizer)
    return session


def test_attendee_scans_the_wall_asks_and_the_moderator_puts_it_on_the_wall(
    person, live_server, event, roundtable, mailoutbox
):
    moderator = make_participant(
        event, full_name="Đỗ Quang Minh", email="minh.do@example.vn", status=ParticipantStatus.APPROVED
    )
    SessionPerson.objects.create(session=roundtable, participant=moderator, role=PersonRole.MODERATOR)
    make_participant(
        event, full_name="Trần Thị Phương Thảo", email="thao.tran@example.vn", status=ParticipantStatus.APPROVED
    )

    # The moderator opens the link the organizers e-mailed him, then his session from the agenda.
    send_personal_link(event=event, email="minh.do@example.vn")
    desk = person()
    open_personal_link(desk, link_in_mail(mailoutbox, to="minh.do@example.vn", pattern=LINK.pattern))
    desk.get_by_role("link", name="Xem chương trình").click()
    desk.get_by_role("link", name="Bàn tròn mở: KOL và pháp luật").first.click()
    desk.get_by_role("link", name="Câu hỏi từ hội trường, thăm dò và góp ý").click()
    desk.get_by_role("link", name="Điều phối phiên này").click()
    check_page(desk, "journey-roundtable-moderator")
    with desk.expect_popup() as opened:  # a new tab, dragged to the projector's screen
        desk.get_by_role("link", name="Mở màn hình chiếu").click()
    wall = opened.value
    wall.wait_for_load_state()
    check_page(wall, "journey-roundtable-wall")
    floor_address = wall.locator(".wall-url").inner_text()

    # In the hall: her phone scans the code, she asks for her link, opens it from her e-mail.
    phone = person()
    phone.goto(floor_address)
    phone.get_by_role("link", name="Mở liên kết trang cá nhân để đặt câu hỏi và bình chọn").click()
    phone.get_by_label("Email").fill("thao.tran@example.vn")
    phone.get_by_role("button", name="Gửi đường dẫn cho tôi").click()
    open_personal_link(phone, link_in_mail(mailoutbox, to="thao.tran@example.vn", pattern=LINK.pattern))
    phone.goto(floor_address)  # scans the code again, now signed in
    check_page(phone, "journey-roundtable-phone")
    phone.get_by_label("Câu hỏi của bạn").fill("Nền tảng có phải gỡ nội dung sai trong 24 giờ không?")
    phone.get_by_label(re.compile("Hiện tên tôi")).check()
    phone.get_by_role("button", name="Gửi câu hỏi").click()
    phone.get_by_text("Câu hỏi của bạn đang chờ người điều phối").wait_for(timeout=LIVE)

    desk.bring_to_front()
    desk.locator("[data-live]").get_by_role("button", name="Duyệt").click(timeout=LIVE)
    on_wall = wall.locator(".wall-questions li", has_text="Nền tảng có phải gỡ nội dung sai")
    on_wall.wait_for(timeout=LIVE)
    assert "Trần Thị Phương Thảo" in on_wall.inner_text()  # she chose to show her name
    phone.locator(".floor-questions li", has_text="gỡ nội dung sai").get_by_role("button", name="Bình chọn").click(
        timeout=LIVE
    )
    on_wall.get_by_text("1 lượt bình chọn").wait_for(timeout=LIVE)
    check_page(wall, "journey-roundtable-wall-question")
    assert Question.objects.get().votes == 1
