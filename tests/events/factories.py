"""Realistic Vietnamese test data for the events app."""

from django.conf import settings

from events.consent import CONSENT_TEXTS
from events.enums import Category, ConsentPurpose, ParticipantStatus
from events.models import Consent, Invitation, Participant


def registration_data(**overrides):
    """POST data for the registration page (KOL with one channel unless overridden)."""
    data = {
        "full_name": "Nguyễn Tiến Cường",
        "title": "Nhà sáng tạo nội dung",
        "organization": "",
        "email": "cuong.nguyen@example.vn",
        "phone": "0912 345 678",
        "consent_participation": "on",
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-0-platform": "tiktok",
        "channels-0-handle": "@cuongnguyen",
        "channels-0-url": "https://www.tiktok.com/@cuongnguyen",
        "channels-0-followers": "1250000",
    }
    data.update(overrides)
    return data


def api_registration(**overrides):
    """JSON body for POST /api/v1/events/{slug}/registrations."""
    body = {
        "category": "kol",
        "full_name": "Trần Thị Phương Thảo",
        "title": "Reviewer ẩm thực",
        "email": "thao.tran@example.vn",
        "phone": "+84 987 654 321",
        "channels": [
            {
                "platform": "youtube",
                "handle": "@thaoreview",
                "url": "https://youtube.com/@thaoreview",
                "followers": 830000,
            }
        ],
        "consent_participation": True,
    }
    body.update(overrides)
    return body


def make_invitation(event, category=Category.REGULATOR, **fields):
    return Invitation.objects.create(event=event, category=category, **fields)


_counter = iter(range(1, 10**9))


def make_participant(event, **fields):
    number = next(_counter)
    values = {
        "category": Category.KOL,
        "full_name": "Lê Văn Đạt",
        "email": f"nguoi{number}@example.vn",
        "phone": "+84912345678",
        "status": ParticipantStatus.PENDING,
    }
    values.update(fields)
    participant = Participant.objects.create(event=event, **values)
    text = CONSENT_TEXTS[ConsentPurpose.PARTICIPATION]
    Consent.objects.create(
        participant=participant,
        purpose=text.purpose,
        text_version=text.version,
        text_language="vi",
        text_sha256=text.digest(str(text.text)),
    )
    return participant


def open_personal_link(client, participant):
    """Open a fresh personal link as the participant does: the GET shows a button, the POST spends the link.

    Returns the answer of the POST (a redirect to the personal page).
    """
    from events.links import magic_link

    path = magic_link(participant).removeprefix(settings.SITE_URL)
    client.get(path)
    return client.post(path)


def sign_in_participant(client, participant):
    """Unit tests only: the test client's session owns this participant, as after a spent personal link."""
    import time

    from events.links import SESSION_KEY

    session = client.session
    owned = dict(session.get(SESSION_KEY, {}))
    owned[str(participant.event_id)] = [participant.pk, time.time_ns()]
    session[SESSION_KEY] = owned
    session.save()
