"""The roundtable live in real Chromium: two phones, the moderator's phone and the wall, all at once.

Nobody reloads: each page redraws itself from its live/ address (sessions/floor/views.py).
"""

from urllib.parse import urlsplit

import pytest

from events.enums import ParticipantStatus
from events.links import magic_link
from sessions import services
from sessions.enums import PersonRole
from sessions.models import Question, SessionPerson
from tests.agenda.factories import make_room, make_session
from tests.browser.support import VIEWPORTS, check_page, open_personal_link
from tests.events.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = 5000  # ms: a change must show well within this without any reload (the poll is 700 ms)


@pytest.fixture
def roundtable(event, organizer):
    room = make_room(event, "Hội trường Thống Nhất", capacity=800)
    session = make_session(
        event,
        room,
        "10:00",
        "11:30",
        format="roundtable",
        title_vi="Bàn tròn mở: KOL và pháp luật",
        title_en="Open roundtable: KOLs and the law",
    )
    services.publish_agenda(event=event, by=organizer)
    return session


def _phone(browser, live_server, participant, session):
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="vi-VN")
    page = context.new_page()
    open_personal_link(page, live_server.url + urlsplit(magic_link(participant)).path)
    page.goto(f"{live_server.url}/e/{session.event.slug}/agenda/s/{session.pk}/")
    page.get_by_role("link", name="Câu hỏi từ hội trường, thăm dò và góp ý").click()
    return page


def test_question_sent_approved_voted_and_shown_on_the_wall_live(browser, live_server, event, roundtable):
    asker = make_participant(event, full_name="Trần Thị Phương Thảo", status=ParticipantStatus.APPROVED)
    voter = make_participant(event, full_name="Lê Văn Hùng", status=ParticipantStatus.APPROVED)
    moderator = make_participant(event, full_name="Đỗ Quang Minh", status=ParticipantStatus.APPROVED)
    SessionPerson.objects.create(session=roundtable, participant=moderator, role=PersonRole.MODERATOR)

    phone_a = _phone(browser, live_server, asker, roundtable)
    phone_b = _phone(browser, live_server, voter, roundtable)
    desk = _phone(browser, live_server, moderator, roundtable)
    desk.get_by_role("link", name="Điều phối phiên này").click()
    wall_href = desk.get_by_role("link", name="Mở màn hình chiếu").get_attribute("href")
    wall = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN").new_page()
    wall.goto(live_server.url + wall_href)
    check_page(wall, "roundtable-wall-empty")

    phone_a.get_by_label("Câu hỏi của bạn").fill("KOL quảng cáo sai thì <b>ai</b> chịu trách nhiệm?")
    phone_a.get_by_role("button", name="Gửi câu hỏi").click()
    phone_a.get_by_text("Đã gửi. Người điều phối sẽ đưa câu hỏi ra hội trường.").wait_for()
    check_page(phone_a, "roundtable-phone-sent")

    queue = desk.locator("[data-live]")
    queue.get_by_text("KOL quảng cáo sai thì <b>ai</b> chịu trách nhiệm?").wait_for(timeout=LIVE)
    assert "Trần Thị Phương Thảo" in queue.inner_text()  # the moderator knows who asked
    check_page(desk, "roundtable-moderator-queue")
    queue.get_by_role("button", name="Duyệt").click()
    queue.get_by_role("button", name="Ghim (trả lời ngay)").wait_for(timeout=LIVE)  # now shown to the room

    question_on_b = phone_b.locator(".floor-questions li", has_text="ai</b> chịu trách nhiệm?")
    question_on_b.wait_for(timeout=LIVE)
    question_on_b.get_by_role("button", name="Bình chọn").click()
    phone_b.get_by_role("button", name="Đã bình chọn ✓ (rút lại)").wait_for(timeout=LIVE)
    check_page(phone_b, "roundtable-phone-voted")

    on_wall = wall.locator(".wall-questions li", has_text="ai</b> chịu trách nhiệm?")
    on_wall.locator(".wall-votes", has_text="1 lượt bình chọn").wait_for(timeout=LIVE)
    assert "Một đại biểu" in on_wall.inner_text()  # she did not choose to show her name
    check_page(wall, "roundtable-wall-question")
    assert Question.objects.get().votes == 1


def test_moderator_runs_a_poll_the_wall_shows_results_live(browser, live_server, event, roundtable, organizer):
    attendee = make_participant(event, full_name="Vũ Thị Lan", status=ParticipantStatus.APPROVED)
    moderator = make_participant(event, full_name="Đỗ Quang Minh", status=ParticipantStatus.APPROVED)
    SessionPerson.objects.create(session=roundtable, participant=moderator, role=PersonRole.MODERATOR)
    phone = _phone(browser, live_server, attendee, roundtable)
    desk = _phone(browser, live_server, moderator, roundtable)
    desk.get_by_role("link", name="Điều phối phiên này").click()
    # The projector's browser is English here: the wall speaks its viewer's language.
    wall = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US").new_page()
    wall.goto(live_server.url + desk.get_by_role("link", name="Mở màn hình chiếu").get_attribute("href"))

    desk.get_by_label("Câu hỏi thăm dò").fill("Có nên cấp phép cho KOL?")
    desk.get_by_label("Các phương án, mỗi dòng một phương án (2 đến 8)").fill("Có\nKhông\nChưa rõ")
    desk.get_by_role("button", name="Lưu thăm dò").click()
    desk.get_by_role("button", name="Mở thăm dò").click(timeout=LIVE)
    phone.get_by_label("Có", exact=True).check(timeout=LIVE)
    phone.get_by_role("button", name="Trả lời").click()

    poll_on_wall = wall.locator(".wall-poll", has_text="Poll: Có nên cấp phép cho KOL?")
    poll_on_wall.get_by_text("100% (1)").wait_for(timeout=LIVE)
    assert "1 answer" in poll_on_wall.inner_text()
    check_page(wall, "roundtable-wall-poll")
    check_page(desk, "roundtable-moderator-poll")
