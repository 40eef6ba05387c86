"""The door's name search and admit-by-name API: door staff only, accents ignored, admitted exactly once."""

import json

import pytest
from django.contrib.auth.models import User

from events.enums import Category, ParticipantStatus
from tests.events.factories import make_participant
from ticketing.models import CheckIn, ScanLog

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/checkin/search"
ADMIT = "/api/v1/checkin/admit"


@pytest.fixture
def staff_client(client, door_staff):
    client.force_login(door_staff)
    return client


@pytest.fixture
def cuong(open_event):
    return make_participant(
        open_event,
        full_name="Nguyễn Tiến Cường",
        organization="Hiệp hội An ninh mạng quốc gia",
        category=Category.REGULATOR,
        status=ParticipantStatus.APPROVED,
    )


@pytest.fixture
def dat(open_event):
    return make_participant(
        open_event, full_name="Lê Quang Đạt", category=Category.KOL, status=ParticipantStatus.APPROVED
    )


def admit(client, participant, gate="Cổng A", **headers):
    body = {"participant": participant.pk, "gate": gate, "event": participant.event.slug}
    return client.post(ADMIT, json.dumps(body), content_type="application/json", **headers)


def test_search_without_accents_finds_accented_names(staff_client, cuong, dat, holder):
    by_cuong = staff_client.get(SEARCH, {"event": "kol-2027", "q": "Cuong"}).json()
    by_dat = staff_client.get(SEARCH, {"event": "kol-2027", "q": "dat"}).json()

    assert [row["name"] for row in by_cuong] == ["Nguyễn Tiến Cường"]
    assert by_cuong[0] | {"category_label": ""} == {
        "id": cuong.pk,
        "name": "Nguyễn Tiến Cường",
        "category": "regulator",
        "category_label": "",
        "organization": "Hiệp hội An ninh mạng quốc gia",
        "title": cuong.title,
        "ticket_valid": True,
        "admitted": False,
        "checked_in_at": None,
        "gate": None,
    }
    assert [row["name"] for row in by_dat] == ["Lê Quang Đạt"]


def test_search_matches_organization_and_sorts_by_given_name(staff_client, cuong, dat, holder):
    rows = staff_client.get(SEARCH, {"event": "kol-2027", "q": "n"}).json()

    # Vietnamese order by given name: Cường < Đạt < Hằng.
    assert [row["name"] for row in rows] == ["Nguyễn Tiến Cường", "Lê Quang Đạt", "Trần Thị Thu Hằng"]


def test_search_shows_admission(staff_client, cuong):
    admit(staff_client, cuong)

    row = staff_client.get(SEARCH, {"event": "kol-2027", "q": "cường"}).json()[0]

    assert (row["admitted"], row["gate"]) == (True, "Cổng A")


def test_search_unknown_event_is_404_and_empty_query_422(staff_client, cuong):
    assert staff_client.get(SEARCH, {"event": "khong-co", "q": "a"}).status_code == 404
    assert staff_client.get(SEARCH, {"event": "kol-2027", "q": ""}).status_code == 422


def test_search_and_admit_need_door_staff(client, cuong):
    assert client.get(SEARCH, {"event": "kol-2027", "q": "a"}).status_code == 401
    assert admit(client, cuong).status_code == 401
    client.force_login(User.objects.create_user("khach", password="pw-khach"))
    assert client.get(SEARCH, {"event": "kol-2027", "q": "a"}).status_code == 403
    assert admit(client, cuong).status_code == 403
    assert CheckIn.objects.count() == 0


def test_admit_by_name_admits_exactly_once_and_logs(staff_client, cuong, door_staff):
    first = admit(staff_client, cuong, HTTP_ACCEPT_LANGUAGE="vi").json()
    second = admit(staff_client, cuong, gate="Cổng B", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (first["result"], first["gate"], first["participant"]["name"]) == ("admitted", "Cổng A", "Nguyễn Tiến Cường")
    assert first["message"] == "Chào mừng! Mời vào."
    assert (second["result"], second["gate"], second["message"]) == (
        "already_checked_in",
        "Cổng A",
        "Already checked in.",
    )
    assert CheckIn.objects.get().participant_id == cuong.pk
    assert list(ScanLog.objects.order_by("pk").values_list("code", "result", "participant_id_claimed", "user")) == [
        ("", "admitted", cuong.pk, door_staff.pk),
        ("", "already_checked_in", cuong.pk, door_staff.pk),
    ]


def test_admit_by_name_refuses_pending_participant(staff_client, open_event):
    pending = make_participant(open_event, full_name="Phạm Văn Minh", status=ParticipantStatus.PENDING)

    assert admit(staff_client, pending).json()["result"] == "not_allowed"
    assert CheckIn.objects.count() == 0


def test_admit_participant_of_another_event_is_404(staff_client, cuong, other_event):
    body = {"participant": cuong.pk, "gate": "A", "event": other_event.slug}

    response = staff_client.post(ADMIT, json.dumps(body), content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (404, "participant_not_found")
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("size", [1, 3])
def test_search_query_count_does_not_grow(staff_client, open_event, door_staff, count_queries, size):
    for number in range(size):
        make_participant(open_event, full_name=f"Võ Minh Cường {number}", status=ParticipantStatus.APPROVED)
    staff_client.get(SEARCH, {"event": "kol-2027", "q": "cuong"})  # warm the session and user

    queries = count_queries(lambda: staff_client.get(SEARCH, {"event": "kol-2027", "q": "cuong"}))

    # session, user, groups (permission), event, names, matches
    assert queries == 6
