"""An organizer prints badges from the admin: a print job for a filter, its progress, its file."""

import pytest

from events.enums import Category, ParticipantStatus
from tests.events.factories import make_participant
from ticketing.models import Badge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_organizer_prints_a_category_as_a4_sheets(live_server, page, event, organizer, tmp_path):
    regulators = [
        make_participant(event, category=Category.REGULATOR, status=ParticipantStatus.APPROVED) for _ in range(5)
    ]
    make_participant(event, category=Category.KOL, status=ParticipantStatus.APPROVED)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "bantochuc")
    page.fill("#id_password", "pw-bantochuc")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/ticketing/printjob/add/")
    page.select_option("#id_event", str(event.pk))
    page.select_option("#id_category", Category.REGULATOR)
    page.select_option("#id_layout", "sheet")
    page.click("input[name=_save]")

    row = page.locator("#result_list tbody tr").first
    assert row.locator("progress").get_attribute("value") == "100"
    assert "5 / 5" in row.inner_text()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Tải xuống").click()
    saved = tmp_path / "print.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert Badge.objects.filter(printed_at__isnull=False).count() == len(regulators)


@pytest.mark.parametrize("width", [1280, 360])
def test_print_jobs_list_shows_status_progress_and_download_without_sideways_scroll(
    live_server, page, event, organizer, width
):
    from tests.browser.support import horizontal_overflow
    from ticketing.models import PrintJob

    for _ in range(3):
        make_participant(event, category=Category.REGULATOR, status=ParticipantStatus.APPROVED)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "bantochuc")
    page.fill("#id_password", "pw-bantochuc")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/ticketing/printjob/add/")
    page.select_option("#id_event", str(event.pk))
    page.select_option("#id_layout", "single")
    page.click("input[name=_save]")  # runs at once in the tests: a finished job with its file
    page.wait_for_url("**/admin/ticketing/printjob/")  # the save's redirect, before reloading it
    PrintJob.objects.create(event=event, layout="sheet", status="running", total=250, done=125)
    page.reload()

    assert horizontal_overflow(page) <= 0
    rows = page.locator("#result_list tbody tr")
    assert "125 / 250" in rows.nth(0).locator("td.field-progress").inner_text()
    download = rows.nth(1).get_by_role("link", name="Tải xuống")
    if width == 1280:  # the whole table fits beside the admin's menus: nothing hidden to the right
        table = page.locator("#changelist .results")
        assert table.evaluate("e => e.scrollWidth <= e.clientWidth") is True
        for cell in (rows.nth(0).locator("td.field-status"), rows.nth(0).locator("td.field-progress"), download):
            box = cell.bounding_box()
            assert box["x"] + box["width"] <= table.bounding_box()["x"] + table.bounding_box()["width"], box
    else:  # on a phone the table scrolls inside its own box; the status is in view
        box = rows.nth(0).locator("td.field-status").bounding_box()
        assert box["x"] + box["width"] <= width
    assert download.is_visible()
