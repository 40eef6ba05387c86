"""Badges: one badge download through a live server, and a print job end to end.

Targets (issue 4, this 2-core machine): a single badge answered in < 400 ms;
1,000 badges printed in < 12 s with peak memory < 500 MB. Invariants, checked
in every run: each issued code verifies, each downloaded badge's QR decodes to
its holder's current code, and a print job has every badge (the pages counted,
the QR codes of its first and last page decoded).
"""

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from bench._mode import quick, size

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BADGES = size("BENCH_BADGES", 1000, 30)
DOWNLOADS = 5 if quick() else 20  # first downloads timed; each is also decoded
WARM = 2 if quick() else 8  # downloads that warm both workers before the clock starts

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Quốc", "Thanh", "Phương", "Hữu", "Thu"]
GIVEN = ["Cường", "Thảo", "Huy", "Ánh", "Mạnh", "Khôi", "Dũng", "Hương", "Tiến", "Trang", "Đạt", "Hà", "Long"]
ORGS = [
    "Hiệp hội An ninh mạng quốc gia",
    "Cục An ninh mạng và Phòng, chống tội phạm sử dụng công nghệ cao",
    "Công ty Cổ phần Truyền thông Số Việt Nam",
    "Nền tảng chia sẻ video ngắn khu vực Đông Nam Á",
]
CATEGORIES = ["kol", "regulator", "business", "platform"]


def _event():
    # after django.setup() (bench/run.py): settings and models exist only then
    from events.models import Event

    return Event.objects.create(
        slug=f"bench-{int(time.time())}",
        name_vi="Hội nghị KOL toàn quốc lần thứ nhất",
        name_en="First National KOL Conference",
        start_date=date(2027, 8, 14),
        end_date=date(2027, 8, 15),
        venue="Trung tâm Hội nghị Quốc gia",
        status="published",
    )


def _participants(event, count):
    # after django.setup() (bench/run.py): settings and models exist only then
    from events.models import Participant

    Participant.objects.bulk_create(
        Participant(
            event=event,
            category=CATEGORIES[n % 4],
            full_name=f"{FAMILY[n % 14]} {MIDDLE[n % 10]} {GIVEN[n % 13]}",
            title="Trung tá" if n % 4 == 1 else "Giám đốc nội dung",
            organization=ORGS[n % 4],
            email=f"daibieu{n}@example.vn",
            status="approved",
        )
        for n in range(count)
    )
    return list(Participant.objects.filter(event=event).select_related("event").order_by("pk"))


def _issue_all(participants):
    """Issue badges as approval would (sign + QR), without the per-badge e-mail job; (seconds, codes failing)."""
    # after django.setup() (bench/run.py): settings and models exist only then
    from ticketing import services
    from ticketing.errors import BadgeCodeInvalid

    services.event_key(participants[0].event)
    started = time.perf_counter()
    badges = services.sign_badges_in_bulk(participants)
    elapsed = time.perf_counter() - started
    failing = 0
    for badge in badges:
        try:
            services.check_badge_code(badge.code)
        except BadgeCodeInvalid:
            failing += 1
    return elapsed, failing


def _qr_codes(content, pages):
    """The QR codes on these pages (1-based) of a PDF, rasterized at 150 dpi as a phone camera would see it."""
    # the QR decoder is needed only to check badges, after rendering
    import zxingcpp
    from PIL import Image

    found = []
    with tempfile.TemporaryDirectory(prefix="bench-qr-") as folder:
        source = Path(folder) / "badges.pdf"
        source.write_bytes(content)
        for page in pages:
            out = Path(folder) / f"page-{page}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "150",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(source),
                    str(out),
                ],
                check=True,
            )
            with Image.open(f"{out}.png") as image:
                found += [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def _page_count(content):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(content)
        source.flush()
        info = subprocess.run(["pdfinfo", source.name], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args, **env):
    return subprocess.Popen(
        args, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _get(url, token):
    """(seconds, PDF) of one badge download."""
    request = urllib.request.Request(url, headers={"X-Registration-Token": token})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    assert body.startswith(b"%PDF-"), "not a PDF"
    return time.perf_counter() - started, body


def _undecodable(downloads):
    """How many of these (participant, PDF) downloads do not show exactly the holder's current code."""
    return sum(1 for participant, pdf in downloads if _qr_codes(pdf, [1]) != [participant.badge.code])


def _download_rows(participants):
    """One badge PDF through gunicorn (2 workers), the way the API serves it."""
    # after django.setup() (bench/run.py): settings and models exist only then
    from ticketing import services

    port = _free_port()
    server = _start(
        [PYTHON, "-m", "gunicorn", "conference.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    )
    url = f"http://127.0.0.1:{port}/api/v1/registration/badge.pdf"
    sample = participants[WARM + 1 : WARM + 1 + DOWNLOADS]
    try:
        for _ in range(100):
            try:
                _get(url, participants[0].token)
                break
            except OSError:
                time.sleep(0.1)
        for participant in participants[1 : WARM + 1]:  # warm both workers (first render imports WeasyPrint)
            _get(url, participant.token)
        fresh = [(p, *_get(url, p.token)) for p in sample]  # first download: renders the PDF
        cached = [_get(url, p.token)[0] for p in sample for _ in range(3)]
        holder = participants[-1]
        _get(url, holder.token)
        services.reissue_badge(holder.badge)
        rebuilt, rebuilt_pdf = _get(url, holder.token)
    finally:
        _stop(server)
    holder.badge.refresh_from_db()
    undecodable = _undecodable([(p, pdf) for p, _seconds, pdf in fresh] + [(holder, rebuilt_pdf)])
    first = [seconds for _p, seconds, _pdf in fresh]
    ms = 1000
    return [
        _row(
            "badge download, first (renders)", statistics.median(first) * ms, f"ms (median of {len(first)})", "< 400 ms"
        ),
        _row("badge download, first (renders)", max(first) * ms, f"ms (max of {len(first)})", "< 400 ms"),
        _row("badge download, cached PDF", statistics.median(cached) * ms, f"ms (median of {len(cached)})", "faster"),
        _row("badge download after reissue", rebuilt * ms, "ms (rebuilt)", "< 400 ms"),
        {
            "scenario": "badges downloaded whose QR is not the holder's current code",
            "value": undecodable,
            "unit": f"of {len(fresh) + 1}",
            "target": "= 0",
        },
    ]


def _process_tree(root_pid):
    children = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _peak_rss_mb(pids):
    """Peak resident memory (VmHWM) of each process, in MB."""
    peaks = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        except OSError:
            continue
    return peaks


def _cpu_seconds(pids):
    """User + system CPU time of these processes so far (from /proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _print_job_rows(event, organizer, *, workers, layout):
    # after django.setup() (bench/run.py): settings and models exist only then
    from ticketing import services
    from ticketing.enums import PrintJobStatus
    from ticketing.models import Badge, PrintJob

    Badge.objects.filter(participant__event=event).update(printed_at=None)
    cluster = _start([PYTHON, "manage.py", "qcluster"], Q_WORKERS=str(workers), Q_SYNC="0")
    time.sleep(0 if quick() else 3)  # let the workers start and import before the clock starts (quick: untimed)
    pids = _process_tree(cluster.pid)
    try:
        cpu_before = _cpu_seconds(pids)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        job = services.create_print_job(event=event, layout=layout, by=organizer)
        milestones = {}
        while True:
            job.refresh_from_db()
            now = time.perf_counter() - started
            if job.status != PrintJobStatus.QUEUED:
                milestones.setdefault("rendering", now)
            if job.total and job.done == job.total:
                milestones.setdefault("rendered", now)
            if job.status in (PrintJobStatus.DONE, PrintJobStatus.FAILED):
                break
            time.sleep(0.05)
            pids = sorted(set(pids) | set(_process_tree(cluster.pid)))
        elapsed = time.perf_counter() - started
        peaks = _peak_rss_mb(pids)
        cpu = _cpu_seconds(pids) - cpu_before
    finally:
        _stop(cluster)
    if job.status != PrintJobStatus.DONE:
        raise RuntimeError(f"print job failed: {job.error}")
    job = PrintJob.objects.get(pk=job.pk)
    name = f"print job {job.total} badges, {layout}, {workers} worker(s)"
    per_process = max(peaks.values())
    content = job.file.read()
    missing = _missing_from(content, event, layout)
    return [
        _row(name, elapsed, "s end to end", "< 12 s"),
        _row(name, elapsed * 1000 / job.total, "ms/badge", ""),
        _row(name, cpu, "CPU s used by the job workers (ideal wall on 2 idle cores: half)", ""),
        _row(name, load, "load average (1 min) when the job started: other work on the machine", ""),
        _row(name, milestones.get("rendering", 0), "s until chunks queued (list, issue check)", ""),
        _row(name, milestones.get("rendered", 0) - milestones.get("rendering", 0), "s rendering chunks", ""),
        _row(name, elapsed - milestones.get("rendered", elapsed), "s merging, saving, marking printed", ""),
        _row(name, per_process, "MB peak RSS, largest process", "< 500 MB"),
        _row(name, sum(peaks.values()), f"MB peak RSS, sum of {len(peaks)} processes", ""),
        _row(name, len(content) / 1024 / 1024, "MB PDF", ""),
        {
            "scenario": f"{name}: badges missing (pages counted, first and last page decoded)",
            "value": missing,
            "unit": "badges",
            "target": "= 0",
        },
    ]


def _missing_from(content, event, layout):
    """Badges of the event not in the job's PDF: pages short of one per badge, or QR codes not read.

    The job orders badges by name, so the first and last pages are checked for how many of the
    event's codes they show (a full page, and the rest on the last one), not for which.
    """
    # after django.setup() (bench/run.py): settings and models exist only then
    from ticketing.models import Badge
    from ticketing.pdf import PER_SHEET

    codes = set(Badge.objects.filter(participant__event=event).values_list("code", flat=True))
    per_page = PER_SHEET if layout == "sheet" else 1
    pages = _page_count(content)
    short = max(len(codes) - pages * per_page, 0)
    on_last = len(codes) - (pages - 1) * per_page
    expected = per_page + on_last if pages > 1 else len(codes)
    read = [code for page in sorted({1, pages}) for code in _qr_codes(content, [page]) if code in codes]
    return short + max(expected - len(set(read)), 0)


def _row(scenario, value, unit, target):
    return {
        "scenario": scenario,
        "value": f"{value:.2f}" if value < 10 else f"{value:.1f}",
        "unit": unit,
        "target": target,
    }


def run():
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.contrib.auth.models import User

    event = _event()
    participants = _participants(event, BADGES)
    signing, failing = _issue_all(participants)
    organizer = User.objects.create_user(username=f"bench-{event.pk}", is_staff=True)
    rows = [
        _row(f"issue {BADGES} badges (sign + QR image)", signing * 1000 / BADGES, "ms/badge", ""),
        {
            "scenario": f"issue {BADGES} badges: codes that do not verify",
            "value": failing,
            "unit": "badges",
            "target": "= 0",
        },
    ]
    rows += _download_rows(participants)
    layouts = os.environ.get("BENCH_LAYOUTS", "sheet,single").split(",")
    workers = [int(w) for w in os.environ.get("BENCH_WORKERS", "1" if quick() else "2,1").split(",")]
    for layout in layouts:
        for count in workers:
            rows += _print_job_rows(event, organizer, workers=count, layout=layout)
    return rows
