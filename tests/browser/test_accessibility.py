"""WCAG checks in a real Chromium: axe-core on every public and attendee page, and layouts at 360 px.

axe-core comes from npm (static/vendor/axe-core/axe.min.js) and is injected from
disk, so the test browser never needs the network. Any serious or critical
finding fails; minor and moderate ones are printed for review.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from events.links import magic_link
from sessions import services as agenda_services
from tests.agenda.factories import make_room, make_session, make_speaker
from tests.browser.support import SCREENSHOTS, axe_violations, open_personal_link
from tests.events.conftest import make_declaration
from tests.events.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_control_a_page_with_known_faults_fails(page):
    """The check itself works: an unlabelled field, a page without lang and low contrast are all caught."""
    page.set_content(
        '<html><head><title>x</title></head><body><main><input type="text">'
        '<p style="color:#bbb;background:#fff">mờ</p></main></body></html>'
    )
    found = " ".join(axe_violations(page))
    assert "critical: label " in found
    assert "serious: html-has-lang " in found
    assert "serious: color-contrast " in found


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    page.context.add_cookies([cookie])


@pytest.fixture
def conference(event, organizer):
    """An event with a published agenda, a speaker, an approved attendee and an open declaration."""
    hall = make_room(event, "Hội trường Thống Nhất", capacity=800)
    speaker = make_speaker(event, "Phạm Minh Tuấn")
    make_session(event, hall, "09:00", "10:00", people=[speaker], title_vi="Khai mạc Hội nghị")
    make_session(event, hall, "10:30", "11:30", capacity=25, format="roundtable", title_vi="Bàn tròn an toàn số")
    agenda_services.publish_agenda(event=event, by=organizer)
    attendee = make_participant(event, full_name="Trần Thị Phương Thảo", status="approved")
    declaration = make_declaration(event)
    return {"attendee": attendee, "declaration": declaration}


def public_pages(event, conference):
    return {
        "event": f"/e/{event.slug}/",
        "register": f"/e/{event.slug}/register/kol/",
        "agenda": f"/e/{event.slug}/agenda/",
        "agenda_grid": f"/e/{event.slug}/agenda/?view=grid",
        "declaration": f"/e/{event.slug}/declarations/{conference['declaration'].slug}/",
    }


def test_public_pages_have_no_serious_axe_findings(page, live_server, event, conference):
    for name, path in public_pages(event, conference).items():
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], name


def test_registration_errors_are_tied_to_fields_and_pass_axe(page, live_server, event, conference):
    page.goto(f"{live_server.url}/e/{event.slug}/register/kol/")
    page.fill("#id_email", "khong-phai-email")
    page.click("#registration-form button[type=submit]")
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby").split()
    error_ids = [i for i in described if page.locator(f"#{i}.error").count()]
    assert error_ids, described
    assert page.locator(f"#{error_ids[0]}").inner_text() != ""
    assert page.locator("[role=alert]").count() >= 1
    assert axe_violations(page) == []


def test_attendee_pages_have_no_serious_axe_findings(page, live_server, event, conference):
    open_personal_link(page, live_server.url + urlsplit(magic_link(conference["attendee"])).path)
    assert page.url.endswith(f"/e/{event.slug}/me/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/")
    assert axe_violations(page) == []


def test_agenda_builder_has_no_serious_axe_findings(page, live_server, event, conference, organizer):
    sign_in(page, live_server, organizer)
    page.goto(f"{live_server.url}/e/{event.slug}/agenda/builder/")
    page.locator(".builder-session").first.wait_for()
    assert axe_violations(page) == []


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, event, conference):
    page.goto(f"{live_server.url}/e/{event.slug}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, getComputedStyle(document.activeElement).left]")
    assert focused[0] == "skip-link" and focused[1] != "-999px"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_pages_fit_360px_without_horizontal_scrolling(page, live_server, event, conference, organizer):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 740})
    pages = public_pages(event, conference)
    overflowing = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.screenshot(path=str(SCREENSHOTS / f"360-{name}.png"), full_page=True)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if width > 360:
            overflowing[name] = width
    open_personal_link(page, live_server.url + urlsplit(magic_link(conference["attendee"])).path)
    page.screenshot(path=str(SCREENSHOTS / "360-personal.png"), full_page=True)
    if (width := page.evaluate("() => document.scrollingElement.scrollWidth")) > 360:
        overflowing["personal"] = width
    assert overflowing == {}
    assert len(list(SCREENSHOTS.glob("360-*.png"))) >= len(pages) + 1


def test_scanner_page_passes_axe_and_fits_360px(page, live_server, event, conference, door_staff):
    """The door page in its three states: choosing the gate, scanning, and a verdict on screen."""
    from django.utils import timezone

    from ticketing import services as ticketing_services

    event.start_date = event.end_date = timezone.localdate()
    event.save()
    badge = ticketing_services.issue_badge(conference["attendee"])
    sign_in(page, live_server, door_staff)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/e/{event.slug}/checkin/")
    page.locator("#gate-form").wait_for()
    assert axe_violations(page) == [], "gate"

    page.fill("#gate-input", "Cổng A")
    page.click("#gate-form button[type=submit]")
    page.locator("#wedge").wait_for()
    assert axe_violations(page) == [], "scanning"
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 360

    page.fill("#wedge", badge.code)
    page.press("#wedge", "Enter")
    verdict = page.locator('#verdict[data-result="admitted"]')
    verdict.wait_for()
    # The verdict is not told by colour alone: a word and an icon say it too.
    assert page.locator(".verdict-label").inner_text().strip() != ""
    assert page.locator(".verdict-icon").inner_text() == "✓"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "360-scanner-verdict.png"))
    assert axe_violations(page) == [], "verdict"
