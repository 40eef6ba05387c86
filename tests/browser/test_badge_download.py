"""An approved participant opens their magic link, sees the badge panel and downloads their badge."""

import pytest

from events import links
from events.enums import ParticipantStatus
from tests.browser.support import open_personal_link
from tests.events.factories import make_participant
from ticketing import codes
from ticketing.models import Badge, EventKey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_participant_downloads_own_badge_from_the_personal_page(live_server, page, event, settings, tmp_path):
    settings.SITE_URL = live_server.url
    participant = make_participant(event, full_name="Trần Thị Phương Thảo", status=ParticipantStatus.APPROVED)

    open_personal_link(page, links.magic_link(participant))
    panel = page.locator(".badge-panel")
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Tải thẻ đại biểu (PDF)").click()
    saved = tmp_path / "badge.pdf"
    download_info.value.save_as(saved)

    badge = Badge.objects.get(participant=participant)
    assert panel.locator(".badge-code").text_content() == badge.code
    assert saved.read_bytes().startswith(b"%PDF-")
    key = EventKey.objects.get(event=event)
    assert codes.verify_code(bytes(key.public_key), badge.code).participant_id == participant.pk


def test_pending_participant_sees_no_badge_panel(live_server, page, event, settings):
    settings.SITE_URL = live_server.url
    participant = make_participant(event, status=ParticipantStatus.PENDING)

    open_personal_link(page, links.magic_link(participant))

    assert page.locator("h1").inner_text() == f"Xin chào, {participant.full_name}"
    assert page.locator(".badge-panel").count() == 0
