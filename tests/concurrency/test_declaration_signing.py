"""Real concurrent signing requests against a live server: the chain stays one line, nobody signs twice.

Run on SQLite by default and on PostgreSQL with DATABASE_URL set.
"""

import itertools
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.conf import settings
from django.urls import reverse

from events import links
from events.declarations import selectors
from events.models import ChainEntry, Declaration
from tests.events.conftest import make_declaration
from tests.events.factories import make_participant

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

SIGNERS = 8
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One participant's phone: a cookie jar, signed in through their magic link."""

    def __init__(self, live_server, participant):
        self.base = live_server.url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)
        self.participant = participant
        link = links.magic_link(participant).replace(settings.SITE_URL, self.base)
        status, body = self._open(link)  # the link's page; its button spends the link (a POST)
        assert status == 200, body[:500]
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF.search(body).group(1)}).encode()
        status, body = self._open(link, data=form)
        assert status == 302, body[:500]

    def _open(self, url, data=None):
        try:
            with self.opener.open(url, data=data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def prepare(self, declaration):
        self.url = self.base + reverse("declarations:sign", args=[declaration.event.slug, declaration.slug])
        status, body = self._open(self.url)
        assert status == 200, body[:500]
        self.token = CSRF.search(body).group(1)

    def sign(self):
        fields = {
            "csrfmiddlewaretoken": self.token,
            "typed_name": self.participant.full_name,
            "consent": "on",
            "public": "yes",
        }
        return self._open(self.url, urllib.parse.urlencode(fields).encode())


def fire_together(calls):
    """Run the calls in threads released at the same instant; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def browsers_for(live_server, declaration, count, prefix):
    people = [
        make_participant(declaration.event, full_name=f"Nguyễn Văn {prefix}{number}", status="approved")
        for number in range(count)
    ]
    browsers = [Browser(live_server, person) for person in people]
    for browser in browsers:
        browser.prepare(declaration)
    return browsers


def test_concurrent_signings_keep_the_chain_linear(live_server, event):
    declaration = make_declaration(event)
    browsers = browsers_for(live_server, declaration, SIGNERS, "Ký")
    results = fire_together([browser.sign for browser in browsers])
    assert [status for status, _body in results] == [302] * SIGNERS
    entries = list(ChainEntry.objects.filter(declaration=declaration).order_by("sequence"))
    assert [entry.sequence for entry in entries] == list(range(1, SIGNERS + 1))
    assert len({entry.participant_id for entry in entries}) == SIGNERS
    assert all(later.previous_hash == earlier.entry_hash for earlier, later in itertools.pairwise(entries))
    result = selectors.verify_chain(declaration)
    assert (result.ok, result.entries) == (True, SIGNERS)


def test_concurrent_double_signing_records_one_signature(live_server, event):
    declaration = make_declaration(event)
    [browser] = browsers_for(live_server, declaration, 1, "Đúp")
    results = fire_together([browser.sign] * 6)
    assert sorted(status for status, _body in results) == [302] + [400] * 5
    assert sum("Bạn đã ký văn kiện này rồi." in body for _status, body in results) == 5
    assert ChainEntry.objects.filter(declaration=declaration).count() == 1


def test_control_without_the_lock_signers_race_for_the_same_chain_position(live_server, event, settings):
    """The race is real: reading the head without the lock, concurrent signers collide on one position.

    The unique (declaration, sequence) and (declaration, previous_hash)
    constraints keep the fork out of the database, so the losers are told
    "busy, try again" instead of being signed: the lock is what lets them all in.
    """
    settings.DECLARATION_CHAIN_LOCK = False
    collided = []
    for attempt in range(5):
        declaration = make_declaration(event, f"doi-chung-{attempt}")
        browsers = browsers_for(live_server, declaration, SIGNERS, f"Thử{attempt}-")
        results = fire_together([browser.sign for browser in browsers])
        busy = sum("Đang có nhiều người ký cùng lúc" in body for _status, body in results)
        if busy:
            collided.append(busy)
            assert Declaration.objects.get(pk=declaration.pk).chain_length == SIGNERS - busy
            assert selectors.verify_chain(declaration).ok  # the constraints kept the chain one line
            break
    assert collided, "without the lock no two signers ever collided: the control shows no race"
