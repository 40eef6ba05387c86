"""Real concurrent registrations against a live server: codes and e-mails are taken exactly once."""

import threading
import time
from collections import Counter

import pytest
import requests

from events import services
from events.enums import Category
from events.models import Invitation, Participant
from tests.events.factories import api_registration, make_invitation

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

RACERS = 8


def _race(url, bodies):
    """POST every body at once (threads released together by a barrier); [(status, json), …]."""
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def post(index, body):
        barrier.wait()
        try:
            response = requests.post(url, json=body, headers={"Accept-Language": "vi"}, timeout=60)
        except requests.RequestException as error:
            results[index] = ("error", repr(error))
            return
        try:
            payload = response.json()
        except ValueError:
            payload = response.text[:500]
        results[index] = (response.status_code, payload)

    threads = [threading.Thread(target=post, args=(index, body)) for index, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(result is not None for result in results), results
    return results


def _url(live_server, event):
    return f"{live_server.url}/api/v1/events/{event.slug}/registrations"


def _regulators(invitation):
    return [
        api_registration(
            category=Category.REGULATOR,
            full_name="Phạm Quốc Hưng",
            organization="Cục Phát thanh, truyền hình và thông tin điện tử",
            email=f"can-bo-{number}@mic.gov.vn",
            channels=[],
            invitation_code=invitation.code,
        )
        for number in range(RACERS)
    ]


def _statuses(results):
    return Counter(status for status, _ in results)


def test_single_use_invitation_raced_by_eight_admits_exactly_one(live_server, event):
    invitation = make_invitation(event, Category.REGULATOR)

    results = _race(_url(live_server, event), _regulators(invitation))

    assert _statuses(results) == {202: 1, 400: RACERS - 1}, results
    refused = [body for status, body in results if status == 400]
    assert {body["code"] for body in refused} == {"invitation_used_up"}
    assert {body["field"] for body in refused} == {"invitation_code"}
    assert Invitation.objects.get().uses == 1
    assert Participant.objects.count() == 1
    assert Participant.objects.get().invitation == invitation


def test_invitation_race_is_real_without_the_conditional_update(live_server, event, monkeypatch):
    """Control: a read-then-write use counter lets several racers share one single-use code."""
    invitation = make_invitation(event, Category.REGULATOR)

    def naive_take_use(stale):
        time.sleep(0.05)
        Invitation.objects.filter(pk=stale.pk).update(uses=stale.uses + 1)

    monkeypatch.setattr(services, "_take_invitation_use", naive_take_use)

    results = _race(_url(live_server, event), _regulators(invitation))

    admitted = _statuses(results)[202]
    assert admitted > 1, results
    assert not [status for status, _ in results if status == "error" or status >= 500], results
    assert Participant.objects.count() == admitted
    assert Invitation.objects.get().uses == 1  # lost updates: the counter never noticed the extra guests


def test_same_email_raced_by_eight_registers_once(live_server, event):
    body = api_registration(email="thao.tran@example.vn")

    results = _race(_url(live_server, event), [dict(body) for _ in range(RACERS)])

    # Every racer hears the same answer (no enumeration); one registration exists.
    assert _statuses(results) == {202: RACERS}, results
    assert Participant.objects.count() == 1
    assert Participant.objects.get().email == "thao.tran@example.vn"
