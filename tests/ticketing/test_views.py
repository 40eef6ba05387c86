import pytest
from django.urls import reverse

from events import links
from events.enums import ParticipantStatus
from tests.events.factories import make_participant
from ticketing.models import Badge

from .conftest import decoded_codes, pdf_pages

pytestmark = pytest.mark.django_db


def open_personal_page(client, participant):
    client.get(links.magic_link(participant).removeprefix("http://127.0.0.1:8000"))
    return client.get(reverse("events:personal_page", args=[participant.event.slug]))


def test_personal_page_of_an_approved_participant_shows_the_badge(client, approved):
    page = open_personal_page(client, approved).content.decode()

    badge = Badge.objects.get(participant=approved)
    assert reverse("ticketing:badge_download", args=[approved.event.slug]) in page
    assert badge.code in page


def test_personal_page_of_a_pending_participant_shows_no_badge(client, event):
    pending = make_participant(event, status=ParticipantStatus.PENDING)

    page = open_personal_page(client, pending).content.decode()

    assert reverse("ticketing:badge_download", args=[event.slug]) not in page
    assert Badge.objects.count() == 0


def test_badge_download_gives_own_badge(client, approved, tmp_path):
    open_personal_page(client, approved)

    response = client.get(reverse("ticketing:badge_download", args=[approved.event.slug]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    (page,) = pdf_pages(b"".join(response.streaming_content), tmp_path)
    assert decoded_codes(page) == [Badge.objects.get(participant=approved).code]


def test_badge_download_without_a_magic_link_session_is_404(client, approved):
    assert client.get(reverse("ticketing:badge_download", args=[approved.event.slug])).status_code == 404


def test_badge_download_of_a_pending_participant_is_404(client, event):
    pending = make_participant(event, status=ParticipantStatus.PENDING)
    open_personal_page(client, pending)

    assert client.get(reverse("ticketing:badge_download", args=[event.slug])).status_code == 404


def test_badge_download_serves_the_sessions_own_participant_only(client, event, approved):
    other = make_participant(event, full_name="Phạm Đức Mạnh", status=ParticipantStatus.APPROVED)
    open_personal_page(client, other)

    client.get(reverse("ticketing:badge_download", args=[event.slug]))

    assert list(Badge.objects.values_list("participant_id", flat=True)) == [other.pk]


def test_personal_page_shows_a_qr_that_decodes_to_the_badge_code(client, approved):
    import base64
    import io
    import re

    from PIL import Image

    page = open_personal_page(client, approved).content.decode()

    png = base64.b64decode(re.search(r'class="badge-qr" src="data:image/png;base64,([^"]+)"', page).group(1))
    image = Image.open(io.BytesIO(png))
    assert image.size == (45, 45)  # one pixel per module: 37 modules (version 5) and a 4-module quiet zone
    image = image.convert("L").resize((360, 360), Image.NEAREST)  # as the page scales it, crisp
    assert decoded_codes(image) == [Badge.objects.get(participant=approved).code]
