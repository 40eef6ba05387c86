"""The organizers' view of the meetings (issue #20 item 5): figures by category pair, table use by slot,
people with many unanswered requests, the CSV / XLSX export; organizers only, constant query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.enums import Category
from sessions.meetings import report, requests
from sessions.models import MeetingHold, MeetingPlace, MeetingRules, MeetingWindow
from tests.agenda.meetings.factories import make_business, make_kol, make_member
from tests.events.factories import open_personal_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def lounge(event):
    """Open rules: one window that ended two hours ago (three 20-minute slots), one place of two tables."""
    rules = MeetingRules.objects.create(event=event, open=True, requests_per_person=50)
    start = timezone.now() - timedelta(hours=3)
    MeetingWindow.objects.create(rules=rules, starts_at=start, ends_at=start + timedelta(hours=1))
    MeetingPlace.objects.create(rules=rules, name_vi="Khu kết nối tầng 2", name_en="Networking lounge", tables=2)
    return rules


def meet(sender, recipient):
    request = requests.send_request(sender=sender, recipient_id=recipient.pk, message="Xin gặp 20 phút.")
    return requests.accept_request(request_id=request.pk, by=recipient)


def world(event, size):
    """`size` businesses each meeting their own KOL (the first one both came, the others the KOL did not);
    one more business declined; three businesses waiting on the first KOL's answer."""
    kols = [make_kol(event, name=f"Nguyễn Thị KOL {i}") for i in range(size)]
    for i, kol in enumerate(kols):
        business = make_business(event, name=f"Trần Văn Doanh {i}")
        meeting = meet(business, kol)
        came = MeetingHold.objects.filter(meeting=meeting) if i == 0 else meeting.holds.filter(participant=business)
        came.update(checked_in_at=timezone.now())
    declined = make_business(event, name="Lê Thị Từ Chối")
    request = requests.send_request(sender=declined, recipient_id=kols[0].pk, message="")
    requests.decline_request(request_id=request.pk, by=kols[0])
    for i in range(3):
        waiting = make_business(event, name=f"Phạm Văn Chờ {i}")
        requests.send_request(sender=waiting, recipient_id=kols[-1].pk, message="")
    return kols


def test_figures_by_category_pair(event, lounge):
    world(event, 3)
    [pair] = report.pair_figures(event)
    assert (pair.sender, pair.recipient) == (Category.BUSINESS.label, Category.KOL.label)
    assert (pair.sent, pair.accepted, pair.declined, pair.held, pair.no_shows) == (7, 3, 1, 1, 2)


def test_table_use_by_slot_and_place(event, lounge):
    world(event, 3)  # 3 meetings on two tables: two in the first slot, one in the second
    use = report.table_use(lounge)
    assert [place.name_vi for place in use.places] == ["Khu kết nối tầng 2"]
    assert [cells for _start, _end, cells in use.rows] == [[(2, 2)], [(1, 2)], [(0, 2)]]


def test_people_with_many_unanswered_requests(event, lounge):
    kols = world(event, 2)
    [person] = report.many_unanswered(event)
    assert (person.name, person.waiting) == (kols[-1].full_name, 3)
    assert report.many_unanswered(event, at_least=4) == []


def test_the_export_names_people_and_organizations_only(event, lounge):
    kols = world(event, 2)
    header, rows = report.meeting_table(event)
    assert len(rows) == 2
    first = dict(zip(header, rows[0], strict=True))
    assert (first["Từ"], first["Bàn"], first["Đến: đơn vị"]) == ("Trần Văn Doanh 0", 1, "")
    assert "Công ty Cổ phần Sữa Việt" in rows[0] and kols[0].full_name in rows[0]
    flat = " ".join(str(value) for row in rows for value in row)
    assert kols[0].email not in flat and "@" not in flat  # no e-mail, no channel handle
    assert "vắng mặt" in rows[1]  # the KOL of the second meeting never came


def test_csv_and_xlsx(organizer_client, event, lounge):
    world(event, 2)
    response = organizer_client.get(reverse("agenda:meetings_export", args=[event.slug, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 3 and "Trần Văn Doanh 0" in table[1]
    assert table[1][0].count("/") == 2  # day-first date

    response = organizer_client.get(reverse("agenda:meetings_export", args=[event.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet["A2"].is_date and sheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet.column_dimensions["E"].width >= len("Trần Văn Doanh 0")
    assert organizer_client.get(reverse("agenda:meetings_export", args=[event.slug, "pdf"])).status_code == 404


def test_the_page_shows_the_figures_from_the_organizer_home(organizer_client, event, lounge):
    world(event, 2)
    home = organizer_client.get(reverse("events:organizer_home", args=[event.slug])).content.decode()
    url = reverse("agenda:meetings_report", args=[event.slug])
    assert url in home
    page = organizer_client.get(url).content.decode()
    assert "Khu kết nối tầng 2" in page and "2 / 2" in page and "Phạm Văn Chờ" not in page
    assert "Nguyễn Thị KOL 1" in page  # three requests waiting for her answer


def test_an_event_without_rules_shows_an_empty_page(organizer_client, event):
    response = organizer_client.get(reverse("agenda:meetings_report", args=[event.slug]))
    assert response.status_code == 200 and response.context["use"].rows == []


def test_door_staff_and_participants_are_refused(client, event, lounge, door_staff):
    world(event, 1)
    urls = [
        reverse("agenda:meetings_report", args=[event.slug]),
        reverse("agenda:meetings_export", args=[event.slug, "csv"]),
    ]
    participant = make_member(event, Category.KOL, "Võ Thị Tham Dự")
    open_personal_link(client, participant)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "Tham Dự" not in response.content.decode()
    client.force_login(door_staff)
    for url in urls:
        assert client.get(url).status_code == 403


def test_query_counts_do_not_grow_with_the_meetings(organizer_client, event, lounge, count_queries):
    world(event, 1)
    url = reverse("agenda:meetings_report", args=[event.slug])
    export = reverse("agenda:meetings_export", args=[event.slug, "xlsx"])
    small = count_queries(lambda: organizer_client.get(url)), count_queries(lambda: organizer_client.get(export))
    world_more = [make_kol(event, name=f"Đỗ Thị Thêm {i}") for i in range(4)]
    for i, kol in enumerate(world_more):
        meet(make_business(event, name=f"Hoàng Văn Thêm {i}"), kol)
    large = count_queries(lambda: organizer_client.get(url)), count_queries(lambda: organizer_client.get(export))
    assert small == large
