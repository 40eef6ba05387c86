"""The organizers' dashboard in Chromium: every figure drawn by Chart.js from the JSON, accessible."""

import pytest

from tests.browser.support import axe_violations
from tests.browser.test_accessibility import sign_in
from tests.events.test_dashboard import build_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_draws_a_chart_per_figure(page, live_server, event, organizer):
    build_event(event, organizer)
    sign_in(page, live_server, organizer)
    page.goto(f"{live_server.url}/e/{event.slug}/dashboard/")
    page.locator("#dashboard[data-ready=true]").wait_for()

    charts = page.evaluate(
        """() => [...document.querySelectorAll('#dashboard canvas')].map((canvas) => {
             const chart = Chart.getChart(canvas);
             return [canvas.closest('[data-figure]').dataset.figure, chart.config.type,
                     chart.data.datasets.map((d) => d.data), canvas.width > 0 && canvas.height > 0];
           })"""
    )
    keys = [key for key, *_rest in charts]
    assert keys == ["registrations", "approvals", "signatures", "tickets", "badges", "arrivals"]
    assert charts[3] == ["tickets", "bar", [[42, 50], [100, 50]], True]
    assert charts[5] == ["arrivals", "line", [[2]], True]
    tickets = page.locator("[data-figure=tickets]")
    assert tickets.get_by_role("heading").inner_text() == "Thẻ đã bán so với sức chứa"
    assert tickets.get_by_role("link", name="Tải CSV").get_attribute("href") == f"/e/{event.slug}/dashboard/tickets.csv"
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    # Chart.js resizes its canvases from a ResizeObserver, a frame or two after the viewport changes.
    page.wait_for_function("() => document.scrollingElement.scrollWidth <= 360", timeout=5000)
