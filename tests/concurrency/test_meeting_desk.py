"""The meeting desk, against a live server: two desks scanning the same badges in the same instant check each
person in once (one desk says "checked in", the other "already checked in"; the first time stays)."""

import re
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.meetings import requests
from sessions.models import MeetingHold, MeetingPlace, MeetingRules, MeetingWindow
from tests.agenda.meetings.factories import make_business, make_kol
from ticketing.services import issue_badge

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

SCANS_PER_BADGE = 4


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the badges' QR images


def _staff_session(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _scan(live_server, path, session_key, code):
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked token for the cookie and the header
    post = urllib.request.Request(
        f"{live_server.url}{path}",
        method="POST",
        data=urllib.parse.urlencode({"code": code}).encode(),
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "en",
        },
    )

    def work():
        try:
            with urllib.request.urlopen(post, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    return work


def _race(workers):
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_desks_scanning_the_same_badges_at_once_check_each_person_in_once(live_server, open_event, door_staff):
    rules = MeetingRules.objects.create(event=open_event, open=True)
    start = timezone.now() - timedelta(minutes=5)
    MeetingWindow.objects.create(rules=rules, starts_at=start, ends_at=start + timedelta(hours=1))
    MeetingPlace.objects.create(rules=rules, name_vi="Khu kết nối tầng 2", tables=2)
    kol, business = make_kol(open_event), make_business(open_event)
    request = requests.send_request(sender=business, recipient_id=kol.pk)
    requests.accept_request(request_id=request.pk, by=kol)
    path = reverse("agenda:meetings_desk", args=[open_event.slug])
    codes = [issue_badge(kol).code, issue_badge(business).code]
    session = _staff_session(door_staff)

    results = _race([_scan(live_server, path, session, code) for code in codes for _ in range(SCANS_PER_BADGE)])

    assert [result[0] for result in results] == [200] * len(results), results
    for index, person in enumerate([kol, business]):
        told = [
            re.search(r"already checked in|checked in now", body).group()
            for _status, body in results[index * SCANS_PER_BADGE : (index + 1) * SCANS_PER_BADGE]
        ]
        assert sorted(told) == ["already checked in"] * (SCANS_PER_BADGE - 1) + ["checked in now"], person
    assert MeetingHold.objects.filter(checked_in_at__isnull=False, checked_in_by=door_staff).count() == 2
