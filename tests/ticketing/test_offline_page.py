"""The scanner page as an installable web app: its service worker, its manifest and its JavaScript budget."""

import json
import posixpath
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

PAGE = "/e/kol-2027/checkin/"
WORKER = "/e/kol-2027/checkin/sw.js"
MANIFEST = "/e/kol-2027/checkin/manifest.webmanifest"
JS_BUDGET = 300_000  # bytes, uncompressed: the "under 300 KB" for everything the page may load
# `import … from "./x.js";` at the start of a line (static/ lints every file as an ES module).
IMPORT = re.compile(r'^import\s[^;]*?from\s*"(\.[^"]+)";', re.MULTILINE)


@pytest.fixture
def staff_client(client, door_staff):
    client.force_login(door_staff)
    return client


def with_imports(url):
    """The static URL of an ES module and of every module it imports, relative imports followed."""
    found, waiting = [], [url]
    while waiting:
        current = waiting.pop()
        if current in found:
            continue
        found.append(current)
        with open(finders.find(current.removeprefix("/static/")), encoding="utf-8") as file:
            imports = IMPORT.findall(file.read())
        waiting += [posixpath.normpath(posixpath.join(posixpath.dirname(current), name)) for name in imports]
    return found


def static_size(url):
    path = finders.find(url.removeprefix("/static/"))
    assert path, url
    with open(path, "rb") as file:
        return len(file.read())


def test_service_worker_is_served_from_the_page_folder_with_its_files(staff_client, event):
    response = staff_client.get(WORKER)

    body = response.content.decode()
    config = json.loads(re.match(r"self\.KOL_SW = (\{.*\});\n", body).group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert WORKER.rsplit("/", 1)[0] + "/" == config["page"] == PAGE  # the default scope covers the page
    assert "/static/checkin/offline.js" in config["files"]
    assert "/static/vendor/noble-ed25519/ed25519.min.js" in config["files"]
    assert all(static_size(url) > 0 for url in config["files"])
    # Offline, a module the page imports and the worker did not keep would stop the whole page.
    assert set(with_imports("/static/checkin/page.js")) <= set(config["files"])
    assert 'addEventListener("fetch"' in body


def test_service_worker_version_follows_its_files(staff_client, event, settings):
    first = staff_client.get(WORKER).content
    settings.STATIC_URL = "/static-v2/"

    second = staff_client.get(WORKER).content

    assert re.search(rb'"version": "(\w+)"', first).group(1) != re.search(rb'"version": "(\w+)"', second).group(1)


def test_manifest_installs_the_scanner_page(staff_client, event):
    response = staff_client.get(MANIFEST, HTTP_ACCEPT_LANGUAGE="vi")

    manifest = response.json()
    assert response["Content-Type"] == "application/manifest+json"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (PAGE, PAGE, "standalone")
    assert manifest["name"] == "Soát vé tại cửa · Hội nghị KOL toàn quốc lần thứ nhất"
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]
    assert all(static_size(icon["src"]) > 0 for icon in manifest["icons"])


@pytest.mark.parametrize("url", [WORKER, MANIFEST])
def test_worker_and_manifest_are_for_door_staff_only(client, event, url):
    assert client.get(url).status_code == 302
    client.force_login(User.objects.create_user("khach", password="pw-khach"))
    assert client.get(url).status_code == 403


def test_page_links_manifest_worker_and_offline_script(staff_client, event):
    html = staff_client.get(PAGE).content.decode()

    assert 'rel="manifest" href="/e/kol-2027/checkin/manifest.webmanifest"' in html
    assert 'data-service-worker-url="/e/kol-2027/checkin/sw.js"' in html
    assert 'data-sync-url="/api/v1/checkin/sync"' in html
    assert re.findall(r'<script type="module" src="([^"]+)"', html) == ["/static/checkin/page.js"]
    assert "<script>" not in html


def test_scanner_javascript_stays_under_300_kb(staff_client, event):
    html = staff_client.get(PAGE).content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    modules = re.findall(r'<script type="module" src="([^"]+)"', html)
    fallback = unescape(re.search(r'data-noble-url="([^"]+)"', html).group(1))
    imported = [url for module in modules for url in with_imports(module)]

    total = sum(static_size(url) for url in [*scripts, *imported, fallback]) + len(staff_client.get(WORKER).content)

    assert scripts == ["/static/vendor/jsqr/jsQR.min.js"]
    assert sorted(imported) == [
        "/static/checkin/badge.js",
        "/static/checkin/codes.js",
        "/static/checkin/door.js",
        "/static/checkin/offline.js",
        "/static/checkin/page.js",
        "/static/checkin/scanner.js",
        "/static/checkin/store.js",
        "/static/common/dom.js",
        "/static/common/texts.js",
        "/static/vendor/idb/idb.js",
        "/static/vendor/qrcode-generator/qrcode.js",
    ]
    assert total < JS_BUDGET, total
