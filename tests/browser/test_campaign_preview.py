"""An organizer previews an e-mail before sending: it fits the window and the send button is a real button."""

import pytest

from events.campaigns import services
from events.enums import Category, ParticipantStatus
from tests.browser.support import VIEWPORTS, check_page
from tests.events.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_preview_fits_the_window_and_the_send_button_is_styled(live_server, page, event, organizer, width):
    page.set_viewport_size(VIEWPORTS[width])
    make_participant(event, full_name="Đỗ Thị Mai", category=Category.KOL, status=ParticipantStatus.APPROVED)
    make_participant(event, full_name="John Nguyen", language="en", status=ParticipantStatus.APPROVED)
    fields = {"subject_vi": "Thay đổi chương trình {event}", "body_vi": "Kính gửi {name},\nTrang: {personal_link}"}
    campaign = services.save_draft(event=event, fields=fields, filters={}, by=organizer)

    page.goto(f"{live_server.url}/admin/login/?next=/e/{event.slug}/orga/mail/{campaign.pk}/")
    page.fill("#id_username", "bantochuc")
    page.fill("#id_password", "pw-bantochuc")
    page.click("input[type=submit]")

    window = page.viewport_size["width"]
    previews = page.locator(".mail-preview pre")
    previews.first.wait_for()  # the sign-in redirects to the preview: count once it is there
    assert previews.count() == 2  # a Vietnamese reader and an English one, both reading Vietnamese
    for index in range(previews.count()):
        box = previews.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= window, box
        # The long opt-out address wraps inside the box instead of running past it.
        assert previews.nth(index).evaluate("pre => pre.scrollWidth <= pre.clientWidth") is True
        assert "Quý vị nhận thư này" in previews.nth(index).inner_text()
    send = page.get_by_role("button", name="Gửi cho 2 người nhận")
    button = send.bounding_box()
    assert button["height"] >= 44 and button["x"] + button["width"] <= window
    assert send.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 79, 138)"  # --brand
    check_page(page, f"campaign-preview-{width}")
