"""A hall votes at once: 500 phones upvote one question in the same instant against a live server.

Each phone is a real browser session of a participant (as a spent personal link
leaves it) and sends a real POST with its CSRF token. The count must be exactly
the number of people; one person tapping twice at once counts once. Run on
SQLite by default and on PostgreSQL with DATABASE_URL set.
"""

import secrets
import threading
import time
import urllib.error
import urllib.request
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.urls import reverse

from events.enums import ParticipantStatus
from events.links import SESSION_KEY
from events.models import Participant
from sessions import services as agenda_services
from sessions.floor import services
from sessions.models import Question, QuestionVote
from tests.agenda.factories import make_room, make_session

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

HALL = 500


@pytest.fixture
def question(event, organizer):
    room = make_room(event, "Hội trường Thống Nhất", capacity=800)
    session = make_session(event, room, format="roundtable", title_vi="Bàn tròn mở: KOL và pháp luật")
    agenda_services.publish_agenda(event=event, by=organizer)
    asker = Participant.objects.create(
        event=event, full_name="Người hỏi", email="nguoihoi@example.vn", status=ParticipantStatus.APPROVED
    )
    asked = services.ask_question(session=session, participant=asker, text="KOL có cần giấy phép hành nghề?")
    services.moderate_question(session=session, question_id=asked.pk, action="approve")
    return asked


def _hall(event, count):
    """`count` participants, each with a browser session as their spent personal link leaves it."""
    Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                full_name=f"Đại biểu {n}",
                email=f"daibieu{n}@example.vn",
                status=ParticipantStatus.APPROVED,
            )
            for n in range(count)
        ]
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    phones = []
    for pk in Participant.objects.filter(email__startswith="daibieu").values_list("pk", flat=True):
        session = store()
        session[SESSION_KEY] = {str(event.pk): [pk, time.time_ns()]}
        session.save()
        phones.append(session.session_key)
    return phones


def _vote(live_server, question, session_key):
    path = reverse(
        "agenda:floor_vote",
        kwargs={"slug": question.session.event.slug, "pk": question.session_id, "question_id": question.pk},
    )
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked token for the cookie and the header

    def work():
        request = urllib.request.Request(
            f"{live_server.url}{path}",
            method="POST",
            data=b"",
            headers={
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "X-Floor": "1",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    return work


def _in_flight():
    """How many requests may be in flight together.

    The test server opens one database connection per request thread. SQLite takes all 500 at
    once; PostgreSQL refuses clients past max_connections (100 by default, shared with other
    test runs), so there the hall votes in waves of 60 (a production server has a fixed number of
    gunicorn workers, each with one connection, so the database never sees 500 either).
    """
    return 60 if connection.vendor == "postgresql" else HALL * 2


def _race(workers):
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)
    gate = threading.BoundedSemaphore(_in_flight())

    def run(index, work):
        try:
            barrier.wait()
            with gate:
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


def test_500_votes_at_once_count_exactly_500(live_server, event, question):
    phones = _hall(event, HALL)

    results = _race([_vote(live_server, question, phone) for phone in phones])

    assert {status: results.count(status) for status in set(results)} == {200: HALL}
    assert Question.objects.get(pk=question.pk).votes == HALL
    assert QuestionVote.objects.filter(question=question).count() == HALL


def test_one_person_voting_twice_at_once_counts_once(live_server, event, question):
    phones = _hall(event, 5)
    taps = [_vote(live_server, question, phone) for phone in phones for _twice in range(2)]

    results = _race(taps)

    assert results == [200] * 10  # the second tap is a no-op, not an error
    assert Question.objects.get(pk=question.pk).votes == 5
    assert QuestionVote.objects.filter(question=question).count() == 5


def test_control_read_then_write_count_loses_votes(live_server, event, question):
    """The race is real: reading the count and writing count + 1 (no F() expression) loses votes."""
    phones = _hall(event, 20)
    barrier = threading.Barrier(len(phones))

    def naive():
        seen = Question.objects.get(pk=question.pk).votes
        barrier.wait()  # everyone has read the old count before anyone writes
        Question.objects.filter(pk=question.pk).update(votes=seen + 1)

    _race([naive for _phone in phones])

    assert Question.objects.get(pk=question.pk).votes < len(phones)
    Question.objects.filter(pk=question.pk).update(votes=F("votes"))  # (the count is the guard's, not this test's)
