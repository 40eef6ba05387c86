"""Ticketing's part in personal data rights: data sections, erasure of badges and orders, audited actions."""

import pytest

from events import privacy
from events.models import AuditEntry, Participant
from ticketing.models import Badge, CheckIn, Order
from ticketing.services import checkin
from ticketing.services.orders import cancel_order
from ticketing.services.payments import mark_transfer_received, refund_order

from .factories import place_order

pytestmark = pytest.mark.django_db


def _sections(participant):
    return {key: rows for key, _title, rows in privacy.personal_data(participant)}


def test_data_export_lists_badge_check_ins_orders_and_payments(event, business_type, organizer):
    order = place_order(event, business_type, 1)
    mark_transfer_received(order=order, by=organizer, reference="FT1")
    attendee = Participant.objects.get(event=event)
    sections = _sections(attendee)
    assert [row["reference"] for row in sections["orders"]] == [order.code]
    assert [(row["amount_vnd"], row["order"]) for row in sections["payments"]] == [(1_500_000, order.code)]


def test_erasure_voids_the_badge_and_keeps_check_in_statistics(holder, door_staff):
    code = holder.badge.code
    checkin.scan(code=code, gate="Cổng A", by=door_staff)
    assert privacy.request_erasure(participant=holder).state == "done"
    badge = Badge.objects.get(participant=holder)
    assert (badge.code, bytes(badge.qr_png), badge.version) == ("", b"", 2)
    assert CheckIn.objects.filter(event=holder.event).count() == 1  # statistics stay
    assert checkin.scan(code=code, gate="Cổng A", by=door_staff).result != "admitted"


def test_paid_orders_make_the_erasure_wait_for_an_organizer(event, business_type, organizer):
    order = place_order(event, business_type, 1)
    mark_transfer_received(order=order, by=organizer, reference="FT1")
    buyer = Participant.objects.get(event=event)
    Order.objects.filter(pk=order.pk).update(buyer=buyer)
    erasure = privacy.request_erasure(participant=buyer)
    buyer.refresh_from_db()
    assert (erasure.state, buyer.anonymized_at) == ("pending", None)
    assert erasure.blockers
    assert privacy.request_erasure(participant=buyer) == erasure  # asked twice: still one request
    privacy.erase_participant(participant=buyer, by=organizer, reason="request")
    order.refresh_from_db()
    erasure.refresh_from_db()
    assert (order.buyer_name, order.buyer_tax_code, order.total, erasure.state) == ("—", "", 1_500_000, "done")


def test_undone_check_in_is_audited(holder, door_staff, supervisor):
    first = checkin.scan(code=holder.badge.code, gate="A", by=door_staff)
    checkin.undo(check_in_id=first.check_in_id, by=supervisor)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id, entry.details["participant"]) == (
        "check_in.undone",
        supervisor,
        str(first.check_in_id),
        holder.pk,
    )


def test_refund_and_cancel_are_audited(event, business_type, organizer):
    paid = place_order(event, business_type, 1)
    mark_transfer_received(order=paid, by=organizer, reference="FT9")
    refund_order(order=paid, by=organizer)
    pending = place_order(event, business_type, 1)
    cancel_order(order=pending, by=organizer)
    logged = list(AuditEntry.objects.order_by("pk").values_list("action", "actor"))
    assert logged == [("payment.refunded", organizer.pk), ("order.cancelled", organizer.pk)]
