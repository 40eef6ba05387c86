import pytest

from events.enums import Category, ParticipantStatus
from events.extensions import run_demo_seeders
from tests.events.factories import make_participant
from ticketing.models import OrderPosition, Quota, TicketType, Voucher

from .factories import BUYER, order_for, passes

pytestmark = pytest.mark.django_db


def test_demo_seeder_creates_passes_quotas_and_a_voucher(event):
    approved_kol = make_participant(event, category=Category.KOL, status=ParticipantStatus.APPROVED)
    make_participant(event, category=Category.KOL, status=ParticipantStatus.PENDING)
    run_demo_seeders(event)
    prices = dict(TicketType.objects.values_list("name_vi", "price"))
    assert prices["Thẻ doanh nghiệp"] == 1_500_000
    assert sorted(price for price in prices.values() if price == 0) == [0, 0, 0]
    assert Voucher.objects.get().code == "HIEPHOI2027"
    assert list(OrderPosition.objects.values_list("participant_id", flat=True)) == [approved_kol.pk]
    assert Quota.objects.get(whole_event=True).taken == 1
    business = TicketType.objects.get(price=1_500_000)
    order = order_for(event, dict(BUYER), passes(business, 2), voucher_code="hiephoi2027")
    assert order.total == 2_400_000
