"""Exports parsed back: iCalendar with a library, frab XML against the XSD, frab JSON against its schema."""

import json
from pathlib import Path

import pytest
from django.core import signing

from sessions import services
from sessions.views import personal_calendar_token
from tests.agenda.factories import at, make_session

pytestmark = pytest.mark.django_db

FRAB = Path(__file__).resolve().parent.parent / "data" / "frab"


@pytest.fixture
def published(event, hall, small_room, track, speaker, organizer):
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
        capacity=30,
        format="roundtable",
        title_vi="Bàn tròn: bảo vệ trẻ em trên mạng",
        title_en="",
        day=1,
    )
    services.publish_agenda(event=event, by=organizer)
    return keynote, roundtable


def _calendar(response):
    from icalendar import Calendar

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_all_parses_with_timezone_and_stable_uids(client, event, published):
    keynote, roundtable = published

    calendar = _calendar(client.get(f"/e/{event.slug}/agenda/agenda.ics"))

    events = _events(calendar)
    assert sorted(events) == sorted(
        [f"{keynote.uid}@kol-2027.kol-conference", f"{roundtable.uid}@kol-2027.kol-conference"]
    )
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    item = events[f"{keynote.uid}@kol-2027.kol-conference"]
    assert item["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert item.decoded("DTSTART") == at(event, "09:00")
    assert str(item["SUMMARY"]) == "Trách nhiệm pháp lý của KOL"
    assert "Phạm Minh Tuấn" in str(item["DESCRIPTION"])
    assert int(item["SEQUENCE"]) == 1


def test_calendar_after_move_keeps_uid_and_raises_sequence(client, event, published, organizer):
    keynote, _roundtable = published
    services.update_session(
        session=keynote, changes={"starts_at": at(event, "14:00"), "ends_at": at(event, "15:00")}, by=organizer
    )
    services.publish_agenda(event=event, by=organizer)

    item = _events(_calendar(client.get(f"/e/{event.slug}/agenda/agenda.ics")))[
        f"{keynote.uid}@kol-2027.kol-conference"
    ]

    assert item.decoded("DTSTART") == at(event, "14:00")
    assert int(item["SEQUENCE"]) == 2


def test_calendar_english_uses_english_titles(client, event, published):
    calendar = _calendar(client.get(f"/e/{event.slug}/agenda/agenda.ics?lang=en"))

    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == [
        "Bàn tròn: bảo vệ trẻ em trên mạng",
        "KOLs' legal responsibility",
    ]


def test_calendar_room_and_track_contain_only_their_sessions(client, event, published, small_room, track):
    keynote, roundtable = published

    by_room = _events(_calendar(client.get(f"/e/{event.slug}/agenda/room/{small_room.pk}.ics")))
    by_track = _events(_calendar(client.get(f"/e/{event.slug}/agenda/track/{track.slug}.ics")))

    assert list(by_room) == [f"{roundtable.uid}@kol-2027.kol-conference"]
    assert list(by_track) == [f"{keynote.uid}@kol-2027.kol-conference"]


def test_calendar_personal_has_bookmarks_and_confirmed_seats(client, event, published, attendee):
    keynote, roundtable = published
    services.bookmark_session(session=keynote, participant=attendee)
    services.reserve_seat(session=roundtable, participant=attendee)

    token = personal_calendar_token(attendee)
    events = _events(_calendar(client.get(f"/e/{event.slug}/agenda/me/{token}.ics")))

    assert sorted(events) == sorted(
        [f"{keynote.uid}@kol-2027.kol-conference", f"{roundtable.uid}@kol-2027.kol-conference"]
    )


def test_calendar_personal_tampered_token_is_not_found(client, event, published, attendee):
    forged = signing.Signer(salt="another-salt").sign(str(attendee.pk))

    assert client.get(f"/e/{event.slug}/agenda/me/{forged}.ics").status_code == 404
    assert client.get(f"/e/{event.slug}/agenda/me/{attendee.pk}.ics").status_code == 404


def test_calendar_before_publication_is_not_found(client, event, hall):
    make_session(event, hall)

    assert client.get(f"/e/{event.slug}/agenda/agenda.ics").status_code == 404


def test_frab_xml_validates_against_schedule_xsd(client, event, published):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(FRAB / "schedule.xml.xsd")))
    response = client.get(f"/e/{event.slug}/agenda/schedule.xml")
    document = etree.fromstring(response.content)

    assert schema.validate(document), schema.error_log
    assert [day.get("date") for day in document.findall("day")] == ["2027-08-14", "2027-08-15"]
    assert document.find("day/room/event/persons/person").text == "Phạm Minh Tuấn"
    assert document.find("day/room/event/date").text == "2027-08-14T09:00:00+07:00"


def test_frab_json_validates_against_schedule_schema(client, event, published):
    import jsonschema

    schema = json.loads((FRAB / "schedule.schema.json").read_text())
    data = client.get(f"/e/{event.slug}/agenda/schedule.json").json()

    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    days = data["schedule"]["conference"]["days"]
    assert [day["date"] for day in days] == ["2027-08-14", "2027-08-15"]
    assert days[0]["rooms"]["Hội trường Thống Nhất"][0]["persons"] == [
        {"id": published[0].people.get().participant_id, "name": "Phạm Minh Tuấn"}
    ]


def _descriptions(response):
    return {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in _calendar(response).walk("VEVENT")}


def test_calendar_feeds_without_lang_are_in_vietnamese(client, event, published, small_room, track):
    for path in ["agenda.ics", f"room/{small_room.pk}.ics", f"track/{track.slug}.ics"]:
        text = " ".join(_descriptions(client.get(f"/e/{event.slug}/agenda/{path}")).values())
        assert "Speaker" not in text and "Roundtable" not in text and "Keynote" not in text, path
    whole = _descriptions(client.get(f"/e/{event.slug}/agenda/agenda.ics"))
    assert whole["Bàn tròn: bảo vệ trẻ em trên mạng"].startswith("Bàn tròn")


def test_calendar_feed_takes_the_linking_pages_language(client, event, published):
    english = _descriptions(client.get(f"/e/{event.slug}/agenda/agenda.ics?lang=en"))
    assert english["Bàn tròn: bảo vệ trẻ em trên mạng"].startswith("Roundtable")
    page = client.get(f"/e/{event.slug}/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/e/{event.slug}/agenda/agenda.ics?lang=en"' in page
    assert f'href="/e/{event.slug}/agenda/schedule.xml?lang=en"' in page


def test_calendar_personal_is_in_the_persons_language_whatever_the_client(client, event, published, attendee):
    _keynote, roundtable = published
    services.reserve_seat(session=roundtable, participant=attendee)
    token = personal_calendar_token(attendee)
    url = f"/e/{event.slug}/agenda/me/{token}.ics"
    assert attendee.language == "en"
    assert _descriptions(client.get(url))["Bàn tròn: bảo vệ trẻ em trên mạng"].startswith("Roundtable")
    attendee.language = "vi"
    attendee.save(update_fields=["language"])
    in_vietnamese = _descriptions(client.get(url + "?lang=en", HTTP_ACCEPT_LANGUAGE="en"))
    assert in_vietnamese["Bàn tròn: bảo vệ trẻ em trên mạng"].startswith("Bàn tròn")


def test_frab_xml_and_json_take_lang_and_default_to_vietnamese(client, event, published):
    from lxml import etree

    titles = {
        lang: [
            e.text
            for e in etree.fromstring(client.get(f"/e/{event.slug}/agenda/schedule.xml{q}").content).iter("title")
        ]
        for lang, q in [("vi", ""), ("en", "?lang=en")]
    }
    assert "Trách nhiệm pháp lý của KOL" in titles["vi"] and "KOLs' legal responsibility" in titles["en"]
    data = client.get(f"/e/{event.slug}/agenda/schedule.json?lang=en", HTTP_ACCEPT_LANGUAGE="vi").json()
    rooms = data["schedule"]["conference"]["days"][0]["rooms"]
    assert [e["title"] for sessions in rooms.values() for e in sessions] == ["KOLs' legal responsibility"]


def test_calendar_names_are_in_the_feeds_language_not_the_clients(client, event, published, small_room, attendee):
    room_feed = f"/e/{event.slug}/agenda/room/{small_room.pk}.ics?lang=en"
    personal_feed = f"/e/{event.slug}/agenda/me/{personal_calendar_token(attendee)}.ics"

    names = [
        str(_calendar(client.get(url, HTTP_ACCEPT_LANGUAGE="vi"))["X-WR-CALNAME"])
        for url in [room_feed, personal_feed, f"/e/{event.slug}/agenda/agenda.ics"]
    ]

    assert names == [
        "First National KOL Conference · Lotus Room",
        "My agenda · First National KOL Conference",  # the attendee reads English
        "Hội nghị KOL toàn quốc lần thứ nhất",
    ]
