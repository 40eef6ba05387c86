"""The demo agenda seeded by `manage.py seed_demo`."""

import pytest
from django.core.management import call_command

from events.models import Event
from sessions import selectors
from sessions.models import Publication, Room, Session, Track

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_published_two_day_agenda_without_conflicts():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    event = Event.objects.get(slug="kol-2027")
    agenda = selectors.published_agenda(event)
    draft = selectors.builder_data(event)
    assert Room.objects.filter(event=event).count() == 4
    assert sorted(Track.objects.filter(event=event).values_list("slug", flat=True)) == [
        "digital-safety",
        "legal-framework",
        "misinformation",
        "responsible-influence",
    ]
    assert agenda.days == [event.start_date, event.end_date]
    assert (Publication.objects.filter(event=event).count(), agenda.number) == (1, 1)
    assert len(agenda.sessions) == Session.objects.filter(event=event).count() == 15
    assert [entry["conflicts"] for entry in draft["sessions"] if entry["conflicts"]] == []
    assert Session.objects.filter(event=event, capacity__isnull=False, format="roundtable").count() == 3
