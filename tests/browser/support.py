"""What every browser test and journey shares: axe-core, layout checks, screenshots, e-mailed links.

axe-core comes from npm (static/vendor/axe-core/axe.min.js) and is loaded from the
site's own static files, so the browser never needs the network and the Content
Security Policy (no inline script) holds. Serious and critical findings fail.
"""

import re
from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
SCREENSHOTS = Path(settings.BASE_DIR) / ".data" / "screenshots"
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


def axe_violations(page):
    """Run axe-core on the page as it is now; the violations with impact serious or critical."""
    if page.url.startswith("http"):
        origin = "/".join(page.url.split("/")[:3])
        page.add_script_tag(url=f"{origin}{settings.STATIC_URL}vendor/axe-core/axe.min.js")
    else:  # a page written straight into the browser (the control test)
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    found = [
        f"{v['impact']}: {v['id']} {v['help']} @ {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]
    ]
    for line in found:
        print(page.url, line)
    return [line for line, v in zip(found, result["violations"], strict=True) if v["impact"] in BLOCKING]


def horizontal_overflow(page):
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")


def screenshot(page, name):
    """Save a full-page screenshot under .data/screenshots/ (journeys name theirs journey-step-width)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page, name):
    """One step of a journey as a person sees it: axe-clean, nothing scrolls sideways, a screenshot kept.

    Returns the screenshot's path; raises AssertionError naming the step otherwise.
    """
    width = page.viewport_size["width"]
    path = screenshot(page, f"{name}-{width}")
    assert axe_violations(page) == [], name
    assert horizontal_overflow(page) <= 0, f"{name}: {horizontal_overflow(page)} px sideways at {width} px"
    return path


def link_in_mail(mailoutbox, *, to, pattern, subject=""):
    """The first address matching `pattern` in the newest e-mail sent to `to`, as the person would click it.

    With `subject`, the newest of those whose subject contains it (the person picks that e-mail
    among several that arrived together). Reads the plain-text body the recipient gets (the
    locmem backend keeps the real message).
    """
    messages = [message for message in mailoutbox if to in message.to and subject in message.subject]
    assert messages, f"no e-mail to {to}; sent: {[m.to for m in mailoutbox]}"
    body = messages[-1].body
    match = re.search(pattern, body)
    assert match, f"no link matching {pattern!r} in the e-mail to {to}:\n{body}"
    return match.group(0)


def open_personal_link(page, url):
    """Open a personal link as its owner does: the link's page, then its "open my personal page" button.

    The link is spent by the button (a POST), so mail scanners that fetch links do not use it up.
    """
    page.goto(url)
    page.locator("#open-personal-page").click()
    page.wait_for_load_state()
