import pytest

from events import services as event_services
from events.enums import Category, ConsentPurpose, ParticipantStatus
from tests.events.factories import make_invitation, make_participant
from ticketing.enums import OrderSource, OrderStatus
from ticketing.models import Badge, OrderPosition, Quota
from ticketing.services import check_badge_code

from .factories import make_free_type

pytestmark = pytest.mark.django_db(transaction=True)


def test_approving_a_kol_issues_their_free_pass(event, organizer):
    free = make_free_type(event, Category.KOL)
    kol = make_participant(event, category=Category.KOL)
    event_services.decide_application(participant=kol, decision=ParticipantStatus.APPROVED, by=organizer)
    position = OrderPosition.objects.get()
    assert (position.participant_id, position.ticket_type_id, position.price) == (kol.pk, free.pk, 0)
    assert (position.order.status, position.order.source) == (OrderStatus.PAID, OrderSource.APPROVAL)
    assert Quota.objects.get().taken == 1


def test_approving_a_kol_issues_the_pass_then_the_badge_it_makes_valid(event, organizer):
    make_free_type(event, Category.KOL)
    kol = make_participant(event, category=Category.KOL)
    event_services.decide_application(participant=kol, decision=ParticipantStatus.APPROVED, by=organizer)
    badge = Badge.objects.get(participant=kol)
    assert check_badge_code(badge.code) == badge


def test_approving_without_a_free_pass_for_the_category_issues_no_badge(event, organizer):
    make_free_type(event, Category.KOL)
    regulator = make_participant(event, category=Category.REGULATOR)
    event_services.decide_application(participant=regulator, decision=ParticipantStatus.APPROVED, by=organizer)
    assert OrderPosition.objects.count() == 0
    assert Badge.objects.count() == 0


def test_rejecting_issues_nothing(event, organizer):
    make_free_type(event, Category.KOL)
    kol = make_participant(event, category=Category.KOL)
    event_services.decide_application(participant=kol, decision=ParticipantStatus.REJECTED, by=organizer)
    assert OrderPosition.objects.count() == 0


def test_approving_again_after_waitlist_does_not_issue_a_second_pass(event, organizer):
    make_free_type(event, Category.KOL)
    kol = make_participant(event, category=Category.KOL)
    event_services.decide_application(participant=kol, decision=ParticipantStatus.APPROVED, by=organizer)
    kol.refresh_from_db()
    event_services.decide_application(participant=kol, decision=ParticipantStatus.WAITLISTED, by=organizer)
    kol.refresh_from_db()
    event_services.decide_application(participant=kol, decision=ParticipantStatus.APPROVED, by=organizer)
    assert OrderPosition.objects.count() == 1
    assert Quota.objects.get().taken == 1


def test_using_an_invitation_issues_the_regulators_free_pass(event):
    make_free_type(event, Category.REGULATOR)
    invitation = make_invitation(event, Category.REGULATOR)
    participant = event_services.register_participant(
        event=event,
        category=Category.REGULATOR,
        fields={
            "full_name": "Hoàng Văn Sơn",
            "title": "Trung tá",
            "organization": "Cục A05, Bộ Công an",
            "email": "son.hoang@bocongan.gov.vn",
            "phone": "+84912345678",
            "language": "vi",
        },
        consents=[ConsentPurpose.PARTICIPATION],
        invitation_code=invitation.code,
    )
    assert OrderPosition.objects.get().participant_id == participant.pk


def test_approval_when_the_quota_is_full_keeps_the_approval_without_a_pass(event, organizer):
    make_free_type(event, Category.KOL, seats=1)
    first, second = make_participant(event), make_participant(event)
    event_services.decide_application(participant=first, decision=ParticipantStatus.APPROVED, by=organizer)
    event_services.decide_application(participant=second, decision=ParticipantStatus.APPROVED, by=organizer)
    second.refresh_from_db()
    assert second.status == ParticipantStatus.APPROVED
    assert list(OrderPosition.objects.values_list("participant_id", flat=True)) == [first.pk]
    assert Quota.objects.get().taken == 1


def test_approving_a_category_without_a_free_type_issues_nothing(event, organizer):
    make_free_type(event, Category.KOL)
    business = make_participant(event, category=Category.BUSINESS)
    event_services.decide_application(participant=business, decision=ParticipantStatus.APPROVED, by=organizer)
    assert OrderPosition.objects.count() == 0
