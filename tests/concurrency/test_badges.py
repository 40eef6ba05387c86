"""Many first requests for one badge at once: exactly one badge is signed and one e-mail sent."""

import json
import threading
import urllib.request

import pytest
from django.core import mail

from events.enums import ParticipantStatus
from tests.events.factories import make_participant
from ticketing.models import Badge, EventKey

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fetch_all(url, headers):
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def fetch(index):
        barrier.wait()  # release all requests together
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            results[index] = (response.status, response.read())

    threads = [threading.Thread(target=fetch, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_first_badge_requests_sign_one_badge_and_send_one_email(live_server, event):
    participant = make_participant(event, status=ParticipantStatus.APPROVED)

    results = fetch_all(f"{live_server.url}/api/v1/registration/badge", {"X-Registration-Token": participant.token})

    codes = {json.loads(body)["code"] for _status, body in results}
    assert [status for status, _body in results] == [200] * THREADS
    assert codes == {Badge.objects.get(participant=participant).code}
    assert Badge.objects.count() == 1
    assert EventKey.objects.count() == 1
    assert [message.to for message in mail.outbox] == [[participant.email]]


def test_concurrent_first_key_requests_create_one_event_key(live_server, event):
    results = fetch_all(f"{live_server.url}/api/v1/events/{event.slug}/badge-keys", {})

    keys = {json.loads(body)[0]["public_key_hex"] for _status, body in results}
    assert [status for status, _body in results] == [200] * THREADS
    assert keys == {bytes(EventKey.objects.get(event=event).public_key).hex()}


def test_concurrent_first_pdf_downloads_all_get_the_badge_and_leave_one_file(live_server, event, settings):
    participant = make_participant(event, status=ParticipantStatus.APPROVED)

    results = fetch_all(f"{live_server.url}/api/v1/registration/badge.pdf", {"X-Registration-Token": participant.token})

    assert [status for status, _body in results] == [200] * THREADS
    assert all(body.startswith(b"%PDF-") for _status, body in results)
    folder = settings.MEDIA_ROOT / "badges" / str(event.pk)
    assert [path.name.split("-")[0] for path in folder.iterdir()] == [str(participant.pk)]
