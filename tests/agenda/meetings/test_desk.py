"""The meeting area's desk (issue #20 item 4): scanning either person's badge checks that person in to their
meeting of now, showing whom they meet and the table; per person, once; no-shows once the slot has ended."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.privacy import LABELS, personal_data
from sessions.meetings import desk, organizer, requests
from sessions.models import MeetingHold, MeetingPlace, MeetingRules, MeetingWindow
from tests.agenda.meetings.factories import make_business, make_kol
from tests.events.factories import open_personal_link

pytestmark = pytest.mark.django_db


def make_rules_around(event, *, start):
    """Open rules with one window from `start` for an hour (three 20-minute slots) and one place of two tables."""
    rules = MeetingRules.objects.create(event=event, open=True)
    MeetingWindow.objects.create(rules=rules, starts_at=start, ends_at=start + timedelta(hours=1))
    MeetingPlace.objects.create(rules=rules, name_vi="Khu kết nối tầng 2", name_en="Networking lounge", tables=2)
    return rules


def meet(business, kol):
    request = requests.send_request(sender=business, recipient_id=kol.pk, message="Xin gặp chị 20 phút.")
    return requests.accept_request(request_id=request.pk, by=kol)


@pytest.fixture
def kol(event):
    return make_kol(event)


@pytest.fixture
def business(event):
    return make_business(event)


@pytest.fixture
def meeting_now(event, kol, business):
    """A meeting at table 1 from five minutes ago to a quarter of an hour from now."""
    make_rules_around(event, start=timezone.now() - timedelta(minutes=5))
    return meet(business, kol)


@pytest.fixture
def desk_client(client, door_staff):
    client.force_login(door_staff)
    return client


def desk_url(event):
    return reverse("agenda:meetings_desk", args=[event.slug])


def scan(client, event, code):
    return client.post(desk_url(event), {"code": code})


def test_either_badge_checks_its_holder_in_and_shows_whom_they_meet_and_the_table(
    desk_client, event, meeting_now, kol, business, door_staff, badge_code
):
    response = scan(desk_client, event, badge_code(business))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trần Văn Bình" in page and "Nguyễn Thị Cường" in page and "bàn 1" in page
    assert response.context["result"].other_here is False
    came = MeetingHold.objects.get(participant=business)
    assert came.checked_in_by == door_staff and came.checked_in_at is not None
    assert MeetingHold.objects.get(participant=kol).checked_in_at is None  # attendance is per person

    response = scan(desk_client, event, badge_code(kol))
    assert response.context["result"].other_here is True
    assert MeetingHold.objects.filter(meeting=meeting_now, checked_in_at__isnull=False).count() == 2


def test_a_second_scan_changes_nothing(desk_client, event, meeting_now, business, badge_code):
    scan(desk_client, event, badge_code(business))
    first = MeetingHold.objects.get(participant=business).checked_in_at
    response = scan(desk_client, event, badge_code(business))
    assert response.context["result"].already is True
    assert "đã vào trước đó" in response.content.decode()
    assert MeetingHold.objects.get(participant=business).checked_in_at == first


def test_a_badge_of_another_event_or_no_badge_is_refused_in_words(desk_client, event, meeting_now, badge_code):
    other = Event.objects.create(
        slug="khac", name_vi="Sự kiện khác", start_date=event.start_date, end_date=event.end_date, status=event.status
    )
    outsider = make_kol(other, name="Lê Văn Dũng")
    for code in [badge_code(outsider), "không-phải-mã-thẻ"]:
        response = scan(desk_client, event, code)
        assert response.status_code == 404
        assert "Thẻ này không được nhận ra" in response.content.decode()
    assert not MeetingHold.objects.filter(checked_in_at__isnull=False).exists()


def test_someone_with_no_meeting_now_is_told_when_their_next_one_starts(desk_client, event, kol, business, badge_code):
    make_rules_around(event, start=timezone.now() + timedelta(hours=2))
    meeting = meet(business, kol)
    response = scan(desk_client, event, badge_code(kol))
    assert response.status_code == 409
    when = timezone.localtime(meeting.starts_at).strftime("%H:%M")
    assert "Nguyễn Thị Cường" in response.content.decode() and when in response.content.decode()
    assert not MeetingHold.objects.filter(checked_in_at__isnull=False).exists()


def test_a_cancelled_meeting_is_not_checked_in(desk_client, event, meeting_now, business, badge_code):
    requests.cancel_request(request_id=meeting_now.request_id, by=business)
    response = scan(desk_client, event, badge_code(business))
    assert response.status_code == 409
    assert "không có cuộc gặp nào lúc này" in response.content.decode()


def test_the_desk_lists_the_meetings_of_now_with_who_is_here(desk_client, event, meeting_now, business, badge_code):
    scan(desk_client, event, badge_code(business))
    page = desk_client.get(desk_url(event)).content.decode()
    assert "Cuộc gặp lúc này" in page and "chưa đến" in page and "điểm danh lúc" in page


def test_the_desk_is_for_people_who_scan_badges(client, event, meeting_now, kol):
    response = client.get(desk_url(event))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:sign_in"))
    client.force_login(User.objects.create_user("khach", password="x"))
    assert client.get(desk_url(event)).status_code == 302


def test_no_shows_once_the_slot_has_ended(organizer_client, event, kol, business):
    make_rules_around(event, start=timezone.now() - timedelta(hours=2))
    ended = meet(business, kol)
    assert organizer.attendance(event) == {"expected": 2, "came": 0}
    MeetingHold.objects.filter(participant=business).update(checked_in_at=ended.starts_at)
    [headline] = organizer.headlines(event)
    assert (headline.key, headline.value) == ("meeting_no_shows", "1")
    assert desk.is_no_show(MeetingHold.objects.get(participant=kol))
    assert not desk.is_no_show(MeetingHold.objects.get(participant=business))

    listing = reverse("admin:agenda_meeting_changelist")
    response = organizer_client.get(listing, {"attendance": "no_show", "event__id__exact": event.pk})
    assert list(response.context["cl"].result_list) == [ended]
    assert "Vắng mặt: Nguyễn Thị Cường" in response.content.decode()
    assert organizer_client.get(listing, {"attendance": "both_came"}).context["cl"].result_count == 0
    MeetingHold.objects.filter(participant=kol).update(checked_in_at=ended.starts_at)
    assert organizer_client.get(listing, {"attendance": "both_came"}).context["cl"].result_count == 1
    assert organizer_client.get(listing, {"attendance": "no_show"}).context["cl"].result_count == 0


def test_no_headline_before_any_meeting_has_ended(event, meeting_now):
    assert organizer.headlines(event) == []


def test_staff_reach_the_desk_by_clicking(client, event, door_staff, organizer_client):
    organizer_home = organizer_client.get(reverse("events:organizer_home", args=[event.slug])).content.decode()
    assert desk_url(event) in organizer_home
    assert "attendance=no_show" in organizer_home
    client.force_login(door_staff)
    assert desk_url(event) in client.get(reverse("staff:events")).content.decode()
    assert desk_url(event) in client.get(reverse("events:event_detail", args=[event.slug])).content.decode()


def test_a_participant_signed_in_by_their_personal_link_does_not_open_the_desk(client, event, meeting_now, kol):
    open_personal_link(client, kol)
    response = client.get(desk_url(event))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:sign_in"))


def test_the_data_export_says_when_the_desk_checked_the_person_in(
    desk_client, event, meeting_now, kol, business, badge_code
):
    scan(desk_client, event, badge_code(business))
    rows = {key: rows for key, _title, rows in personal_data(business)}["meeting_requests"]
    came = MeetingHold.objects.get(participant=business).checked_in_at
    assert rows[0]["checked_in_at_desk"] == timezone.localtime(came).isoformat()
    assert {key: rows for key, _title, rows in personal_data(kol)}["meeting_requests"][0]["checked_in_at_desk"] is None
    # The export's PDF names each value in words, not by its key.
    keys = {
        name
        for key, _title, rows in personal_data(business)
        if key.startswith("meeting")
        for row in rows
        for name in row
    }
    assert keys and keys <= set(LABELS), sorted(keys - set(LABELS))
