"""A badge desk prints for real: CUPS with the cups-pdf virtual printer, a badge scanned at a desk gate on the
scanner page, and the printed PDF found in cups-pdf's output folder with the person's name and a QR code that
decodes to their current badge code.

Printing is server-side (ticketing.services.desk explains why): the scan's print job runs `lp` on the CUPS
queue of the desk. The test starts cupsd and adds the cups-pdf printer when they are missing; without CUPS it
skips, except in CI (CI=true), where run.sh installs cups, cups-pdf and poppler-utils (TEST_PACKAGES).
"""

import glob
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from events.enums import Category, ParticipantStatus
from events.models import Participant
from tests.events.factories import make_participant
from tests.ticketing.conftest import decoded_codes
from ticketing import services
from ticketing.models import CheckIn, DeskPrint

from .test_door_scanner import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = "Bàn in thẻ 1"
PRINTER = "PDF"
VERDICT = "#verdict"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _cups_unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must print for real: {reason} (run.sh's TEST_PACKAGES installs cups and cups-pdf)")
    pytest.skip(reason)


def _scheduler_running():
    done = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    return "is running" in done.stdout and "not" not in done.stdout


def _output_folder():
    """Where cups-pdf writes: its configuration's Out, ${HOME} being the job owner's home (ours)."""
    out = "${HOME}/PDF"
    for line in Path("/etc/cups/cups-pdf.conf").read_text().splitlines():
        if line.strip().startswith("Out "):
            out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", str(Path.home())))


@pytest.fixture(scope="module")
def cups_pdf():
    """A running CUPS with the cups-pdf printer PDF; the folder its PDFs land in."""
    if not (shutil.which("lp") and shutil.which("lpadmin") and Path("/etc/cups/cups-pdf.conf").exists()):
        _cups_unavailable("CUPS or cups-pdf is not installed")
    if not _scheduler_running():
        if os.geteuid() != 0:
            _cups_unavailable("cupsd is not running and only root may start it")
        subprocess.run(["cupsd"], check=True)
        for _attempt in range(50):
            if _scheduler_running():
                break
            time.sleep(0.1)
    if subprocess.run(["lpstat", "-p", PRINTER], capture_output=True, check=False).returncode != 0:
        ppd = glob.glob("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd") or glob.glob("/usr/share/ppd/cups-pdf/*.ppd")
        if not ppd:
            _cups_unavailable("cups-pdf's PPD is not installed")
        subprocess.run(["lpadmin", "-p", PRINTER, "-v", "cups-pdf:/", "-E", "-P", ppd[0]], check=True,
                       capture_output=True)  # fmt: skip
        subprocess.run(["lpoptions", "-d", PRINTER], check=True, capture_output=True)
    return _output_folder()


def wait_for_pdf(folder, pattern, before, timeout=30):
    """A PDF cups-pdf wrote since `before` (the folder's files then) whose name matches the job title."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [path for path in folder.glob("*.pdf") if re.search(pattern, path.name) and path not in before]
        # cups-pdf writes the file in place: wait until pdfinfo can read it whole.
        for path in found:
            if subprocess.run(["pdfinfo", str(path)], capture_output=True, check=False).returncode == 0:
                return path
        time.sleep(0.2)
    raise AssertionError(f"no PDF matching {pattern} in {folder}: {sorted(p.name for p in folder.glob('*'))}")


def page_images(path, folder):
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(path), str(folder / "page")], check=True)
    return [Image.open(image).convert("L") for image in sorted(folder.glob("page-*.png"))]


def open_desk(page, live_server, event):
    page.goto(f"{live_server.url}/e/{event.slug}/checkin/")
    page.fill("#gate-input", DESK)
    page.select_option("#gate-kind", "desk-admit")
    page.click("#gate-form button[type=submit]")


def scan(page, code):
    page.locator("#wedge").fill(code)
    page.locator("#wedge").press("Enter")


def test_a_badge_scanned_at_a_desk_is_admitted_and_printed_on_the_cups_printer(
    page, live_server, open_event, door_staff, cups_pdf, settings, tmp_path
):
    settings.BADGE_DESK_PRINTERS = {DESK: PRINTER}
    person = make_participant(
        open_event,
        full_name="Võ Thị Ngọc Hân",
        organization="Kênh Du lịch Việt",
        category=Category.KOL,
        status=ParticipantStatus.APPROVED,
    )
    badge = services.issue_badge(person)
    sign_in(page.context, live_server, door_staff)
    open_desk(page, live_server, open_event)
    before = set(cups_pdf.glob("*.pdf"))  # the folder outlives test runs, whose ids start again at 1

    scan(page, badge.code)

    page.wait_for_selector(f'{VERDICT}[data-result="admitted"]')
    assert page.locator(".verdict-print").inner_text() == "Đã gửi thẻ tới máy in."
    printed = DeskPrint.objects.get()
    pdf = wait_for_pdf(cups_pdf, rf"badge-{person.pk}-v1-{printed.pk}", before)
    # cups-pdf's Ghostscript turns the badge's text into outlines (CID TrueType fonts through CUPS's
    # PostScript filters, even at PDFVer 1.5), so pdftotext reads the name from the PDF the server sent to
    # this print job (its title names the participant and the print); the QR code is decoded from the
    # printed page itself.
    source = services.badge_pdf_path(badge)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True).stdout
    assert "Võ Thị Ngọc Hân" in text.decode()
    (image,) = page_images(pdf, tmp_path / "printed")
    assert decoded_codes(image) == [badge.code]
    assert CheckIn.objects.get().gate == DESK
    printed.refresh_from_db()
    assert (printed.state, printed.printer) == ("sent", PRINTER)

    # The same badge again: the desk asks why before printing a second one.
    page.wait_for_selector(VERDICT, state="hidden")
    scan(page, badge.code)
    page.wait_for_selector("#reprint-form", state="visible")
    page.fill("#reprint-reason", "Khách làm mất thẻ")
    page.click("#reprint-form button[type=submit]")
    page.wait_for_selector(f'{VERDICT}[data-result="already_checked_in"]')
    reprint = DeskPrint.objects.latest("pk")
    assert reprint.reason == "Khách làm mất thẻ"
    wait_for_pdf(cups_pdf, rf"badge-{person.pk}-v1-{reprint.pk}", before | {pdf})


def test_a_walk_in_is_registered_with_their_consent_admitted_and_printed_at_the_desk(
    page, live_server, open_event, organizer, cups_pdf, settings, tmp_path
):
    settings.BADGE_DESK_PRINTERS = {DESK: PRINTER}
    sign_in(page.context, live_server, organizer)
    open_desk(page, live_server, open_event)
    before = set(cups_pdf.glob("*.pdf"))

    page.click("#walk-in summary")
    page.fill("#walk-in-name", "Đặng Thùy Linh")
    page.fill("#walk-in-email", "linh.dang@example.vn")
    page.fill("#walk-in-organization", "Báo Tuổi Trẻ")
    page.select_option("#walk-in-category", "kol")
    page.click("#walk-in-form button[type=submit]")
    # The browser refuses the form until the person's consent to participation is ticked.
    assert Participant.objects.count() == 0
    page.check("input[name=consent_participation]")
    page.click("#walk-in-form button[type=submit]")

    page.wait_for_selector(f'{VERDICT}[data-result="admitted"]')
    person = Participant.objects.get(email="linh.dang@example.vn")
    assert (person.status, person.decided_by) == (ParticipantStatus.APPROVED, organizer)
    assert list(person.consents.values_list("purpose", flat=True)) == ["participation"]
    printed = DeskPrint.objects.get(participant=person)
    pdf = wait_for_pdf(cups_pdf, rf"badge-{person.pk}-v1-{printed.pk}", before)
    (image,) = page_images(pdf, tmp_path / "printed")
    assert decoded_codes(image) == [person.badge.code]
