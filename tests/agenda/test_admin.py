"""The agenda's records in the admin read as sentences, not JSON: a version's changelog, an override's conflicts."""

import pytest
from django.urls import reverse

from sessions import services
from sessions.models import ConflictOverride
from tests.agenda.factories import at, make_session

pytestmark = pytest.mark.django_db


def shown(client, url):
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "[{&quot;" not in body and "{&quot;" not in body, "raw JSON on the page"
    return body


def test_a_published_versions_changelog_reads_like_the_public_changes_page(organizer_client, event, hall, organizer):
    opening = make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    services.publish_agenda(event=event, by=organizer)
    services.update_session(
        session=opening, changes={"starts_at": at(event, "13:00"), "ends_at": at(event, "14:00")}, by=organizer
    )
    second = services.publish_agenda(event=event, by=organizer)

    body = shown(organizer_client, reverse("admin:agenda_publication_change", args=[second.pk]))

    assert "<li><strong>Khai mạc</strong> · Đổi giờ: Thứ 7 14/8 09:00–10:00 → Thứ 7 14/8 13:00–14:00</li>" in body


def test_an_overrides_conflicts_are_listed_by_their_messages(organizer_client, event, hall, organizer):
    make_session(event, hall, "09:00", "10:00", title_vi="Khai mạc")
    clash = make_session(event, hall, "09:30", "10:30", title_vi="Tin giả")
    services.update_session(session=clash, changes={"title_vi": "Tin giả và trách nhiệm"}, by=organizer, override=True)
    override = ConflictOverride.objects.get()
    message = override.conflicts[0]["message"]

    body = shown(organizer_client, reverse("admin:agenda_conflictoverride_change", args=[override.pk]))

    assert f"<li>{message}</li>" in body
