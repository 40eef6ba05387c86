"""The organizers' dashboard: who may see it, the figures on fixed data, CSV downloads, bounded queries."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from events.declarations import services as declarations
from events.models import Participant
from ticketing.models import Badge, CheckIn, Quota
from ticketing.models.checkin import WHOLE_EVENT

from .conftest import make_declaration
from .factories import make_participant

pytestmark = pytest.mark.django_db

# session, user, groups; the event; events: registrations, approvals, signatures (2); ticketing: 3
QUERIES = 11
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ONLINE = declarations.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0 (iPhone)")


def registered(event, name, category, status, when):
    participant = make_participant(event, full_name=name, category=category, status=status)
    Participant.objects.filter(pk=participant.pk).update(created_at=when)
    return participant


def build_event(event, organizer, size=1):
    """size × (a fixed set of people): registrations on two days, signatures, seats, badges and arrivals."""
    people = []
    for _ in range(size):
        people += [
            registered(event, "Nguyễn Tiến Cường", "kol", "approved", datetime(2027, 7, 1, 23, 30, tzinfo=HANOI)),
            registered(event, "Lê Văn Đạt", "kol", "pending", datetime(2027, 7, 2, 0, 30, tzinfo=HANOI)),
            registered(event, "Trần Thị Ưng", "regulator", "approved", datetime(2027, 7, 2, 9, 0, tzinfo=HANOI)),
            registered(event, "Phạm Ơn", "business", "rejected", datetime(2027, 7, 2, 10, 0, tzinfo=HANOI)),
        ]
    declaration = make_declaration(event)
    for person in people:
        if person.status == "approved":
            declarations.sign_declaration(
                declaration=declaration,
                participant=person,
                typed_name=person.full_name,
                consent=True,
                public=True,
                signing=ONLINE,
            )
    declarations.withdraw_signature(declaration=declaration, participant=people[2], signing=ONLINE)
    Quota.objects.create(event=event, name="Khách mời KOL", size=100, taken=42)
    Quota.objects.create(event=event, name="Doanh nghiệp", size=50, taken=50)
    for index, person in enumerate(p for p in people if p.status == "approved"):
        printed_at = None if index % 2 else person.created_at
        Badge.objects.create(participant=person, code=f"code-{person.pk}", printed_at=printed_at)
        CheckIn.objects.create(
            event=event,
            participant=person,
            session_id=WHOLE_EVENT,
            gate="Cổng A",
            checked_in_by=organizer,
            checked_in_at=datetime(2027, 8, 14, 7, 10 + index % 40, tzinfo=HANOI),
        )
    return people


def test_dashboard_is_for_organizers_only(client, event, door_staff, organizer):
    base = f"/e/{event.slug}/dashboard/"
    urls = [base, base + "data.json", base + "approvals.csv"]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(door_staff)
    assert [client.get(url).status_code for url in urls] == [403] * 3
    assert base not in client.get(f"/e/{event.slug}/").content.decode()
    client.force_login(organizer)
    assert [client.get(url).status_code for url in urls] == [200] * 3
    assert f'href="{base}"' in client.get(f"/e/{event.slug}/").content.decode()


def test_figures_on_fixture_data(organizer_client, event, organizer):
    build_event(event, organizer)
    figures = {f["key"]: f for f in organizer_client.get(f"/e/{event.slug}/dashboard/data.json").json()["figures"]}
    assert list(figures) == ["registrations", "approvals", "signatures", "tickets", "badges", "arrivals"]
    registrations = figures["registrations"]
    assert registrations["labels"] == ["01/07/2027", "02/07/2027"]  # days in Hà Nội time, not UTC
    assert {s["label"]: s["data"] for s in registrations["series"]} == {
        "KOL / KOC": [1, 1],
        "Cơ quan quản lý": [0, 1],
        "Doanh nghiệp": [0, 1],
        "Nền tảng số": [0, 0],
    }
    approvals = figures["approvals"]
    assert approvals["labels"][0] == "Đang chờ duyệt"
    assert dict(zip(approvals["labels"], approvals["series"][0]["data"], strict=True))["Đang chờ duyệt"] == 1
    assert sum(approvals["series"][0]["data"]) == 4
    assert figures["signatures"]["series"][0]["data"] == [1]  # two signed, one withdrew
    assert figures["tickets"]["labels"] == ["Khách mời KOL", "Doanh nghiệp"]
    assert [s["data"] for s in figures["tickets"]["series"]] == [[42, 50], [100, 50]]
    assert figures["badges"]["series"][0]["data"] == [1, 1]
    assert figures["arrivals"]["labels"] == ["14/08/2027 07:00"]
    assert figures["arrivals"]["series"][0]["data"] == [2]
    assert figures["tickets"]["csv_url"] == f"/e/{event.slug}/dashboard/tickets.csv"


def test_csv_download_keeps_diacritics(organizer_client, event, organizer):
    build_event(event, organizer)
    response = organizer_client.get(f"/e/{event.slug}/dashboard/tickets.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-tickets.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Hạn mức", "Đã bán", "Sức chứa"], ["Khách mời KOL", "42", "100"], ["Doanh nghiệp", "50", "50"]]
    assert organizer_client.get(f"/e/{event.slug}/dashboard/khong-co.csv").status_code == 404


def test_english_dashboard_data(organizer_client, event, organizer):
    build_event(event, organizer)
    figures = organizer_client.get(f"/e/{event.slug}/dashboard/data.json", HTTP_ACCEPT_LANGUAGE="en").json()["figures"]
    assert figures[0]["title"] == "Registrations over time by category"


@pytest.mark.parametrize("size", [1, 3])
def test_dashboard_queries_do_not_grow_with_the_event(organizer_client, event, organizer, count_queries, size):
    build_event(event, organizer, size=size)
    queries = count_queries(lambda: organizer_client.get(f"/e/{event.slug}/dashboard/data.json"))
    assert queries == QUERIES
