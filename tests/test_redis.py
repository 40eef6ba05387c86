"""Redis as the job broker and the cache, for real (issue #9, point 5).

The rest of the suite runs background jobs inline (tests/settings.py), so these
tests are the ones that prove the production path: the app enqueues through
Redis and a separately started `manage.py qcluster` takes the job from there;
the cache lives in the Redis server, shared by every app process (rate limits
count there).

They need the server at REDIS_URL. Without REDIS_URL they are skipped, except
when CI is set: CI's Redis run (.ci/run) must exercise Redis, so there a
missing REDIS_URL fails instead of skipping quietly.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from conference.settings import env_bool

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.redis


@pytest.fixture(autouse=True)
def redis_required():
    if not REDIS_URL:
        if env_bool("CI"):
            pytest.fail("CI is set but REDIS_URL is not: the Redis run must exercise the Redis server")
        pytest.skip("REDIS_URL is not set")


def test_cache_lives_in_the_redis_server():
    import redis
    from django.core.cache import caches

    cache = caches["default"]

    server = redis.Redis.from_url(settings.REDIS_URL)  # this test process's own database
    cache.delete("redis-counter")

    cache.add("redis-counter", 0, 60)  # how the rate limits count: add, then incr (atomic on Redis)
    cache.incr("redis-counter")
    cache.incr("redis-counter")

    assert type(cache).__name__ == "RedisCache"
    assert server.get(cache.make_key("redis-counter")) == b"2"  # in the server every app process talks to
    assert 0 < server.ttl(cache.make_key("redis-counter")) <= 60


def _database_url(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{credentials}{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


def _start_cluster(tmp_path):
    from django.db import connection

    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "Q_SYNC"}},
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "DATA_DIR": str(tmp_path),
        "Q_WORKERS": "1",
    }
    log = open(tmp_path / "qcluster.log", "w")  # noqa: SIM115 - closed with the process below
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def _stop_cluster(process, log):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group of the cluster this test started, nothing else
        process.wait()
    log.close()


@pytest.mark.django_db(transaction=True)
def test_approval_jobs_go_through_redis_to_a_running_qcluster(event, organizer, tmp_path, monkeypatch):
    """Approving an application enqueues its e-mail and badge jobs on commit; a real cluster runs them."""
    from django_q.brokers import get_broker
    from django_q.conf import Conf
    from django_q.models import Success

    from events import services
    from events.enums import ParticipantStatus
    from tests.events.factories import make_participant
    from ticketing.models import Badge

    monkeypatch.setattr(Conf, "SYNC", False)  # this test wants the queue, not the inline shortcut
    broker = get_broker()
    assert type(broker).__name__ == "Redis"
    broker.purge_queue()
    kol = make_participant(event, full_name="Nguyễn Thị Thanh Hương", email="huong@example.vn")

    services.decide_application(participant=kol, decision=ParticipantStatus.APPROVED, by=organizer)

    assert broker.queue_size() == 2  # status e-mail and after-approval, waiting in Redis
    assert not Badge.objects.filter(participant=kol).exists()
    process, log = _start_cluster(tmp_path)
    try:
        deadline = time.monotonic() + 90
        # after_approval issues the badge and enqueues its e-mail, through Redis too: three jobs.
        while Success.objects.count() < 3 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.25)
    finally:
        _stop_cluster(process, log)
    assert sorted(Success.objects.values_list("func", flat=True)) == [
        "events.tasks.after_approval",
        "events.tasks.send_status_email",
        "ticketing.tasks.send_badge_email",
    ], (tmp_path / "qcluster.log").read_text()
    assert broker.queue_size() == 0
    assert Badge.objects.filter(participant=kol).exists()
    mails = sorted(path.name for path in (tmp_path / "mail").iterdir())
    assert len(mails) == 2  # the status e-mail and the badge e-mail, written by the cluster's file backend
