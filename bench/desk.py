"""Badge desk: scan to printed badge on the cups-pdf printer, and the server's cost per print (issue #18).

For each of PRINTS badge holders, one after another as a queue at one desk: `desk.desk_scan` (admit and
print, as the API calls it), then the print job's work (`desk.send_desk_print`: render the badge PDF,
hand it to CUPS with `lp`) run here rather than in the job worker (one untimed print first warms
WeasyPrint), then wait until cups-pdf's PDF of that
job is complete in its output folder (pdfinfo reads it). Rows: the server's cost per print (desk_scan +
send_desk_print), scan to printed badge (target p99 < 3 s: a person at a desk takes about 18 s), and an
invariant: prints that did not reach the printer (= 0). Online only: printing offline (the browser
rendering the badge) does not exist yet. Needs cupsd with the cups-pdf printer PDF (as
tests/browser/test_badge_desk.py sets up); without it the scenario says so in one row.
"""

import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from bench._mode import size

PRINTS = size("BENCH_DESK_PRINTS", 50, 5)
PRINTER = "PDF"
DESK = "Bàn in 1"
WAIT_SECONDS = 30


def _output_folder():
    """Where cups-pdf writes: its configuration's Out, ${HOME} being the job owner's home."""
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    for line in conf.read_text().splitlines() if conf.exists() else []:
        if line.strip().startswith("Out "):
            out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", str(Path.home())))


def _printer_ready():
    if not shutil.which("lp"):
        return False
    done = subprocess.run(["lpstat", "-p", PRINTER], capture_output=True, text=True, check=False)
    return done.returncode == 0 and "disabled" not in done.stdout


def _wait_for_pdf(folder, title, before):
    """Seconds until cups-pdf's file for this job title is complete, or None after WAIT_SECONDS."""
    pattern = re.compile(rf"^{re.escape(title)}_")
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for path in folder.glob("*.pdf"):
            if path not in before and pattern.match(path.name):
                if subprocess.run(["pdfinfo", str(path)], capture_output=True, check=False).returncode == 0:
                    return path
        time.sleep(0.02)
    return None


def _holders(count):
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from events.models import Event, Participant
    from events.permissions import DOOR_STAFF
    from ticketing import services

    today = timezone.localdate()
    event = Event.objects.create(
        slug=f"desk-{int(time.time())}",
        name_vi="Hội nghị KOL toàn quốc lần thứ nhất",
        name_en="First National KOL Conference",
        start_date=today,
        end_date=today,
        status="published",
    )
    people = Participant.objects.bulk_create(
        Participant(
            event=event,
            category="kol",
            full_name=f"Nguyễn Thị Bàn In {n}",
            organization="Kênh Du lịch Việt",
            email=f"banin{n}@example.vn",
            status="approved",
        )
        for n in range(count)
    )
    badges = services.sign_badges_in_bulk(list(Participant.objects.filter(pk__in=[p.pk for p in people])))
    staff = User.objects.create_user("ban-in-bench", password="pw-ban-in-bench")
    staff.groups.add(Group.objects.get(name=DOOR_STAFF))
    return event, badges, staff


def _percentiles(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def run():
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.conf import settings

    from ticketing.services import checkin, desk

    if not _printer_ready():
        return [{"scenario": "badge desk", "value": "skipped", "unit": "", "target": "cupsd + cups-pdf printer PDF"}]
    settings.BADGE_DESK_PRINTERS = {DESK: PRINTER}
    event, badges, staff = _holders(PRINTS + 1)
    folder = _output_folder()
    door = checkin.Door(gate=DESK, by=staff, event_slug=event.slug)
    # One print before the clock starts: WeasyPrint loads its fonts once per process (about 2 s here).
    desk.send_desk_print(desk.desk_scan(badges[0].code, door=door, mode="admit").printed)
    server, printed, missing = [], [], 0
    for badge in badges[1:]:
        before = set(folder.glob("*.pdf"))
        started = time.perf_counter()
        outcome = desk.desk_scan(badge.code, door=door, mode="admit")
        sent = desk.send_desk_print(outcome.printed)
        server.append(time.perf_counter() - started)
        title = f"badge-{badge.participant_id}-v{badge.version}-{sent.pk}"
        if sent.state != "sent" or _wait_for_pdf(folder, title, before) is None:
            missing += 1
            continue
        printed.append(time.perf_counter() - started)
    server_p50, server_p99 = _percentiles(server)
    rows = [
        {"scenario": "badge desk: server cost per print p50", "value": f"{server_p50 * 1000:.0f}", "unit": "ms"},
        {"scenario": "badge desk: server cost per print p99", "value": f"{server_p99 * 1000:.0f}", "unit": "ms"},
    ]
    if printed:
        printed_p50, printed_p99 = _percentiles(printed)
        rows += [
            {"scenario": "badge desk: scan to printed PDF p50", "value": f"{printed_p50:.2f}", "unit": "s"},
            {
                "scenario": "badge desk: scan to printed PDF p99",
                "value": f"{printed_p99:.2f}",
                "unit": "s",
                "target": "< 3",
            },
        ]
    rows.append(
        {
            "scenario": f"badge desk: prints not printed (of {PRINTS})",
            "value": str(missing),
            "unit": "",
            "target": "= 0",
        }
    )
    return rows
