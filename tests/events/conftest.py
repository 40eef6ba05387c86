"""Fixtures for the events app: declarations ready to sign, approved signers, a test badge resolver."""

import pytest

from events import extensions
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
def badge_resolver():
    """A stand-in for ticketing's resolver: badge code "BADGE-<participant id>" is that participant.

    The real resolver (signed badge codes) is registered by ticketing; events only knows the hook.
    """
    from events.models import Participant

    previous = extensions._badge_resolver

    def resolve(code):
        if not code.startswith("BADGE-") or not code[6:].isdigit():
            return None
        return Participant.objects.filter(pk=int(code[6:])).first()

    extensions.register_badge_resolver(resolve)
    yield resolve
    extensions.register_badge_resolver(previous)
