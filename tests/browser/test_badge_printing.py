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
