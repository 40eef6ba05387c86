import pytest

from tests.agenda.factories import make_room, make_speaker, make_track


@pytest.fixture
def hall(event):
    return make_room(event, "Hội trường Thống Nhất", capacity=800, position=0, name_en="Reunification Hall")


@pytest.fixture
def small_room(event):
    return make_room(event, "Phòng bàn tròn Sen", capacity=40, position=1, name_en="Lotus Room")


@pytest.fixture
def track(event):
    return make_track(event)


@pytest.fixture
def speaker(event):
    return make_speaker(event, "Phạm Minh Tuấn", email="tuan.pham@example.vn", language="vi")


@pytest.fixture
def attendee(event):
    from events.enums import Category, ParticipantStatus
    from tests.events.factories import make_participant

    return make_participant(
        event,
        full_name="Trần Thị Phương Thảo",
        email="thao.tran@example.vn",
        status=ParticipantStatus.APPROVED,
        category=Category.KOL,
        language="en",
    )
