"""Badge on screen to verdict painted: the scanner page with Chromium's fake camera showing real badges (#18).

A fresh event open today with BADGES badge holders; their QR images (ticketing.pdf.qr_png, as the badges
carry them) go into one YUV4MPEG2 video, each badge shown for SHOW_S then a blank frame for BLANK_S,
which Chromium's `--use-file-for-fake-video-capture` loops (one loop is longer than the scanner's 3 s
debounce, so every appearance is a new scan; from the second loop on the verdict is "already checked
in", or admitted again offline after nothing). gunicorn (2 workers, DEBUG off, collected static files)
serves the page to door staff in headless Chromium through Playwright.

In the page, a requestVideoFrameCallback on the camera's <video> looks at every frame presented
(dark pixels: a badge) and notes the presentation time of the first frame of each appearance;
static/checkin/scanner.js's performance marks give the decode time of every frame it decodes and the
moment each verdict is painted. Latency = the first verdict painted after an appearance minus that
frame's time; an appearance with no verdict before the next one is a missed badge. Online, then
offline (the browser context's network cut once the offline lists are stored): SCANS appearances each.
Rows: p50/p99 latency (targets from #18: p99 < 120 ms online, < 80 ms offline), decode time per
frame, frames decoded per second, missed badges; invariant: verdicts other than admitted or already
checked in (= 0).
"""

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from bench._mode import size
from bench._server import gunicorn

ROOT = Path(__file__).resolve().parent.parent
SCANS = size("BENCH_CAMERA_SCANS", 200, 12)
BADGES = 8
WIDTH, HEIGHT, FPS = 640, 480, 30
SHOW_S, BLANK_S = 0.5, 0.5
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]
TARGETS = {"online": "< 120", "offline": "< 80"}
GOOD = {"admitted", "already_checked_in"}

# Runs in the page before the camera starts: what bench/camera.py reads back from window.__cameraBench.
WATCH = """
() => {
  const out = (window.__cameraBench = { shown: [], verdicts: [], decodes: [], frames: 0 });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === "checkin:decode") out.decodes.push([entry.startTime, entry.duration]);
      if (entry.name === "checkin:verdict-painted") out.verdicts.push([entry.startTime, entry.detail]);
    }
  }).observe({ entryTypes: ["mark", "measure"] });
  const video = document.getElementById("camera");
  const probe = document.createElement("canvas");
  probe.width = 32;
  probe.height = 24;
  const context = probe.getContext("2d", { willReadFrequently: true });
  let showing = false;
  function onFrame(now, frame) {
    context.drawImage(video, 0, 0, 32, 24);
    const pixels = context.getImageData(0, 0, 32, 24).data;
    let dark = false;
    for (let i = 0; i < pixels.length && !dark; i += 4) dark = pixels[i] < 96;
    if (dark && !showing) out.shown.push(frame.presentationTime);
    showing = dark;
    out.frames += 1;
    video.requestVideoFrameCallback(onFrame);
  }
  video.requestVideoFrameCallback(onFrame);
}
"""


def _seed():
    """An event open today, BADGES approved badge holders with signed codes, a door-staff session."""
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.utils import timezone

    from events.enums import Category, EventStatus, ParticipantStatus
    from events.models import Event, Participant
    from events.permissions import DOOR_STAFF
    from ticketing import services

    today = timezone.localdate()
    event = Event.objects.create(
        slug="camera-bench", name_vi="Hội nghị KOL", start_date=today, end_date=today, status=EventStatus.PUBLISHED
    )
    people = Participant.objects.bulk_create(
        Participant(
            event=event,
            full_name=f"Phạm Minh Khách {n}",
            email=f"camera{n}@example.vn",
            category=Category.KOL,
            status=ParticipantStatus.APPROVED,
        )
        for n in range(BADGES)
    )
    badges = services.sign_badges_in_bulk(list(Participant.objects.filter(pk__in=[p.pk for p in people])))
    user = User.objects.create_user(username="camera-bench", password="pw-camera-bench")
    user.groups.add(Group.objects.get(name=DOOR_STAFF))
    client = Client()
    client.force_login(user)
    return event, [badge.code for badge in badges], client.cookies["sessionid"].value


def _frame(code):
    """One camera frame (luma bytes): the badge's QR filling most of a white 640 × 480 frame."""
    # the QR renderer imports qrcode, only needed here
    from ticketing.pdf import qr_png

    side = HEIGHT - 80
    qr = Image.open(io.BytesIO(qr_png(code))).convert("L").resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    return frame.tobytes()


def _video(codes, path):
    """The YUV4MPEG2 file: each badge for SHOW_S, then blank for BLANK_S (4:2:0, no colour)."""
    chroma = bytes([128]) * (WIDTH * HEIGHT // 2)
    blank = b"FRAME\n" + bytes([255]) * (WIDTH * HEIGHT) + chroma
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for code in codes:
            video.write((b"FRAME\n" + _frame(code) + chroma) * round(FPS * SHOW_S))
            video.write(blank * round(FPS * BLANK_S))
    return path


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _latencies(shown, verdicts):
    """Per appearance (the first, caught mid-badge, dropped): ms to the first verdict before the next one."""
    latencies, missed, results = [], 0, []
    for start, end in zip(shown[1:], shown[2:] + [float("inf")], strict=True):
        after = [(at, result) for at, result in verdicts if start <= at < end]
        if not after:
            missed += 1
            continue
        latencies.append(after[0][0] - start)
        results.append(after[0][1])
    return latencies, missed, results


def _watch(page, url, slug, scans, offline):
    """The page's figures once `scans` appearances were watched (offline: counted from the network cut)."""
    page.goto(f"{url}/e/{slug}/checkin/")
    page.evaluate(WATCH)
    page.fill("#gate-input", "Cổng Camera")
    page.click("#gate-form button[type=submit]")
    skip = 0
    if offline:
        page.wait_for_selector('#offline-status:not([data-refreshed-at=""])', timeout=30000)
        page.context.set_offline(True)
        skip = page.evaluate("window.__cameraBench.shown.length")
    timeout = int((scans + 3) * (SHOW_S + BLANK_S) * 1000 * 3) + 30000
    wanted = skip + scans + 1
    # A polling loop here: wait_for_function evaluates a string, which the page's CSP (no eval) refuses.
    deadline = time.monotonic() + timeout / 1000
    while page.evaluate("window.__cameraBench.shown.length") <= wanted:
        if time.monotonic() > deadline:
            raise TimeoutError(f"fewer than {wanted} badge appearances seen in {timeout / 1000:.0f} s")
        page.wait_for_timeout(500)
    page.wait_for_timeout(int((SHOW_S + BLANK_S) * 1000))
    figures = page.evaluate("window.__cameraBench")
    # The appearance under way when the camera started or the network went is not a whole one.
    cut = figures["shown"][skip] if skip else 0
    figures["shown"] = figures["shown"][skip:wanted]
    figures["decodes"] = [entry for entry in figures["decodes"] if entry[0] >= cut]
    return figures


def _measure(url, session, slug, video, offline):
    # Playwright only for the browser part of the scenario
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={video}"]
        )
        try:
            context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            context.grant_permissions(["camera"], origin=url)
            context.add_cookies([{"name": "sessionid", "value": session, "url": url}])
            return _watch(context.new_page(), url, slug, SCANS, offline)
        finally:
            browser.close()


def _rows(mode, figures):
    latencies, missed, results = _latencies(figures["shown"], figures["verdicts"])
    decodes = [duration for _at, duration in figures["decodes"]]
    span = (figures["decodes"][-1][0] - figures["decodes"][0][0]) / 1000 if len(decodes) > 1 else 0
    rows = []
    if latencies:
        rows += [
            _row(f"camera {mode}: badge on screen to verdict painted p50", statistics.median(latencies), "ms"),
            _row(f"camera {mode}: badge on screen to verdict painted p99", _percentile(latencies, 0.99), "ms"),
        ]
        rows[-1]["target"] = TARGETS[mode]
    if decodes:
        rows += [
            _row(f"camera {mode}: decode per frame p50 (jsQR, main thread)", statistics.median(decodes), "ms"),
            _row(f"camera {mode}: decode per frame max", max(decodes), "ms"),
            _row(f"camera {mode}: frames decoded per second", (len(decodes) - 1) / span if span else 0, "fps"),
        ]
    rows += [
        _row(f"camera {mode}: badges shown with no verdict (of {len(figures['shown']) - 1})", missed, "", "< 1"),
        _row(f"camera {mode}: verdicts other than admitted/already in", sum(r not in GOOD for r in results), "", "= 0"),
    ]
    return rows


def _row(scenario, value, unit, target=""):
    value = f"{value:.1f}" if isinstance(value, float) else value
    return {"scenario": scenario, "value": value, "unit": unit, "target": target}


def run():
    event, codes, session = _seed()
    folder = Path(tempfile.mkdtemp(prefix="camera-bench-"))
    video = _video(codes, folder / "badges.y4m")
    env = {**os.environ, "STATIC_MANIFEST": "0"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    rows = []
    try:
        with gunicorn(env) as (url, _port):
            for mode in ("online", "offline"):
                rows += _rows(mode, _measure(url, session, event.slug, video, mode == "offline"))
    finally:
        video.unlink()
        folder.rmdir()
    return rows
