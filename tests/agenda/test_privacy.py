"""The agenda's part of a participant's data export: reservations and saved sessions."""

import pytest

from events import privacy
from events.enums import ParticipantStatus
from sessions import services
from sessions.models import Reservation
from tests.agenda.factories import make_session
from tests.events.factories import make_participant

pytestmark = pytest.mark.django_db


def test_reservations_and_bookmarks_are_in_the_data_export(event, small_room, organizer):
    session = make_session(event, small_room, capacity=2, format="roundtable", title_vi="Bàn tròn an toàn số")
    services.publish_agenda(event=event, by=organizer)
    person = make_participant(event, status=ParticipantStatus.APPROVED)
    services.reserve_seat(session=session, participant=person)
    services.bookmark_session(session=session, participant=person)

    data = privacy.personal_data_json(person)["sections"]

    reservation = Reservation.objects.get()
    assert [(row["session"], row["status"]) for row in data["reservations"]] == [
        (str(session), str(reservation.get_status_display()))
    ]
    assert reservation.status == "confirmed"
    assert [row["session"] for row in data["bookmarks"]] == [str(session)]
