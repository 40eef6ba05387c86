"""The organizer drags a session into a clashing slot, sees the warning, and moves it to a free one."""

import pytest
from django.test import Client

from sessions.models import ConflictOverride, Session
from tests.agenda.factories import at, make_room, make_session
from tests.browser.support import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PX_PER_MINUTE = 1.5  # static/agenda/builder.js
DAY_START = 7 * 60


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _drag(page, session, room, minutes):
    """Drag a session block by its top edge to `room`'s column at local time `minutes` after midnight."""
    # Centred first, so a target a few hours below it is still inside the window (the organizer nav
    # sits above the grid); a person would scroll the same way.
    dragged = page.locator(f'.builder-session[data-session-id="{session.pk}"]')
    dragged.evaluate("el => el.scrollIntoView({block: 'center'})")
    block = dragged.bounding_box()
    column = page.locator(f'.builder-column[data-room-id="{room.pk}"]').bounding_box()
    grab_x, grab_y = block["x"] + 20, block["y"] + 6
    page.mouse.move(grab_x, grab_y)
    page.mouse.down()
    page.mouse.move(column["x"] + 30, column["y"] + (minutes - DAY_START) * PX_PER_MINUTE + 6, steps=12)
    page.mouse.up()


def test_builder_drag_into_clash_warns_then_free_slot_saves(page, live_server, event, organizer):
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    lotus = make_room(event, "Phòng bàn tròn Sen", capacity=40, position=1)
    keynote = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc Hội nghị")
    roundtable = make_session(event, lotus, "09:00", "10:00", title_vi="Bàn tròn an toàn số")
    _sign_in(page, live_server, organizer)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/builder/")
    page.locator(f'.builder-session[data-session-id="{keynote.pk}"]').wait_for()

    _drag(page, roundtable, hall, 9 * 60 + 30)

    warning = page.locator("#builder-conflicts")
    warning.wait_for(state="visible")
    assert page.locator('#builder-conflict-list li[data-code="room_double_booked"]').count() == 1
    assert "Khai mạc Hội nghị" in warning.inner_text()
    roundtable.refresh_from_db()
    assert roundtable.room_id == lotus.pk  # nothing saved while the conflict stands

    _drag(page, roundtable, hall, 11 * 60)

    page.locator("#builder-status", has_text="Đã lưu").wait_for()
    assert warning.is_hidden()
    roundtable.refresh_from_db()
    assert (roundtable.room_id, roundtable.starts_at, roundtable.ends_at) == (
        hall.pk,
        at(event, "11:00"),
        at(event, "12:00"),
    )
    assert ConflictOverride.objects.count() == 0
    assert Session.objects.get(pk=keynote.pk).starts_at == at(event, "09:00")


def test_builder_save_anyway_records_override(page, live_server, event, organizer):
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    lotus = make_room(event, "Phòng bàn tròn Sen", capacity=40, position=1)
    make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc Hội nghị")
    roundtable = make_session(event, lotus, "09:00", "10:00", title_vi="Bàn tròn an toàn số")
    _sign_in(page, live_server, organizer)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/builder/")
    page.locator(f'.builder-session[data-session-id="{roundtable.pk}"]').wait_for()

    _drag(page, roundtable, hall, 9 * 60)
    page.locator("#builder-override").click()

    page.locator(f'.builder-session.has-conflict[data-session-id="{roundtable.pk}"]').wait_for()
    assert page.locator('#builder-draft-conflict-list li[data-code="room_double_booked"]').count() == 2
    record = ConflictOverride.objects.get()
    assert (record.session_id, record.by_id, [c["code"] for c in record.conflicts]) == (
        roundtable.pk,
        organizer.pk,
        ["room_double_booked"],
    )


def test_builder_create_session_with_speaker_and_publish(page, live_server, event, organizer):
    from sessions.models import Publication
    from tests.agenda.factories import make_speaker

    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    speaker = make_speaker(event, "Phạm Minh Tuấn")
    _sign_in(page, live_server, organizer)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/builder/")
    column = page.locator(f'.builder-column[data-room-id="{hall.pk}"]')
    column.wait_for()

    column.dblclick(position={"x": 30, "y": (14 * 60 - DAY_START) * PX_PER_MINUTE})
    page.fill("#f-title_vi", "Công bố thành lập Liên minh KOL Việt Nam")
    page.fill("#f-title_en", "Founding of the Vietnam KOL Alliance")
    page.click("#f-add-person")
    page.select_option("#f-people select[name=person]", str(speaker.pk))
    page.select_option("#f-people select[name=role]", "moderator")
    page.click("#builder-form button[value=save]")
    page.locator(".builder-session", has_text="Công bố thành lập").wait_for()
    page.click("#builder-publish")
    page.locator("#builder-publish-dialog").get_by_role("button", name="Công bố ngay").click()
    page.locator("#builder-status", has_text="Đã công bố phiên bản 1.").wait_for()

    session = Session.objects.get()
    assert (session.room_id, session.starts_at, session.ends_at) == (hall.pk, at(event, "14:00"), at(event, "15:00"))
    assert list(session.people.values_list("participant_id", "role")) == [(speaker.pk, "moderator")]
    assert [entry["kind"] for entry in Publication.objects.get().changelog] == ["added"]


def _open_builder(page, live_server, event, organizer, session):
    _sign_in(page, live_server, organizer)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/builder/")
    page.locator(f'.builder-session[data-session-id="{session.pk}"]').wait_for()


def _box(page, session):
    return page.locator(f'.builder-session[data-session-id="{session.pk}"]').bounding_box()


def test_builder_sessions_overlapping_in_one_room_stand_side_by_side(page, live_server, event, organizer):
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    first = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc Hội nghị")
    second = make_session(event, hall, "09:30", "10:30", title_vi="Phát biểu của Bộ Công an")
    later = make_session(event, hall, "11:00", "12:00", title_vi="Tin giả và KOL")
    _open_builder(page, live_server, event, organizer, first)
    # In the window: elementFromPoint below answers only there (the organizer nav sits above the grid).
    centre = "el => el.scrollIntoView({block: 'center'})"
    page.locator(f'.builder-session[data-session-id="{first.pk}"]').evaluate(centre)

    screenshot(page, "builder-overlap")
    a, b, alone = _box(page, first), _box(page, second), _box(page, later)
    column = page.locator(f'.builder-column[data-room-id="{hall.pk}"]').bounding_box()

    assert a["x"] + a["width"] <= b["x"]  # side by side, not on top of each other
    assert column["x"] <= a["x"] and b["x"] + b["width"] <= column["x"] + column["width"]
    assert alone["width"] > 1.8 * a["width"]  # a session overlapping nothing keeps the room's width
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.builder-session').dataset.sessionId",
        [a["x"] + a["width"] / 2, a["y"] + a["height"] - 10],  # where the two overlap in time
    )
    assert on_top == str(first.pk)  # the earlier session is not covered by the later one


def test_builder_short_session_keeps_its_title_inside_the_block(page, live_server, event, organizer):
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    title = "Giải lao và chụp ảnh lưu niệm cùng các đại biểu"
    short = make_session(event, hall, "10:00", "10:15", title_vi=title, format="break")
    normal = make_session(event, hall, "11:00", "12:00", title_vi="Tin giả và KOL")
    _open_builder(page, live_server, event, organizer, short)

    block = page.locator(f'.builder-session[data-session-id="{short.pk}"]')
    screenshot(page, "builder-short-session")
    box, words = block.bounding_box(), block.locator("strong").bounding_box()
    size = lambda locator: float(locator.evaluate("e => getComputedStyle(e).fontSize")[:-2])  # noqa: E731

    assert box["y"] <= words["y"] and words["y"] + words["height"] <= box["y"] + box["height"] + 0.5
    assert words["height"] > 8  # a line of text, not a sliver
    assert size(block) < size(page.locator(f'.builder-session[data-session-id="{normal.pk}"]'))
    assert block.get_attribute("title").split("\n")[:2] == [title, "10:00–10:15"]


def test_builder_day_tabs_read_weekday_and_date(page, live_server, event, organizer):
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    session = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc Hội nghị")
    _open_builder(page, live_server, event, organizer, session)

    assert page.locator("#builder-days button").all_inner_texts() == ["Thứ 7 14/8", "Chủ nhật 15/8"]


def test_builder_publish_asks_first_and_lists_the_drafts_conflicts(page, live_server, event, organizer):
    from sessions import services
    from sessions.models import Publication

    hall = make_room(event, "Hội trường Thống Nhất", capacity=800, position=0)
    first = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc Hội nghị")
    second = make_session(event, hall, "11:00", "12:00", title_vi="Bàn tròn an toàn số")
    services.update_session(
        session=second,
        changes={"starts_at": at(event, "09:30"), "ends_at": at(event, "10:30")},
        by=organizer,
        override=True,
    )
    _open_builder(page, live_server, event, organizer, first)
    dialog = page.locator("#builder-publish-dialog")

    page.click("#builder-publish")
    dialog.wait_for(state="visible")
    listed = dialog.locator("#builder-publish-conflicts li").all_inner_texts()
    assert "Bản nháp vẫn còn 2 xung đột:" in dialog.inner_text()
    assert len(listed) == 2 and listed[0].startswith("Thứ 7 14/8 09:00 Khai mạc Hội nghị: ")
    assert axe_violations(page) == []
    dialog.get_by_role("button", name="Để sau").click()
    dialog.wait_for(state="hidden")
    assert Publication.objects.count() == 0

    page.click("#builder-publish")
    dialog.get_by_role("button", name="Công bố ngay").click()
    page.locator("#builder-status", has_text="Đã công bố phiên bản 1.").wait_for()
    assert Publication.objects.count() == 1
