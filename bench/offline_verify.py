"""Offline badge checks in the browser: how long static/checkin/offline.js takes per code, and the page's JS size.

A fresh event open today with CODES signed badges, gunicorn (1 worker, DEBUG off,
collected static files, as `run.sh start` but without hashed names) and Debian's headless Chromium through
Playwright. The scanner page loads its lists as door staff, then verifies every
real badge code in the page with each engine (Web Crypto's Ed25519, then the
vendored @noble/ed25519 fallback) and judges them (decode, signature, version,
ticket, window, admissions; nothing queued). Target: under 5 ms per code, and
under 300 KB of JavaScript for the page including the fallback.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench._mode import size

ROOT = Path(__file__).resolve().parent.parent
CODES = size("BENCH_OFFLINE_CODES", 300, 30)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
JS_BUDGET = 300_000

# Runs in the page: per engine, warm up once (key import, module load), then time every code in turn.
MEASURE = """
async (codes) => {
  const out = {engine: await window.KolOffline.engine()};
  for (const engine of ["webcrypto", "noble"]) {
    await window.KolOffline.verify(codes[0], engine);
    const started = performance.now();
    let valid = 0;
    for (const code of codes) if (await window.KolOffline.verify(code, engine)) valid += 1;
    out[engine] = {ms: (performance.now() - started) / codes.length, valid};
  }
  const forged = codes.map((code) => code.slice(0, -4) + (code.at(-4) === "A" ? "B" : "A") + code.slice(-3));
  const started = performance.now();
  let rejected = 0;
  for (const code of forged) if (!(await window.KolOffline.verify(code))) rejected += 1;
  out.forged = {ms: (performance.now() - started) / codes.length, rejected};
  const judged = performance.now();
  const results = {};
  for (const code of codes) {
    const verdict = await window.KolOffline.judge(code, Date.now());
    results[verdict.result] = (results[verdict.result] || 0) + 1;
  }
  out.judge = {ms: (performance.now() - judged) / codes.length, results};
  return out;
}
"""


def _seed(count):
    """An event open today, `count` approved badge holders (codes signed, no QR images), a door-staff session."""
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.utils import timezone

    from events.enums import Category, EventStatus, ParticipantStatus
    from events.models import Event, Participant
    from events.permissions import DOOR_STAFF
    from ticketing import codes, services
    from ticketing.models import Badge

    today = timezone.localdate()
    event = Event.objects.create(
        slug="offline-bench", name_vi="Hội nghị KOL", start_date=today, end_date=today, status=EventStatus.PUBLISHED
    )
    Participant.objects.bulk_create(
        Participant(
            event=event,
            full_name=f"Nguyễn Văn Khách {n}",
            email=f"khach{n}@example.vn",
            phone="+84912345678",
            category=Category.KOL,
            status=ParticipantStatus.APPROVED,
        )
        for n in range(count)
    )
    key = services.event_key(event)
    badges = [
        Badge(
            participant=participant,
            version=1,
            code=codes.sign_code(
                key.private_key_encrypted, event_id=event.pk, participant_id=participant.pk, version=1
            ),
        )
        for participant in Participant.objects.filter(event=event)
    ]
    Badge.objects.bulk_create(badges)
    user = User.objects.create_user(username="offline-bench", password="pw-offline-bench")
    user.groups.add(Group.objects.get(name=DOOR_STAFF))
    client = Client()
    client.force_login(user)
    return event, [badge.code for badge in badges], client.cookies["sessionid"].value


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Plain static storage: the manifest storage's collectstatic stops at Chart.js's missing source map.
SERVER_ENV = {"STATIC_MANIFEST": "0"}


def _start_server(port):
    env = {**os.environ, **SERVER_ENV}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "conference.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _measure(url, session, slug, codes):
    # Playwright only for the browser part of the scenario
    from playwright.sync_api import sync_playwright

    scripts = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            context.add_cookies([{"name": "sessionid", "value": session, "url": url}])
            page = context.new_page()
            page.on("response", lambda r: r.request.resource_type == "script" and scripts.setdefault(r.url, r))
            page.goto(f"{url}/e/{slug}/checkin/")
            page.fill("#gate-input", "Cổng A")
            page.click("#gate-form button[type=submit]")
            page.wait_for_selector('#offline-status:not([data-refreshed-at=""])', timeout=30000)
            loaded = {address: len(response.body()) for address, response in scripts.items()}
            figures = page.evaluate(MEASURE, codes)
            loaded_after = {address: len(response.body()) for address, response in scripts.items()}
            worker = len(urllib.request.urlopen(_request(url, f"/e/{slug}/checkin/sw.js", session)).read())
        finally:
            browser.close()
    return figures, sum(loaded.values()), sum(loaded_after.values()), worker, len(loaded_after)


def _request(url, path, session):
    return urllib.request.Request(url + path, headers={"Cookie": f"sessionid={session}"})


def _row(scenario, value, unit, target=""):
    return {
        "scenario": scenario,
        "value": f"{value:.3f}" if isinstance(value, float) else value,
        "unit": unit,
        "target": target,
    }


def run():
    event, codes, session = _seed(CODES)
    port = _free_port()
    server = _start_server(port)
    try:
        url = f"http://127.0.0.1:{port}"
        figures, page_js, with_fallback, worker, script_count = _measure(url, session, event.slug, codes)
    finally:
        server.terminate()
        server.wait(timeout=15)
    n = len(codes)
    admitted = figures["judge"]["results"].get("admitted", 0)
    return [
        _row("offline: real codes refused by Web Crypto", n - figures["webcrypto"]["valid"], "codes", "= 0"),
        _row("offline: real codes refused by the noble fallback", n - figures["noble"]["valid"], "codes", "= 0"),
        _row("offline: forged codes accepted", n - figures["forged"]["rejected"], "codes", "= 0"),
        _row("offline: real codes judged other than admitted", n - admitted, "codes", "= 0"),
        _row(f"offline verify, Web Crypto Ed25519 ({n} codes)", figures["webcrypto"]["ms"], "ms/code", "< 5 ms"),
        _row(f"offline verify, @noble/ed25519 fallback ({n} codes)", figures["noble"]["ms"], "ms/code", "< 5 ms"),
        _row(f"offline verify, forged codes ({figures['engine']})", figures["forged"]["ms"], "ms/code", "< 5 ms"),
        _row(f"offline judgement, whole rule ({figures['engine']})", figures["judge"]["ms"], "ms/code", "< 5 ms"),
        _row("engine chosen by this Chromium", figures["engine"], ""),
        _row("scanner page JavaScript as loaded", f"{page_js / 1000:.1f}", "KB", "< 300 KB"),
        _row(
            f"scanner page JavaScript + noble fallback ({script_count} files)",
            f"{with_fallback / 1000:.1f}",
            "KB",
            "< 300 KB",
        ),
        _row("service worker script", f"{worker / 1000:.1f}", "KB", ""),
    ]
