"""Handing a pass of a business order to someone else until the organizers' deadline (issue #19 item 5)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.enums import Category, ParticipantStatus
from events.errors import Conflict, DomainError
from events.models import AuditEntry, Participant
from tests.events.factories import make_participant, open_personal_link
from ticketing import selectors
from ticketing.enums import ScanResult
from ticketing.models import Badge, OrderPosition, Quota, TicketType
from ticketing.services import checkin, handover, issue_badge
from ticketing.services.payments import mark_transfer_received

from .factories import BUYER, make_business_type, order_for, passes, place_order

pytestmark = pytest.mark.django_db

NEW = handover.NewHolder(name="Phan Thị Mai", email="mai.phan@saoviet.vn", title="Trưởng phòng")


@pytest.fixture
def pass_type(open_event):
    return make_business_type(open_event, seats=10, holder_changes_until=timezone.now() + timedelta(days=3))


@pytest.fixture
def paid(pass_type, organizer, django_capture_on_commit_callbacks):
    """A paid two-pass order of Sao Việt; its first attendee, Nguyễn Thu Hà, holds a badge."""
    order = place_order(pass_type.event, pass_type, 2)
    with django_capture_on_commit_callbacks(execute=True):
        mark_transfer_received(order=order, by=organizer, reference="FT26338100")
    first = order.positions.order_by("pk").first()
    return order, first, issue_badge(first.participant)


def scan(code, door_staff):
    return checkin.scan(code=code, gate="Cổng A", by=door_staff)


def test_the_new_holder_gets_the_pass_and_a_badge_and_the_old_badge_is_void(
    paid, door_staff, mailoutbox, django_capture_on_commit_callbacks
):
    order, position, old_badge = paid
    previous = position.participant
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        handover.hand_over_pass(position=position, holder=NEW)

    position.refresh_from_db()
    new = position.participant
    assert (new.full_name, new.email, new.category, new.status) == (
        "Phan Thị Mai",
        "mai.phan@saoviet.vn",
        Category.BUSINESS,
        ParticipantStatus.APPROVED,
    )
    assert (position.attendee_name, position.attendee_email) == ("Phan Thị Mai", "mai.phan@saoviet.vn")
    assert not selectors.holds_valid_ticket(previous)
    old = scan(old_badge.code, door_staff)
    assert old.result == ScanResult.REVOKED
    with translation.override("vi"):  # the door staff's language
        message = old.message
    assert message == "Thẻ này đã vô hiệu: thẻ tham dự đã được chuyển cho người khác hoặc đã bị hủy. Không cho vào."
    assert Badge.objects.get(participant=previous).code == ""
    assert scan(Badge.objects.get(participant=new).code, door_staff).result == ScanResult.ADMITTED
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted(["mai.phan@saoviet.vn", "mai.phan@saoviet.vn", previous.email])
    assert any("/e/" in mail.body and mail.to == ["mai.phan@saoviet.vn"] for mail in mailoutbox)  # personal link


def test_a_rejected_applicant_given_a_pass_stays_rejected_without_a_valid_badge(paid, organizer):
    order, position, _badge = paid
    rejected = make_participant(
        order.event, full_name="Phan Thị Mai", email=NEW.email, category=Category.KOL, status=ParticipantStatus.REJECTED
    )

    handover.hand_over_pass(position=position, holder=NEW)

    rejected.refresh_from_db()
    position.refresh_from_db()
    assert position.participant == rejected
    assert (rejected.status, rejected.category) == (ParticipantStatus.REJECTED, Category.KOL)
    assert not selectors.holds_valid_ticket(rejected)
    assert AuditEntry.objects.filter(action="events.application.pass_paid_while_undecided", object_id=str(rejected.pk))


def test_after_the_deadline_the_pass_cannot_be_handed_on(paid, pass_type):
    _order, position, _badge = paid
    later = pass_type.holder_changes_until + timedelta(seconds=1)

    with pytest.raises(DomainError) as error:
        handover.hand_over_pass(position=position, holder=NEW, now=later)

    assert error.value.code == "holder_change_closed"
    assert OrderPosition.objects.get(pk=position.pk).attendee_email == "ha.nguyen@saoviet.vn"


def test_without_a_deadline_set_no_pass_is_handed_on(open_event):
    ticket_type = make_business_type(open_event)
    position = place_order(open_event, ticket_type).positions.get()

    with pytest.raises(DomainError) as error:
        handover.hand_over_pass(position=position, holder=NEW)

    assert error.value.code == "holder_change_closed"


def test_an_address_holding_a_pass_cannot_receive_another(paid):
    order, position, _badge = paid
    colleague = order.positions.order_by("pk").last()

    with pytest.raises(Conflict) as error:
        handover.hand_over_pass(
            position=position, holder=handover.NewHolder("Trần Quang Long", colleague.attendee_email)
        )

    assert error.value.code == "attendee_has_pass"


def test_a_pass_used_at_the_door_cannot_be_handed_on(paid, door_staff):
    _order, position, badge = paid
    scan(badge.code, door_staff)

    with pytest.raises(Conflict) as error:
        handover.hand_over_pass(position=position, holder=NEW)

    assert error.value.code == "pass_used"


def test_a_pending_order_s_attendee_is_renamed_without_anyone_registered(pass_type):
    position = place_order(pass_type.event, pass_type).positions.get()

    handover.hand_over_pass(position=position, holder=NEW)

    position.refresh_from_db()
    assert (position.attendee_email, position.participant) == ("mai.phan@saoviet.vn", None)
    assert not Participant.objects.filter(email=NEW.email).exists()


# --- The attendee page ---------------------------------------------------------


def change_form(position):
    return {
        "position": position.pk,
        "attendee_name": "Phan Thị Mai",
        "attendee_email": "Mai.Phan@SaoViet.vn",
        "holder_consent": "on",
    }


def test_someone_with_only_the_order_link_cannot_change_an_attendee(client, paid):
    order, position, _badge = paid

    response = client.post(reverse("ticketing:attendees", args=[order.token]), change_form(position))

    assert response.status_code == 302
    assert OrderPosition.objects.get(pk=position.pk).attendee_email == "ha.nguyen@saoviet.vn"


def test_the_buyer_proves_the_address_by_the_e_mailed_link_and_changes_an_attendee(
    client, paid, mailoutbox, django_capture_on_commit_callbacks
):
    order, position, _badge = paid
    page = reverse("ticketing:attendees", args=[order.token])
    assert (
        reverse("ticketing:attendees", args=[order.token])
        in client.get(reverse("ticketing:order", args=[order.token])).content.decode()
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ticketing:attendees_link", args=[order.token]))
    (mail,) = mailoutbox
    assert mail.to == [order.buyer_email]
    link = re.search(r"http\S+/attendees/proof/\S+/", mail.body).group(0)
    client.get(link[link.index("/orders/") :])
    response = client.post(page, change_form(position))

    assert response.status_code == 302
    assert OrderPosition.objects.get(pk=position.pk).attendee_email == "mai.phan@saoviet.vn"


def test_an_expired_or_forged_proof_link_changes_nothing(client, paid):
    order, position, _badge = paid
    forged = reverse("ticketing:holder_proof", args=[order.token, f"{order.code}:1abcde:forged"])

    client.get(forged)
    client.post(reverse("ticketing:attendees", args=[order.token]), change_form(position))

    assert OrderPosition.objects.get(pk=position.pk).attendee_email == "ha.nguyen@saoviet.vn"


def test_a_buyer_signed_in_through_their_personal_link_changes_an_attendee(client, pass_type, organizer):
    event = pass_type.event
    buyer = make_participant(
        event, email="tuan.pham@saoviet.vn", category=Category.BUSINESS, status=ParticipantStatus.APPROVED
    )
    order = order_for(event, dict(BUYER), passes(pass_type, 1), buyer_participant=buyer)
    mark_transfer_received(order=order, by=organizer, reference="FT26338101")
    open_personal_link(client, buyer)

    client.post(reverse("ticketing:attendees", args=[order.token]), change_form(order.positions.get()))

    assert order.positions.get().attendee_email == "mai.phan@saoviet.vn"


def test_a_proof_for_one_order_does_not_open_another(client, paid, pass_type, organizer):
    order, _position, _badge = paid
    other = order_for(pass_type.event, dict(BUYER), passes(pass_type, 1, offset=3))
    client.get(handover.buyer_link_path(order))

    client.post(reverse("ticketing:attendees", args=[other.token]), change_form(other.positions.get()))

    assert other.positions.get().attendee_email != "mai.phan@saoviet.vn"


def test_organizers_set_the_deadline_for_attendee_changes_in_the_admin(organizer_client, open_event):
    quota = Quota.objects.create(event=open_event, name="Doanh nghiệp", size=50)
    form = {
        "event": open_event.pk,
        "name_vi": "Thẻ doanh nghiệp",
        "categories": ["business"],
        "price": 1_500_000,
        "quotas": [quota.pk],
        "max_per_order": 5,
        "active": "on",
        "holder_changes_until_0": "10/08/2027",
        "holder_changes_until_1": "17:00:00",
    }

    response = organizer_client.post(reverse("admin:ticketing_tickettype_add"), form, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 302
    deadline = timezone.localtime(TicketType.objects.get().holder_changes_until)
    assert (deadline.date().isoformat(), deadline.hour) == ("2027-08-10", 17)


def test_door_devices_refreshing_their_lists_learn_the_old_badge_is_void(paid):
    order, position, old_badge = paid
    previous = position.participant

    handover.hand_over_pass(position=position, holder=NEW)

    rows = {row[0]: row[1:3] for row in selectors.offline_holders(order.event)}
    assert rows[previous.pk] == (old_badge.version + 1, False)  # an offline scan of the old code: revoked


def test_the_attendee_page_costs_the_same_queries_for_one_and_three_passes(client, pass_type, count_queries):
    one = place_order(pass_type.event, pass_type, 1)
    three = order_for(pass_type.event, dict(BUYER), passes(pass_type, 3, offset=1))
    for order in (one, three):  # the buyer proved the address: the page shows the change form too
        client.get(handover.buyer_link_path(order))
    client.get(reverse("ticketing:attendees", args=[one.token]))

    queries = [
        count_queries(lambda o=o: client.get(reverse("ticketing:attendees", args=[o.token]))) for o in (one, three)
    ]

    assert queries[0] == queries[1]
