"""What an operator sees (issue #17, item 4): JSON log lines tied to a request id, error pages that
quote it, and a /health that tells the job worker apart from the database, cache and media."""

import io
import json
import logging
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from conference.logs import JsonFormatter
from tests.abuse.conftest import ROOT, database_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The JSON lines the console handler would write for django.request, as parsed objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_a_log_line_names_its_request_and_who_asked_with_the_personal_link_redacted(
    organizer_client, organizer, event, log_lines
):
    link = f"/e/{event.slug}/me/login/12:1796234642780048734:1xYogU:-QWiLmdbk4QTYS0mOWRE00Js4umdlyuCOz8K62P7xag/"
    answer = organizer_client.get(link + "?next=/secret/")

    [line] = [line for line in log_lines() if "login" in line["message"]]
    assert answer["X-Request-ID"] == line["request_id"]
    assert (line["level"], line["logger"], line["user_id"], line["method"]) == (
        "WARNING",
        "django.request",
        organizer.pk,
        "GET",
    )
    assert line["message"].endswith(f"/e/{event.slug}/me/login/[redacted]/")
    assert "1xYogU" not in json.dumps(line) and "secret" not in json.dumps(line)
    assert line["time"].endswith("+07:00")  # the event's time zone


def test_a_request_id_from_the_proxy_is_kept_and_one_from_anyone_else_is_not(client, settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["10.0.0.10/32"]
    from_proxy = client.get("/health", headers={"X-Request-ID": "nginx-7f3a9c2e"}, REMOTE_ADDR="10.0.0.10")
    from_outside = client.get("/health", headers={"X-Request-ID": "forged-7f3a9c2e"}, REMOTE_ADDR="203.0.113.7")
    assert from_proxy["X-Request-ID"] == "nginx-7f3a9c2e"
    assert from_outside["X-Request-ID"] not in {"forged-7f3a9c2e", ""}


def _crash(request):
    raise RuntimeError("a bug")


urlpatterns = [path("crash/", _crash), path("api/v1/crash/", _crash)]
handler500 = "conference.error_views.server_error"


@pytest.mark.urls(__name__)
def test_the_error_page_quotes_the_request_id_of_the_logged_traceback(log_lines):
    client = Client(raise_request_exception=False)
    page = client.get("/crash/")
    api = client.get("/api/v1/crash/")

    assert page.status_code == api.status_code == 500
    assert page["X-Request-ID"] in page.content.decode()
    assert "Đã xảy ra lỗi" in page.content.decode()
    assert api.json()["request_id"] == api["X-Request-ID"]
    crashes = [line for line in log_lines() if line["level"] == "ERROR"]
    assert {line["request_id"] for line in crashes} == {page["X-Request-ID"], api["X-Request-ID"]}
    assert all("RuntimeError: a bug" in line["exception"] for line in crashes)


def test_a_missing_page_quotes_its_request_id_in_vietnamese(client):
    page = client.get("/e/no-such-event/")
    assert page.status_code == 404
    assert page["X-Request-ID"] in page.content.decode()
    assert "Không tìm thấy trang" in page.content.decode()


def _health(client):
    answer = client.get("/health")
    return answer.status_code, answer.json()


@pytest.mark.django_db(transaction=True)
def test_health_sees_the_job_worker_come_and_go(client, monkeypatch, tmp_path):
    monkeypatch.setitem(settings.Q_CLUSTER, "sync", False)
    status, body = _health(client)
    assert (status, body["status"], body["checks"]["worker"]) == (200, "degraded", False)

    environment = {
        **{name: value for name, value in os.environ.items() if name != "Q_SYNC"},
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path),
        "SECRET_KEY": settings.SECRET_KEY,  # the cluster signs its stats with it
        "Q_WORKERS": "1",
    }
    if settings.REDIS_URL:
        environment["REDIS_URL"] = settings.Q_CLUSTER["redis"]  # this test's own Redis database
    else:
        environment["CACHE_DIR"] = settings.CACHES["default"]["LOCATION"]  # the ORM broker keeps stats there
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _health(client)[1]["checks"]["worker"] and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _health(client) == (
            200,
            {"status": "ok", "checks": {"database": True, "cache": True, "media": True, "worker": True}},
        )
    finally:
        cluster.terminate()
        cluster.wait(timeout=30)
    deadline = time.monotonic() + 15
    while _health(client)[1]["checks"]["worker"] and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _health(client)[1]["checks"]["worker"] is False
