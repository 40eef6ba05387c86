"""An attendee finds the agenda from the front page: the grid, a speaker's page, a session into their calendar."""

from pathlib import Path

import pytest

from sessions import services
from tests.agenda.factories import make_room, make_session, make_speaker
from tests.browser.support import check_page

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_agenda(event, organizer):
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    lotus = make_room(event, "Phòng bàn tròn Sen", capacity=40, position=1)
    speaker = make_speaker(event, "Phạm Minh Tuấn", title="Phó Chủ tịch")
    moderator = make_speaker(event, "Nguyễn Thu Hà", organization="Đài Truyền hình Việt Nam")
    make_session(event, hall, "08:30", "09:00", title_vi="Khai mạc Hội nghị", format="keynote", people=[moderator])
    make_session(event, hall, "09:00", "10:30", title_vi="Trách nhiệm pháp lý của KOL", people=[speaker, moderator])
    make_session(event, lotus, "09:00", "10:00", title_vi="Bàn tròn: bảo vệ trẻ em trên mạng", format="roundtable")
    make_session(event, hall, "10:30", "10:45", title_vi="Giải lao", format="break")
    make_session(event, hall, "09:00", "10:00", day=1, title_vi="Công bố Liên minh KOL Việt Nam", people=[speaker])
    services.publish_agenda(event=event, by=organizer)
    return event


def test_attendee_browses_grid_speaker_and_adds_a_session_to_their_calendar(
    person, live_server, published_agenda, viewport
):
    event = published_agenda
    page = person()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=event.name_vi).click()
    page.get_by_role("link", name="Chương trình", exact=True).click()
    page.get_by_role("heading", name="Chương trình").wait_for()
    check_page(page, "agenda-list")

    page.get_by_role("link", name="Lưới phòng × giờ").click()
    grid = page.get_by_role("region", name="Phòng × giờ, Thứ 7 14/8")
    grid.wait_for()
    assert grid.get_by_text("Hội trường Thống Nhất", exact=True).is_visible()
    check_page(page, "agenda-grid")

    grid.get_by_role("link", name="Trách nhiệm pháp lý của KOL").click()
    page.get_by_role("heading", name="Trách nhiệm pháp lý của KOL").wait_for()
    check_page(page, "agenda-session")

    page.get_by_role("link", name="Phạm Minh Tuấn").click()
    page.get_by_role("heading", name="Phạm Minh Tuấn").wait_for()
    sessions = page.locator(".agenda-person-sessions li")
    assert sessions.all_inner_texts()[0].startswith("Thứ 7 14/8 · 09:00–10:30 · Hội trường Thống Nhất")
    assert sessions.count() == 2
    check_page(page, "agenda-speaker")

    page.get_by_role("link", name="Công bố Liên minh KOL Việt Nam").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Thêm vào lịch của tôi (.ics)").click()
    calendar = Path(download.value.path()).read_bytes().decode().replace("\r\n ", "")
    assert "SUMMARY:Công bố Liên minh KOL Việt Nam" in calendar
    assert "Diễn giả: Phạm Minh Tuấn" in calendar
    assert calendar.count("BEGIN:VEVENT") == 1
