"""Acceptances racing for the last slot or table, against a live server: nobody and no table is booked twice.

Each person is a real browser session (as a spent personal link leaves it)
sending the accept form's POST with its CSRF token, all released at one
barrier. Run on SQLite by default and on PostgreSQL with DATABASE_URL set.
"""

import secrets
import threading
import time
import urllib.error
import urllib.request
from importlib import import_module

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from events.links import SESSION_KEY
from sessions.enums import MeetingRequestStatus
from sessions.meetings import placing, requests
from sessions.models import Meeting, MeetingHold, MeetingRequest
from tests.agenda.meetings.factories import make_business, make_kol, make_rules

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _browser_session(participant):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = {str(participant.event_id): [participant.pk, time.time_ns()]}
    session.save()
    return session.session_key


def _accept(live_server, request, session_key):
    return _post(live_server, reverse("agenda:meetings_accept", args=[request.event.slug, request.pk]), session_key)


def _post(live_server, path, session_key, data=b""):
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked token for the cookie and the header

    def work():
        post = urllib.request.Request(
            f"{live_server.url}{path}",
            method="POST",
            data=data,
            headers={
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
            },
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(post, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    return work


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 back to the list is the answer


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


def _pairs(event, count):
    """`count` businesses, each having asked their own KOL; returns [(request, KOL's browser session)]."""
    found = []
    for n in range(count):
        kol = make_kol(event, f"Nguyễn Thị Kênh {n}", email=f"kol{n}@example.vn")
        business = make_business(event, f"Trần Văn Hàng {n}", email=f"dn{n}@example.vn")
        found.append((requests.send_request(sender=business, recipient_id=kol.pk), _browser_session(kol)))
    return found


def test_ten_acceptances_for_the_last_table_place_one_meeting(live_server, event):
    make_rules(event, windows=[("14:00", "14:20")], tables=1)  # one slot, one table
    pairs = _pairs(event, 10)

    results = _race([_accept(live_server, request, session) for request, session in pairs])

    assert results == [302] * 10  # each is sent back to the list with a message, none gets a 500
    assert MeetingRequest.objects.filter(status=MeetingRequestStatus.ACCEPTED).count() == 1
    assert MeetingRequest.objects.filter(status=MeetingRequestStatus.PENDING).count() == 9
    assert Meeting.objects.count() == 1 and MeetingHold.objects.count() == 2


def test_one_person_accepting_six_requests_at_once_is_in_one_place_per_slot(live_server, event):
    make_rules(event, windows=[("14:00", "14:40")], tables=10)  # two slots, tables to spare
    kol = make_kol(event, "Nguyễn Thị Cường", email="cuong@example.vn")
    session = _browser_session(kol)
    asked = [
        requests.send_request(
            sender=make_business(event, f"Trần Văn Hàng {n}", email=f"dn{n}@example.vn"), recipient_id=kol.pk
        )
        for n in range(6)
    ]

    results = _race([_accept(live_server, request, session) for request in asked])

    assert results == [302] * 6
    starts = sorted(Meeting.objects.filter(holds__participant=kol).values_list("starts_at", flat=True))
    assert len(starts) == 2 and starts[0] != starts[1]
    assert MeetingRequest.objects.filter(status=MeetingRequestStatus.ACCEPTED).count() == 2


def test_five_requests_sent_at_once_past_a_cap_of_two_leave_two(live_server, event):
    # The guard is send_request's lock on the sender's row: without it PostgreSQL let 4 of 5 through.
    make_rules(event, requests_per_person=2)
    business = make_business(event, email="binh@suaviet.vn")
    session = _browser_session(business)
    kols = [make_kol(event, f"Nguyễn Thị Kênh {n}", email=f"kol{n}@example.vn") for n in range(5)]
    paths = [reverse("agenda:meetings_request", args=[event.slug, kol.pk]) for kol in kols]

    results = _race([_post(live_server, path, session, b"message=Xin+g%E1%BA%B7p") for path in paths])

    assert results == [302] * 5
    assert MeetingRequest.objects.filter(sender=business).count() == 2


def test_control_reading_the_free_tables_alone_would_double_book(event):
    """The race is real: everyone who reads placing.free_tables before anyone writes sees the same table free;
    only the table's unique constraint keeps the second and later inserts out."""
    rules = make_rules(event, windows=[("14:00", "14:20")], tables=1)
    pairs = _pairs(event, 6)
    slot = placing.slots(rules)[0]
    barrier = threading.Barrier(len(pairs))
    outcomes = []

    def naive(request):
        place, table = placing.free_tables(rules, slot)[0]
        barrier.wait()  # everyone has seen table 1 free before anyone books it
        try:
            with transaction.atomic():
                Meeting.objects.create(
                    request=request,
                    event=event,
                    place=place,
                    table=table,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                )
            outcomes.append((place.pk, table))
        except IntegrityError:
            outcomes.append("refused")

    _race([lambda request=request: naive(request) for request, _session in pairs])

    assert outcomes.count("refused") == 5 and len(set(outcomes) - {"refused"}) == 1
