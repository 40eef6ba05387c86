"""A MEDIA_ROOT that cannot be written (issue #16, item 5), against gunicorn: clear answers, not 500s."""

import os
import subprocess

import pytest
import requests
from django.conf import settings

from .conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def read_only_media(tmp_path):
    """A read-only file system (a read-only tmpfs as root, else a folder without write permission)."""
    media = tmp_path / "media"
    media.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(media)]).returncode == 0
    )
    if not mounted:
        media.chmod(0o500)
    yield media
    if mounted:
        subprocess.run(["umount", str(media)], check=True)
    else:
        media.chmod(0o700)


def test_read_only_media_answers_clear_pages_and_health_says_so(gunicorn_server, event, organizer, read_only_media):
    from events.links import magic_link
    from tests.events.factories import make_participant
    from tests.ticketing.factories import make_free_type
    from ticketing.services.issuing import issue_free_pass

    make_free_type(event, "kol")
    holder = make_participant(event, full_name="Nguyễn Tiến Cường", status="approved")
    issue_free_pass(holder)  # its badge PDF is not cached yet: a download must write it
    base, _log = gunicorn_server(TEST_MEDIA_ROOT=read_only_media)
    person = requests.Session()
    submit(person, magic_link(holder).replace(settings.SITE_URL, base), {})
    organizer_api = requests.Session()
    submit(organizer_api, f"{base}/admin/login/", {"username": "bantochuc", "password": "pw-bantochuc"})

    health = requests.get(f"{base}/health", timeout=30)
    page = person.get(f"{base}/e/{event.slug}/me/badge.pdf", timeout=30)
    api = organizer_api.get(f"{base}/api/v1/participants/{holder.pk}/badge.pdf", timeout=30)

    assert (health.status_code, health.json()["status"], health.json()["checks"]["media"]) == (200, "degraded", False)
    assert page.status_code == 503 and "Hiện không lưu được tệp" in page.text
    assert (api.status_code, api.json()["code"]) == (503, "storage_unavailable")
