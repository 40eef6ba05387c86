"""`manage.py seed_demo`: the door rehearsal is held today, so a demo badge scans as admitted."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from events.enums import Category
from events.models import Event
from events.services import move_event
from sessions import selectors as agenda
from sessions.models import Publication
from ticketing.demo import demo_badge_path
from ticketing.models import Badge, CheckIn
from ticketing.services import checkin, devices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_badge_dir(settings, tmp_path):
    settings.DEMO_BADGE_DIR = tmp_path / "demo"
    settings.MEDIA_ROOT = tmp_path / "media"


def seed():
    call_command("seed_demo", participants=20, verbosity=0)
    return Event.objects.get(slug="dien-tap")


def demo_badge(event):
    return Badge.objects.select_related("participant").get(
        participant__event=event, participant__full_name="Trần Thị Thu Hằng"
    )


def test_rehearsal_demo_badge_scans_as_admitted_today():
    rehearsal = seed()

    outcome = checkin.scan(
        code=demo_badge(rehearsal).code, gate="Cổng A", by=User.objects.get(username="soatve"), event_slug="dien-tap"
    )

    assert outcome.result == "admitted"
    assert (rehearsal.start_date, rehearsal.end_date) == (timezone.localdate(), timezone.localdate())
    assert demo_badge_path(rehearsal) == settings.DEMO_BADGE_DIR / "the-dien-tap.pdf"
    assert demo_badge_path(rehearsal).read_bytes().startswith(b"%PDF")


def test_rehearsal_has_every_kind_with_a_badge_gates_and_a_published_agenda():
    rehearsal = seed()

    kinds = sorted(Badge.objects.filter(participant__event=rehearsal).values_list("participant__category", flat=True))
    assert kinds == sorted(
        [Category.KOL] * 3 + [Category.REGULATOR] * 2 + [Category.BUSINESS] * 2 + [Category.PLATFORM] * 2
    )
    assert sorted(device.gate for device in devices.scanner_devices(rehearsal)) == ["Cổng A", "Cổng B"]
    published = agenda.published_agenda(rehearsal)
    assert (published.days, len(published.sessions)) == ([timezone.localdate()], 9)


def test_seed_demo_again_next_day_moves_the_rehearsal_and_its_agenda_to_today():
    rehearsal = seed()
    move_event(event=rehearsal, start_date=timezone.localdate() - timedelta(days=7))  # as if seeded last week
    last_week = timezone.now() - timedelta(days=7)
    checkin.scan(code=demo_badge(rehearsal).code, gate="Cổng A", by=User.objects.get(username="soatve"), now=last_week)

    rehearsal = seed()

    assert (rehearsal.start_date, rehearsal.end_date) == (timezone.localdate(), timezone.localdate())
    assert agenda.published_agenda(rehearsal).days == [timezone.localdate()]
    assert Publication.objects.filter(event=rehearsal).count() == 3
    assert Event.objects.filter(slug="dien-tap").count() == 1
    outcome = checkin.scan(
        code=demo_badge(rehearsal).code, gate="Cổng B", by=User.objects.get(username="truongcua"), event_slug="dien-tap"
    )
    assert outcome.result == "admitted"  # last week's admission was for last week's rehearsal
    assert CheckIn.objects.filter(event=rehearsal).count() == 2


def test_seed_demo_twice_the_same_day_changes_nothing():
    rehearsal = seed()
    before = (Badge.objects.count(), Publication.objects.count(), len(devices.scanner_devices(rehearsal)))

    seed()

    assert (Badge.objects.count(), Publication.objects.count(), len(devices.scanner_devices(rehearsal))) == before


def test_only_the_rehearsal_gets_badges_and_mail_while_seeding(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the jobs run once seed_demo commits
        seed()

    assert not Badge.objects.filter(participant__event__slug="kol-2027").exists()
    recipients = {address for message in mailoutbox for address in message.to}
    assert recipients and all(address.endswith("@dientap.example.vn") for address in recipients)
    assert not (settings.DEMO_BADGE_DIR / "the-kol-2027.pdf").exists()
