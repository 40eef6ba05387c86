"""Journeys: each role's path through the product in a real Chromium, from where that person starts.

A journey starts at the front page, the staff sign-in address or a link in an
e-mail, and goes on only by clicking and typing what the person would, with
real credentials: no force_login, no address that no page or e-mail gives them.
Each runs at a phone's and a desktop's width (the `viewport` parameter), checks
every step with tests.browser.support.check_page (axe-core, no sideways
scrolling, a screenshot in .data/screenshots/) and asserts what the person sees.
"""

import pytest

from tests.browser.support import VIEWPORTS

pytestmark = [pytest.mark.browser, pytest.mark.journey]


@pytest.fixture(params=sorted(VIEWPORTS), ids=sorted(VIEWPORTS))
def viewport(request):
    return VIEWPORTS[request.param]


@pytest.fixture
def person(browser, viewport, live_server, settings):
    """A fresh browser window for one person (own cookies), at the journey's width, in Vietnamese."""
    settings.SITE_URL = live_server.url  # e-mailed links point at this live server
    contexts = []

    def open_window(locale="vi-VN"):
        context = browser.new_context(viewport=viewport, locale=locale, timezone_id="Asia/Ho_Chi_Minh")
        contexts.append(context)
        return context.new_page()

    yield open_window
    for context in contexts:
        context.close()
