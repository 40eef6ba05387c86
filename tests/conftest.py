"""Shared fixtures: realistic Vietnamese data, staff users, and Debian's Chromium for browser tests."""

import contextlib
import os
import socket
import threading
import time
import warnings
from datetime import date

import pytest

# Playwright's sync API runs an asyncio loop in the test thread; Django would
# otherwise refuse ORM calls from browser tests. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download does not work here; Debian's Chromium does.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture(autouse=True)
def _live_server_settles(request):
    """After a test that used the live server, wait for the requests it left running.

    A browser page closed mid-poll leaves its request running in the (session-wide) live server.
    On PostgreSQL that request's transaction can deadlock the TRUNCATE with which pytest-django
    flushes after a transactional test, and the next test then finds the last one's rows. This
    fixture is set up after pytest-django's own, so it is torn down before the flush.
    """
    server = request.getfixturevalue("live_server") if "live_server" in request.fixturenames else None
    yield
    if server is None:
        return
    httpd = server.thread.httpd
    handlers = [t for t in threading.enumerate() if getattr(getattr(t, "_target", None), "__self__", None) is httpd]
    deadline = time.monotonic() + 2
    for thread in handlers:
        thread.join(max(0.0, deadline - time.monotonic()))
    # What still runs is mostly a browser's idle keep-alive connection waiting for its next request;
    # closing its socket ends the handler (a request still being answered fails to write, harmlessly).
    for thread in handlers:
        if thread.is_alive():
            with contextlib.suppress(OSError):
                thread._args[0].shutdown(socket.SHUT_RDWR)
    deadline = time.monotonic() + 10
    for thread in handlers:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            warnings.warn(f"{request.node.nodeid}: a live-server request still runs after 12 s", stacklevel=1)
            return


@pytest.fixture
def event(db):
    from events.enums import EventStatus
    from events.models import Event

    return Event.objects.create(
        slug="kol-2027",
        name_vi="Hội nghị KOL toàn quốc lần thứ nhất",
        name_en="First National KOL Conference",
        start_date=date(2027, 8, 14),
        end_date=date(2027, 8, 15),
        venue="Trung tâm Hội nghị Quốc gia",
        status=EventStatus.PUBLISHED,
    )


@pytest.fixture
def open_event(event):
    """The event runs today (local time): its doors are open for check-in."""
    from django.utils import timezone

    event.start_date = event.end_date = timezone.localdate()
    event.save()
    return event


def _user(username, role=None, *, is_staff=False):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password="pw-" + username, is_staff=is_staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def organizer(db):
    from events.permissions import ORGANIZER

    return _user("bantochuc", ORGANIZER, is_staff=True)


@pytest.fixture
def door_staff(db):
    from events.permissions import DOOR_STAFF

    return _user("soatve", DOOR_STAFF)


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


@pytest.fixture
def count_queries():
    """count_queries(fn) -> how many SQL queries fn() ran (for "constant at two sizes" tests)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(fn):
        with CaptureQueriesContext(connection) as context:
            fn()
        return len(context.captured_queries)

    return run
