"""The organizer home: who may open it, its figures and to-dos on fixed data, links that land on the
filtered lists with the same counts, the shared navigation on every organizer page, bounded queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from events import organizer as organizer_home
from events.models import ErasureRequest, Participant
from events.permissions import DOOR_SUPERVISOR
from tests.agenda.factories import make_room, make_session, make_speaker
from tests.ticketing.factories import BUYER, make_business_type, order_for, passes, place_order
from ticketing.enums import OrderStatus
from ticketing.models import CheckInConflict, Order

from .factories import make_participant
from .test_dashboard import build_event

pytestmark = pytest.mark.django_db

HOME = "/e/{}/manage/"


def todo_counts(event, user):
    return {todo.key: todo.count for todo in organizer_home.home(event, user).todos}


def headlines(event, user):
    return {headline.key: headline for headline in organizer_home.home(event, user).headlines}


def test_home_is_for_organizers_only(client, event, door_staff, organizer):
    url = HOME.format(event.slug)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/staff/?next={url}")
    client.force_login(door_staff)
    assert client.get(url).status_code == 403
    supervisor = User.objects.create_user("giamsat", password="pw-giamsat")
    supervisor.groups.add(Group.objects.get(name=DOOR_SUPERVISOR))
    client.force_login(supervisor)
    assert client.get(url).status_code == 403
    client.force_login(organizer)
    assert client.get(url).status_code == 200
    assert client.get(HOME.format("khong-co")).status_code == 404


def test_headlines_on_fixture_data(event, organizer):
    build_event(event, organizer)  # 4 people: 2 approved (badged, one printed, both admitted), 1 pending, 1 rejected
    ticket_type = make_business_type(event, price=1_500_000)
    Order.objects.filter(pk=place_order(event, ticket_type, 2).pk).update(
        status=OrderStatus.PAID, paid_at=timezone.now()
    )
    found = headlines(event, organizer)
    assert list(found) == ["registrations", "passes", "badges", "inside", "doors", "signatures"]
    assert found["registrations"].value == "4"
    assert found["registrations"].table.columns == ["Đang chờ duyệt", "Đã duyệt", "Bị từ chối", "Trong danh sách chờ"]
    assert found["registrations"].table.rows[0] == ("KOL / KOC", ["1", "1", "0", "0"])
    assert (found["passes"].value, found["passes"].details[0]) == ("2", ("Doanh thu", "3.000.000 ₫"))
    assert (found["badges"].value, found["badges"].details) == ("2", [("Đã in", "1")])
    assert found["inside"].value == "2"
    signatures = [("Tuyên bố thành lập Liên minh KOL Việt Nam", "1")]
    assert (found["signatures"].value, found["signatures"].details) == ("1", signatures)


def test_todo_counts_on_fixture_data(event, organizer):
    build_event(event, organizer)
    make_participant(event, status="approved", full_name="Đỗ Khánh Linh")
    erasure = ErasureRequest.objects.create(participant=make_participant(event, status="approved"))
    ErasureRequest.objects.filter(pk=erasure.pk).update(requested_at=timezone.now() - timedelta(days=4))
    ticket_type = make_business_type(event)
    Order.objects.filter(pk=place_order(event, ticket_type).pk).update(expires_at=timezone.now() - timedelta(hours=1))
    person = Participant.objects.filter(event=event, status="approved").first()
    admission = person.check_ins.get()
    CheckInConflict.objects.create(
        event=event,
        participant=person,
        check_in=admission,
        first_gate="Cổng A",
        first_at=admission.checked_in_at,
        second_gate="Cổng B",
        second_at=admission.checked_in_at,
        second_device="dt-2",
        second_by=organizer,
    )
    home = organizer_home.home(event, organizer)
    assert {todo.key: todo.count for todo in home.todos} == {
        "applications": 1,
        "unpaid_orders": 1,
        "checkin_conflicts": 1,
        "missing_badges": 0,  # the event sells passes: Linh needs a paid one before a badge
        "agenda_conflicts": 0,
        "agenda_unpublished": 0,
        "erasure_requests": 1,
        "failed_mail": 0,
    }
    assert next(todo.note for todo in home.todos if todo.key == "erasure_requests") == "cũ nhất: còn 11 ngày"


def test_missing_badges_counts_those_a_badge_would_verify_for(event, organizer):
    build_event(event, organizer)  # the two approved hold badges; no passes are sold
    make_participant(event, status="approved", full_name="Đỗ Khánh Linh")
    make_participant(event, status="waitlisted", full_name="Vũ Đức Thắng")
    assert todo_counts(event, organizer)["missing_badges"] == 1


def test_erasure_past_its_deadline_says_overdue(event, organizer, settings):
    settings.PERSONAL_DATA_REQUEST_DAYS = 15
    erasure = ErasureRequest.objects.create(participant=make_participant(event))
    ErasureRequest.objects.filter(pk=erasure.pk).update(requested_at=timezone.now() - timedelta(days=17))
    note = next(todo.note for todo in organizer_home.home(event, organizer).todos if todo.key == "erasure_requests")
    assert note == "cũ nhất: quá hạn 2 ngày"


def test_each_todo_link_opens_a_list_with_the_same_count(organizer_client, event, organizer):
    build_event(event, organizer)
    make_participant(event, status="approved", full_name="Đỗ Khánh Linh")
    ErasureRequest.objects.create(participant=make_participant(event, status="approved"))
    ticket_type = make_business_type(event)
    Order.objects.filter(pk=place_order(event, ticket_type).pk).update(expires_at=timezone.now() - timedelta(hours=1))
    order_for(event, dict(BUYER), passes(ticket_type, offset=1))  # not due yet: not listed
    for todo in organizer_home.home(event, organizer).todos:
        response = organizer_client.get(todo.url)
        assert response.status_code == 200, todo.key
        if "cl" in (response.context or {}):
            assert (todo.key, response.context["cl"].result_count) == (todo.key, todo.count)


# session, user, groups; the event; events: registrations, signatures (2), erasures, e-mails;
# ticketing: sales, badges, inside, door planning (3), orders, conflicts, badges missing; agenda: draft (2),
# rooms, tracks, latest; meetings: attendance at ended meetings (one aggregate)
HOME_QUERIES = 24  # the draft's people are one more query, run only when it has sessions


@pytest.mark.parametrize("size", [1, 3])
def test_home_queries_do_not_grow_with_the_event(
    organizer_client, event, organizer, size, count_queries, django_assert_max_num_queries
):
    build_event(event, organizer, size=size)
    hall = make_room(event, "Hội trường Thống Nhất")
    for hour in range(size):
        make_session(event, hall, f"{9 + hour:02d}:00", f"{9 + hour:02d}:45", people=[make_speaker(event)])
    with django_assert_max_num_queries(HOME_QUERIES):
        response = organizer_client.get(HOME.format(event.slug))
    assert response.status_code == 200
    assert count_queries(lambda: organizer_client.get(HOME.format(event.slug))) == HOME_QUERIES


def test_home_lists_every_organizer_tool(organizer_client, event):
    page = organizer_client.get(HOME.format(event.slug)).content.decode()
    for address in [
        f"/e/{event.slug}/dashboard/",
        f"/e/{event.slug}/agenda/builder/",
        f"/e/{event.slug}/checkin/arrivals/",
        f"/e/{event.slug}/checkin/devices/",
        f"/e/{event.slug}/checkin/",
        f"/e/{event.slug}/orga/mail/",
        f"/e/{event.slug}/kiosk/",
        f"/admin/ticketing/printjob/?event__id__exact={event.pk}",
        f"/admin/events/participant/?event__id__exact={event.pk}",
    ]:
        assert f'href="{address}"' in page, address


@pytest.mark.parametrize(
    "address",
    [
        "/e/{slug}/manage/",
        "/e/{slug}/dashboard/",
        "/e/{slug}/agenda/builder/",
        "/e/{slug}/checkin/arrivals/",
        "/e/{slug}/checkin/devices/",
        "/e/{slug}/orga/mail/",
        "/e/{slug}/orga/mail/new/",
        "/admin/ticketing/printjob/?event__id__exact={pk}",
        "/admin/ticketing/printjob/add/?_changelist_filters=event__id__exact%3D{pk}",
        "/admin/events/participant/?event__id__exact={pk}",
    ],
)
def test_every_organizer_page_shares_the_navigation(organizer_client, event, address):
    page = organizer_client.get(address.format(slug=event.slug, pk=event.pk)).content.decode()
    assert page.count('<nav class="organizer-nav" aria-label="Công cụ ban tổ chức">') == 1
    assert f'href="/e/{event.slug}/manage/"' in page
    assert 'aria-current="page"' in page


def test_print_job_form_starts_with_the_event_it_came_from(organizer_client, event):
    response = organizer_client.get(f"/admin/ticketing/printjob/add/?_changelist_filters=event__id__exact%3D{event.pk}")
    assert response.context["adminform"].form.initial["event"] == str(event.pk)


def test_admin_index_links_each_event_home(organizer_client, event):
    page = organizer_client.get("/admin/").content.decode()
    assert f'<a href="/e/{event.slug}/manage/">{event.name_vi}</a>' in page


def test_event_page_links_the_home_for_organizers_only(client, event, organizer, door_staff):
    address = f'href="/e/{event.slug}/manage/"'
    client.force_login(door_staff)
    assert address not in client.get(f"/e/{event.slug}/").content.decode()
    client.force_login(organizer)
    assert address in client.get(f"/e/{event.slug}/").content.decode()
