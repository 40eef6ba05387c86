"""Public agenda pages in Vietnamese and English, search, and the attendee's own agenda."""

import pytest

from sessions import services
from sessions.models import Bookmark, Reservation
from tests.agenda.factories import make_session
from tests.events.factories import sign_in_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(event, hall, small_room, track, speaker, organizer):
    keynote = make_session(
        event,
        hall,
        "09:00",
        "10:00",
        people=[speaker],
        track=track,
        title_vi="Trách nhiệm pháp lý của KOL",
        title_en="KOLs' legal responsibility",
    )
    roundtable = make_session(
        event,
        small_room,
        "09:30",
        "11:00",
        capacity=1,
        format="roundtable",
        title_vi="Bàn tròn: bảo vệ trẻ em trên mạng",
        title_en="Roundtable: protecting children",
    )
    second_day = make_session(
        event, hall, "09:00", "10:00", day=1, title_vi="Công bố Liên minh KOL", title_en="Founding of the KOL Alliance"
    )
    services.publish_agenda(event=event, by=organizer)
    return keynote, roundtable, second_day


def _login(client, participant):
    sign_in_participant(client, participant)


def _titles(response):
    return [s.title for s in response.context["sessions"]]


def test_agenda_page_first_day_in_vietnamese(client, event, agenda):
    response = client.get(f"/e/{event.slug}/agenda/")

    assert response.status_code == 200
    assert _titles(response) == ["Trách nhiệm pháp lý của KOL", "Bàn tròn: bảo vệ trẻ em trên mạng"]
    assert "Phạm Minh Tuấn" in response.content.decode()


def test_agenda_page_second_day_in_english(client, event, agenda):
    client.cookies["conference_language"] = "en"

    response = client.get(f"/e/{event.slug}/agenda/?day=2027-08-15")

    assert _titles(response) == ["Founding of the KOL Alliance"]
    assert "Founding of the KOL Alliance" in response.content.decode()


def test_agenda_page_search_ignores_case_and_diacritics(client, event, agenda):
    by_speaker = client.get(f"/e/{event.slug}/agenda/", {"q": "pham minh TUAN"})
    by_title = client.get(f"/e/{event.slug}/agenda/", {"q": "Liên minh"})

    assert _titles(by_speaker) == ["Trách nhiệm pháp lý của KOL"]
    assert _titles(by_title) == ["Công bố Liên minh KOL"]


def test_agenda_page_by_room_and_by_track(client, event, agenda, small_room, track):
    by_room = client.get(f"/e/{event.slug}/agenda/", {"room": small_room.pk})
    by_track = client.get(f"/e/{event.slug}/agenda/", {"track": track.slug})

    assert _titles(by_room) == ["Bàn tròn: bảo vệ trẻ em trên mạng"]
    assert _titles(by_track) == ["Trách nhiệm pháp lý của KOL"]


def test_agenda_page_bad_filters_show_first_day(client, event, agenda):
    response = client.get(f"/e/{event.slug}/agenda/", {"day": "not-a-date", "room": "x"})

    assert response.status_code == 200
    assert len(_titles(response)) == 2


def test_agenda_page_before_publication_is_404(client, event, hall):
    make_session(event, hall)

    assert client.get(f"/e/{event.slug}/agenda/").status_code == 404


def test_session_page_shows_people_and_seats(client, event, agenda):
    keynote, roundtable, _ = agenda

    vietnamese = client.get(f"/e/{event.slug}/agenda/s/{roundtable.pk}/").content.decode()
    client.cookies["conference_language"] = "en"
    english = client.get(f"/e/{event.slug}/agenda/s/{keynote.pk}/").content.decode()

    assert "còn 1 / 1 chỗ" in vietnamese
    assert "Phạm Minh Tuấn" in english
    assert "Speaker" in english
    assert "KOLs&#x27; legal responsibility" in english


def test_reserve_from_page_then_panel_shows_clash(client, event, agenda, attendee):
    keynote, roundtable, _ = agenda
    _login(client, attendee)

    client.post(f"/e/{event.slug}/agenda/s/{roundtable.pk}/reserve/")
    client.post(f"/e/{event.slug}/agenda/s/{keynote.pk}/bookmark/")
    page = client.get(f"/e/{event.slug}/me/").content.decode()

    assert Reservation.objects.get(participant=attendee).status == "confirmed"
    assert Bookmark.objects.get(participant=attendee).session_id == keynote.pk
    assert page.count('class="clash"') == 2
    assert f"/e/{event.slug}/agenda/me/" in page
    assert "webcal://testserver/e/" in page


def test_reserve_without_personal_session_redirects_to_personal_page(client, event, agenda):
    _keynote, roundtable, _ = agenda

    response = client.post(f"/e/{event.slug}/agenda/s/{roundtable.pk}/reserve/")

    assert response.status_code == 302
    assert response["Location"] == f"/e/{event.slug}/me/"
    assert Reservation.objects.count() == 0


def test_reserve_next_pointing_off_site_is_ignored(client, event, agenda, attendee):
    _keynote, roundtable, _ = agenda
    _login(client, attendee)

    response = client.post(f"/e/{event.slug}/agenda/s/{roundtable.pk}/reserve/", {"next": "https://evil.example/"})

    assert response["Location"] == f"/e/{event.slug}/agenda/s/{roundtable.pk}/"


def test_builder_page_needs_organizer(client, event, door_staff, organizer):
    assert client.get(f"/e/{event.slug}/agenda/builder/").status_code == 302
    client.force_login(door_staff)
    assert client.get(f"/e/{event.slug}/agenda/builder/").status_code == 404
    client.force_login(organizer)
    assert client.get(f"/e/{event.slug}/agenda/builder/").status_code == 200


def test_changes_page_lists_versions_with_readable_changelog(client, event, agenda, small_room, organizer):
    keynote, _roundtable, _second_day = agenda
    services.update_session(session=keynote, changes={"room_id": small_room.pk}, by=organizer, override=True)
    client.cookies["conference_language"] = "en"
    services.publish_agenda(event=event, by=organizer)

    page = client.get(f"/e/{event.slug}/agenda/changes/").content.decode()

    assert page.index("Version 2") < page.index("Version 1")
    assert "KOLs&#x27; legal responsibility</strong> · Moved: Reunification Hall → Lotus Room" in page
    assert page.count('data-kind="added"') == 3


def test_track_styles_serve_only_hex_colours(client, event, agenda, track, organizer):
    from sessions.models import Track

    Track.objects.create(event=event, slug="bad", name_vi="Xấu", color="red;}")
    services.update_session(session=agenda[1], changes={"track_id": Track.objects.get(slug="bad").pk}, by=organizer)
    services.publish_agenda(event=event, by=organizer)

    response = client.get(f"/e/{event.slug}/agenda/tracks.css")

    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content.decode() == f".track-{track.pk} {{ --track: #0b4f8a; }}\n"


def test_agenda_grid_view_places_sessions_by_room_and_time(client, event, agenda):
    keynote, roundtable, _ = agenda

    response = client.get(f"/e/{event.slug}/agenda/?view=grid")
    page = response.content.decode()

    assert [(cell.session.id, cell.column) for cell in response.context["grid"].cells] == [
        (keynote.pk, 2),
        (roundtable.pk, 3),
    ]
    assert 'class="agenda-grid-scroll" role="region" tabindex="0"' in page
    assert 'href="?day=2027-08-15&amp;view=grid"' in page  # the day tabs keep the grid
    assert "Lưới phòng × giờ" in page


def test_agenda_grid_view_with_a_bad_view_shows_the_list(client, event, agenda):
    response = client.get(f"/e/{event.slug}/agenda/?view=%3Cscript%3E")

    assert (response.status_code, response.context["view"], response.context["grid"]) == (200, "list", None)


def test_person_page_lists_their_sessions_linked_from_listings(client, event, agenda, speaker):
    keynote, _, _ = agenda
    listing = client.get(f"/e/{event.slug}/agenda/").content.decode()
    session_page = client.get(f"/e/{event.slug}/agenda/s/{keynote.pk}/").content.decode()

    response = client.get(f"/e/{event.slug}/agenda/people/{speaker.pk}/")

    link = f'href="/e/{event.slug}/agenda/people/{speaker.pk}/"'
    assert link in listing and link in session_page
    assert response.status_code == 200
    assert [(s.id, role) for s, role in response.context["appearances"]] == [(keynote.pk, "Diễn giả")]
    assert "Hiệp hội An ninh mạng quốc gia" in response.content.decode()


def test_person_page_of_someone_not_on_the_published_agenda_is_404(client, event, agenda, attendee, hall, speaker):
    make_session(event, hall, "14:00", "15:00", people=[attendee], title_vi="Chưa công bố")

    assert client.get(f"/e/{event.slug}/agenda/people/{attendee.pk}/").status_code == 404
    assert client.get(f"/e/{event.slug}/agenda/people/999999/").status_code == 404
    assert client.get(f"/e/other/agenda/people/{speaker.pk}/").status_code == 404


def test_session_calendar_is_one_event_in_the_linking_pages_language(client, event, agenda):
    keynote, _, _ = agenda
    page = client.get(f"/e/{event.slug}/agenda/s/{keynote.pk}/").content.decode()

    unfold = lambda response: response.content.decode().replace("\r\n ", "")  # noqa: E731 (RFC 5545 line folding)
    vietnamese = unfold(client.get(f"/e/{event.slug}/agenda/s/{keynote.pk}.ics"))
    english = unfold(client.get(f"/e/{event.slug}/agenda/s/{keynote.pk}.ics?lang=en"))

    assert f'href="/e/{event.slug}/agenda/s/{keynote.pk}.ics?lang=vi"' in page
    assert vietnamese.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Trách nhiệm pháp lý của KOL" in vietnamese
    assert "X-WR-CALNAME:Trách nhiệm pháp lý của KOL" in vietnamese
    assert "Diễn giả: Phạm Minh Tuấn" in vietnamese
    assert "SUMMARY:KOLs' legal responsibility" in english
    assert client.get(f"/e/{event.slug}/agenda/s/999999.ics").status_code == 404


def test_every_page_links_the_favicon(client, event, agenda):
    from django.contrib.staticfiles import finders

    page = client.get(f"/e/{event.slug}/agenda/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("favicon.svg") is not None


def test_builder_day_tabs_are_weekday_and_date_in_the_pages_language(client, event, organizer):
    client.force_login(organizer)

    vietnamese = client.get(f"/e/{event.slug}/agenda/builder/").context["day_labels"]
    client.cookies["conference_language"] = "en"
    english = client.get(f"/e/{event.slug}/agenda/builder/").context["day_labels"]

    assert vietnamese == {"2027-08-14": "Thứ 7 14/8", "2027-08-15": "Chủ nhật 15/8"}
    assert english == {"2027-08-14": "Sat 14/8", "2027-08-15": "Sun 15/8"}


def test_changes_page_shows_a_seat_change(client, event, agenda, organizer):
    _, roundtable, _ = agenda
    services.update_session(session=roundtable, changes={"capacity": 30}, by=organizer)
    services.publish_agenda(event=event, by=organizer)

    page = client.get(f"/e/{event.slug}/agenda/changes/").content.decode()

    assert "Bàn tròn: bảo vệ trẻ em trên mạng</strong> · Số chỗ đặt trước: 1 → 30" in page


def test_agenda_grid_view_with_a_filter_stays_on_the_chosen_day(client, event, agenda, hall):
    keynote, _, second_day = agenda

    first = client.get(f"/e/{event.slug}/agenda/?view=grid&room={hall.pk}").context["grid"]
    second = client.get(f"/e/{event.slug}/agenda/?view=grid&room={hall.pk}&day=2027-08-15").context["grid"]

    assert [cell.session.id for cell in first.cells] == [keynote.pk]
    assert [cell.session.id for cell in second.cells] == [second_day.pk]
