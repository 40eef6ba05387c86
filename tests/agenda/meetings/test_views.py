"""The meeting pages: only a signed-in participant, never anyone's contact details, errors in words; the personal
page's panel; the data export and the erasure; the admin's rules form."""

import pytest
from django.urls import reverse

from events.enums import ConsentPurpose
from events.models import Consent
from events.privacy import erase_participant, personal_data
from sessions import services as agenda_services
from sessions.enums import MeetingRequestStatus
from sessions.meetings import requests
from sessions.models import MeetingProfile, MeetingRequest, MeetingRules
from sessions.views import personal_calendar_token
from tests.agenda.meetings.factories import make_business, make_kol, make_rules
from tests.events.factories import make_participant, sign_in_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_rules(event):
    return make_rules(event)


@pytest.fixture
def kol(event):
    return make_kol(event, email="cuong@example.vn", phone="+84901234567")


@pytest.fixture
def business(event):
    return make_business(event, email="binh@suaviet.vn")


def url(event, name, *args):
    return reverse(f"agenda:{name}", args=[event.slug, *args])


def test_without_a_personal_link_every_page_sends_to_the_personal_page(client, event, meeting_rules, kol):
    for name, args in [
        ("meetings", []),
        ("meetings_profile", []),
        ("meetings_person", [kol.pk]),
        ("meetings_mine", []),
    ]:
        response = client.get(url(event, name, *args))
        assert (response.status_code, response.url) == (302, reverse("events:personal_page", args=[event.slug]))


def test_a_profile_shows_channels_and_followers_but_no_contact_details(client, event, meeting_rules, kol, business):
    sign_in_participant(client, business)

    page = client.get(url(event, "meetings_person", kol.pk)).content.decode()

    assert "Nguyễn Thị Cường" in page and "TikTok" in page and "1.250.000" in page
    assert "cuong@example.vn" not in page and "+84901234567" not in page and "@cuongreview" not in page


def test_the_directory_searches_without_accents(client, event, meeting_rules, kol, business):
    sign_in_participant(client, business)

    found = client.get(url(event, "meetings"), {"q": "cuong"}).content.decode()
    none = client.get(url(event, "meetings"), {"q": "khong co ai"})
    nul = client.get(url(event, "meetings"), {"q": "cuong\x00"})

    assert "Nguyễn Thị Cường" in found
    assert none.status_code == 200 and "Nguyễn Thị Cường" not in none.content.decode()
    assert nul.status_code == 422  # the project's input guard answers a NUL in words, never a 500


def test_a_hidden_profile_answers_not_found(client, event, meeting_rules, kol, business):
    sign_in_participant(client, business)
    Consent.objects.filter(participant=kol, purpose=ConsentPurpose.MEETINGS).update(withdrawn_at="2027-08-01T00:00Z")

    assert client.get(url(event, "meetings_person", kol.pk)).status_code == 404


def test_publishing_from_the_form_needs_the_ticked_consent(client, event, meeting_rules):
    kol = make_kol(event, publish=False)
    sign_in_participant(client, kol)
    form = {"bio": "Review mỹ phẩm thuần chay", "topics": "mỹ phẩm", "organization": "", "publish": "1"}

    refused = client.post(url(event, "meetings_profile"), form)
    saved = client.post(url(event, "meetings_profile"), {**form, "consent": "1"})

    assert refused.status_code == 400 and "đánh dấu rằng bạn đồng ý" in refused.content.decode()
    assert saved.status_code == 302
    assert MeetingProfile.objects.get(participant=kol).bio == "Review mỹ phẩm thuần chay"


def test_request_accept_and_both_see_the_meeting(client, event, meeting_rules, kol, business):
    sign_in_participant(client, business)
    client.post(url(event, "meetings_request", kol.pk), {"message": "Mời hợp tác livestream"})
    request = MeetingRequest.objects.get()

    sign_in_participant(client, kol)
    client.post(url(event, "meetings_accept", request.pk))
    kol_page = client.get(reverse("events:personal_page", args=[event.slug])).content.decode()
    sign_in_participant(client, business)
    business_page = client.get(url(event, "meetings_mine")).content.decode()

    assert MeetingRequest.objects.get().status == MeetingRequestStatus.ACCEPTED
    assert "Trần Văn Bình" in kol_page and "Khu kết nối tầng 2, bàn 1" in kol_page
    assert "Nguyễn Thị Cường" in business_page and "Khu kết nối tầng 2, bàn 1" in business_page


def test_someone_else_s_request_cannot_be_accepted_by_changing_the_id(client, event, meeting_rules, kol, business):
    request = requests.send_request(sender=business, recipient_id=kol.pk)
    sign_in_participant(client, make_kol(event, "Lê Thị Ánh"))

    response = client.post(url(event, "meetings_accept", request.pk), follow=True)

    assert "Đề nghị gặp này không tồn tại." in response.content.decode()
    assert MeetingRequest.objects.get().status == MeetingRequestStatus.PENDING


def test_the_data_export_lists_profile_requests_and_messages(event, meeting_rules, kol, business):
    requests.send_request(sender=business, recipient_id=kol.pk, message="Mời hợp tác livestream")

    sections = {key: rows for key, _title, rows in personal_data(business)}

    assert sections["meeting_profile"][0]["organization"] == "Công ty Cổ phần Sữa Việt"
    assert sections["meeting_requests"][0]["message"] == "Mời hợp tác livestream"
    assert sections["meeting_requests"][0]["other_person"] == "Nguyễn Thị Cường"


def test_an_erasure_deletes_the_profile_and_messages_and_the_counterpart_keeps_the_meeting(
    event, meeting_rules, kol, business, organizer
):
    accepted = requests.send_request(sender=business, recipient_id=kol.pk, message="Mời hợp tác")
    requests.accept_request(request_id=accepted.pk, by=kol)
    pending = requests.send_request(sender=business, recipient_id=make_kol(event, "Lê Thị Ánh").pk, message="Xin gặp")

    erase_participant(participant=business, by=organizer, reason="Yêu cầu của người dùng")

    assert not MeetingProfile.objects.filter(participant=business).exists()
    assert set(MeetingRequest.objects.values_list("message", flat=True)) == {""}
    assert MeetingRequest.objects.get(pk=pending.pk).status == MeetingRequestStatus.CANCELLED
    accepted.refresh_from_db()
    assert (accepted.status, accepted.sender.full_name) == (MeetingRequestStatus.ACCEPTED, "—")


def test_the_personal_page_panel_appears_once_meetings_open(client, event, business):
    sign_in_participant(client, business)
    personal = reverse("events:personal_page", args=[event.slug])

    before = client.get(personal).content.decode()
    make_rules(event)
    after = client.get(personal).content.decode()

    assert "Gặp gỡ 1:1" not in before and "Gặp gỡ 1:1" in after


def test_a_pending_applicant_sees_no_panel(client, event, meeting_rules):
    sign_in_participant(client, make_participant(event))

    assert "Gặp gỡ 1:1" not in client.get(reverse("events:personal_page", args=[event.slug])).content.decode()


def test_organizers_tick_the_pairs_in_the_admin(organizer_client, event):
    add = reverse("admin:agenda_meetingrules_add")
    form = {
        "event": event.pk,
        "open": "on",
        "pair_list": ["business>kol", "regulator>platform"],
        "opt_in_list": ["regulator"],
        "requests_per_person": 5,
        "meeting_minutes": 30,
        **{
            f"{prefix}-{key}": value
            for prefix in ("windows", "places")
            for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}.items()
        },
    }

    response = organizer_client.post(add, form)

    assert response.status_code == 302
    rules = MeetingRules.objects.get(event=event)
    assert (rules.pairs, rules.opt_in_categories, rules.meeting_minutes) == (
        [["business", "kol"], ["regulator", "platform"]],
        ["regulator"],
        30,
    )


def test_the_personal_calendar_feed_has_the_meeting_and_then_its_cancellation(
    client, event, meeting_rules, kol, business, organizer
):
    from icalendar import Calendar  # ~250 ms to import: only this test pays for it

    agenda_services.publish_agenda(event=event, by=organizer)
    request = requests.send_request(sender=business, recipient_id=kol.pk)
    meeting = requests.accept_request(request_id=request.pk, by=kol)
    feed = f"/e/{event.slug}/agenda/me/{personal_calendar_token(kol)}.ics"

    def items():
        calendar = Calendar.from_ical(client.get(feed).content)
        return [
            (str(c["uid"]), str(c["summary"]), str(c["status"]), str(c["location"])) for c in calendar.walk("VEVENT")
        ]

    confirmed = items()
    requests.cancel_request(request_id=request.pk, by=business)

    uid = f"meeting-{meeting.pk}@kol-2027.kol-conference"
    place = "Khu kết nối tầng 2, bàn 1, Trung tâm Hội nghị Quốc gia"
    assert confirmed == [(uid, "Cuộc gặp với Trần Văn Bình", "CONFIRMED", place)]
    assert items() == [(uid, "Cuộc gặp với Trần Văn Bình", "CANCELLED", place)]


def test_interest_on_both_sides_is_shown_instead_of_a_second_request(client, event, kol, business):
    rules = make_rules(event)
    rules.pairs = [*rules.pairs, ["kol", "business"]]
    rules.save()
    requests.send_request(sender=business, recipient_id=kol.pk)

    sign_in_participant(client, kol)
    kol_sees = client.get(url(event, "meetings_person", business.pk)).content.decode()
    sign_in_participant(client, business)
    business_sees = client.get(url(event, "meetings_person", kol.pk)).content.decode()

    assert "Trần Văn Bình đã đề nghị gặp bạn" in kol_sees and "Gửi đề nghị" not in kol_sees
    assert "Bạn đã đề nghị gặp Nguyễn Thị Cường" in business_sees and "Gửi đề nghị" not in business_sees


def test_the_organizer_home_links_to_the_meeting_rules(organizer_client, event):
    page = organizer_client.get(reverse("events:organizer_home", args=[event.slug])).content.decode()

    assert "Gặp gỡ 1:1" in page
    assert f"{reverse('admin:agenda_meetingrules_changelist')}?event__id__exact={event.pk}" in page


def test_a_window_ending_before_it_starts_is_refused_in_words(organizer_client, event):
    rules = make_rules(event, windows=[])
    change = reverse("admin:agenda_meetingrules_change", args=[rules.pk])
    form = {
        "event": event.pk,
        "open": "on",
        "pair_list": ["business>kol"],
        "requests_per_person": 10,
        "meeting_minutes": 20,
        "windows-TOTAL_FORMS": 1,
        "windows-INITIAL_FORMS": 0,
        "windows-0-starts_at_0": "14/08/2027",
        "windows-0-starts_at_1": "15:00",
        "windows-0-ends_at_0": "14/08/2027",
        "windows-0-ends_at_1": "14:00",
        "places-TOTAL_FORMS": 0,
        "places-INITIAL_FORMS": 0,
    }

    response = organizer_client.post(change, form)

    assert response.status_code == 200
    assert "Khung giờ gặp gỡ phải kết thúc sau khi bắt đầu." in response.content.decode()
    assert not rules.windows.exists()


def test_list_pages_queries_do_not_grow_with_the_people(client, event, meeting_rules, kol, count_queries):
    sign_in_participant(client, kol)
    asker = make_business(event, "Hoàng Thị Mai")
    requests.send_request(sender=asker, recipient_id=kol.pk)
    sign_in_participant(client, asker)
    pages = [url(event, "meetings"), url(event, "meetings_mine"), reverse("events:personal_page", args=[event.slug])]
    for page in pages:
        client.get(page)  # the first visit fills caches (content types, the badge) that later ones read
    one = [count_queries(lambda page=page: client.get(page)) for page in pages]

    for n in range(2):
        other = make_kol(event, f"Lê Thị Ánh {n}")
        requests.send_request(sender=asker, recipient_id=other.pk)

    assert [count_queries(lambda page=page: client.get(page)) for page in pages] == one
