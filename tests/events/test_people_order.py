"""Every list of people uses the one Vietnamese collation: exports, searches, the agenda's speaker picker."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from events import collation, exports, selectors
from events.models import Participant
from sessions.selectors import speaker_choices

from .factories import make_participant

pytestmark = pytest.mark.django_db

# Given name first (a ă â … d đ … o ô ơ … u ư, tones after the base letter), then middle, then family name.
NAMES_IN_ORDER = [
    "Trần Văn An",
    "Lê Thị Ánh",
    "Phạm Thị Ăn",
    "Nguyễn Ngọc Ân",
    "Nguyễn Tiến Cường",
    "Bùi Đức Dũng",
    "Lê Văn Đạt",
    "Võ Thị Hà",
    "Đỗ Minh Hải",
    "Hồ Ngọc Ơn",
    "Vũ Thị Ơn",
    "Dương Thị Ưng",
    "Đặng Thị Ưng",
]


@pytest.fixture
def people(event):
    shuffled = NAMES_IN_ORDER[5:] + NAMES_IN_ORDER[:5][::-1]
    return [make_participant(event, full_name=name, status="approved") for name in shuffled]


def test_fixed_list_sorts_by_given_then_middle_then_family_name():
    assert collation.sort_people(sorted(NAMES_IN_ORDER, reverse=True)) == NAMES_IN_ORDER


def test_csv_export_rows_follow_vietnamese_order(people):
    text = exports.participants_csv(Participant.objects.order_by("-pk")).decode("utf-8-sig")
    names = [row[1] for row in list(csv.reader(io.StringIO(text)))[1:]]
    assert names == NAMES_IN_ORDER


def test_xlsx_export_rows_follow_vietnamese_order(people):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(exports.participants_xlsx(Participant.objects.all()))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == NAMES_IN_ORDER


def test_admin_export_action_sorts_the_selection(organizer_client, people):
    data = {"action": "export_csv", ACTION_CHECKBOX_NAME: [p.pk for p in people]}
    text = organizer_client.post("/admin/events/participant/", data).content.decode("utf-8-sig")
    assert [row[1] for row in list(csv.reader(io.StringIO(text)))[1:]] == NAMES_IN_ORDER


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Cuong", ["Nguyễn Tiến Cường"]),
        ("Dat", ["Lê Văn Đạt"]),
        ("dung", ["Bùi Đức Dũng"]),
        ("ung", ["Bùi Đức Dũng", "Dương Thị Ưng", "Đặng Thị Ưng"]),
        ("Cường", ["Nguyễn Tiến Cường"]),
    ],
)
def test_participant_search_ignores_accents(event, people, query, expected):
    found = selectors.participants(event=event, search=query)
    assert collation.sort_people(p.full_name for p in found) == expected


def test_admin_search_ignores_accents(organizer_client, people):
    html = organizer_client.get("/admin/events/participant/", {"q": "Dat"}).content.decode()
    assert "Lê Văn Đạt" in html
    assert "Nguyễn Tiến Cường" not in html
    html = organizer_client.get("/admin/events/participant/", {"q": "cuong"}).content.decode()
    assert "Nguyễn Tiến Cường" in html
    assert "Lê Văn Đạt" not in html


def test_agenda_speaker_picker_lists_people_in_vietnamese_order(event, people):
    assert [choice["name"] for choice in speaker_choices(event)] == NAMES_IN_ORDER
