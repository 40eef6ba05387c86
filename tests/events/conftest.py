"""Fixtures for the events app: declarations ready to sign, approved signers, a test badge resolver."""

import pytest

from events.declarations import services
from events.enums import Category, ParticipantStatus

from .factories import make_participant

TEXT_V1 = {
    "title_vi": "Tuyên bố thành lập Liên minh KOL Việt Nam",
    "title_en": "Founding Declaration of the Vietnam KOL Alliance",
    "body_vi": "Chúng tôi cam kết kiểm chứng thông tin trước khi chia sẻ.\nVà lan tỏa kỹ năng an toàn số.",
    "body_en": "We commit to checking information before sharing it.\nAnd to spreading digital-safety skills.",
}


def make_declaration(event, slug="tuyen-bo", *, open=True, rules=None, text=TEXT_V1):
    declaration = services.create_declaration(
        event=event, slug=slug, title_vi=text["title_vi"], title_en=text["title_en"], rules=rules
    )
    services.publish_version(declaration=declaration, **text)
    if open:
        services.open_declaration(declaration=declaration)
    declaration.refresh_from_db()
    return declaration


@pytest.fixture
def declaration(event):
    return make_declaration(event)


@pytest.fixture
def kol(event):
    return make_participant(
        event, full_name="Nguyễn Tiến Cường", category=Category.KOL, status=ParticipantStatus.APPROVED
    )


@pytest.fixture
def regulator(event):
    return make_participant(
        event,
        full_name="Trần Thị Bình",
        category=Category.REGULATOR,
        status=ParticipantStatus.APPROVED,
        organization="Cục A05, Bộ Công an",
    )


@pytest.fixture
def badge_code():
    """badge_code(participant) -> the code of a real signed badge, as the kiosk scans it.

    Ticketing registers the kiosk's badge resolver (events.extensions); this
    issues a real badge through ticketing so the whole path is exercised.
    """
    from ticketing.services import issue_badge

    return lambda participant: issue_badge(participant).code
