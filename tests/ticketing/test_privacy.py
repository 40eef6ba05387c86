"""Ticketing's part in personal data rights: data sections, erasure of badges and orders, audited actions."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from events import privacy
from events.links import magic_link
from events.models import AuditEntry, Consent, Participant
from tests.events.factories import make_participant, open_personal_link
from ticketing.models import Badge, CheckIn, Order
from ticketing.services import checkin
from ticketing.services.issuing import issue_free_pass
from ticketing.services.orders import cancel_order
from ticketing.services.payments import mark_transfer_received, refund_order

from .factories import make_free_type, place_order

pytestmark = pytest.mark.django_db


def _sections(participant):
    return {key: rows for key, _title, rows in privacy.personal_data(participant)}


def test_an_attendees_export_shows_their_pass_but_none_of_the_buyers_data(event, business_type, organizer):
    order = place_order(event, business_type, 2)
    mark_transfer_received(order=order, by=organizer, reference="FT1")
    attendee = Participant.objects.get(event=event, email="ha.nguyen@saoviet.vn")
    sections = _sections(attendee)
    exported = json.dumps(privacy.personal_data_json(attendee), ensure_ascii=False)
    assert [(row["reference"], row["passes"]) for row in sections["orders"]] == [(order.code, ["Thẻ doanh nghiệp"])]
    assert sections["payments"] == []  # the company paid: its payment is the buyer's record
    for buyers_data in ("Phạm Minh Tuấn", "tuan.pham@saoviet.vn", "0101234567", "long.tran@saoviet.vn"):
        assert buyers_data not in exported


def test_a_buyers_export_lists_their_order_and_payment(event, business_type, organizer):
    buyer = make_participant(event, email="tuan.pham@saoviet.vn", category="business", status="approved")
    order = place_order(event, business_type, 1, buyer_participant=buyer)
    mark_transfer_received(order=order, by=organizer, reference="FT1")
    sections = _sections(buyer)
    assert [(row["reference"], row["buyer_tax_code"]) for row in sections["orders"]] == [(order.code, "0101234567")]
    assert [(row["amount_vnd"], row["order"]) for row in sections["payments"]] == [(1_500_000, order.code)]


def test_a_free_pass_does_not_hold_an_erasure_back(event):
    make_free_type(event, "kol")
    kol = make_participant(event, category="kol", status="approved")
    issue_free_pass(kol)
    assert privacy.request_erasure(participant=kol).state == "done"


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
        "ticketing.check_in.undone",
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
    assert logged == [
        ("events.application.approved_by_payment", None),
        ("ticketing.payment.refunded", organizer.pk),
        ("ticketing.order.cancelled", organizer.pk),
    ]


def test_a_pending_erasure_stops_links_sessions_token_and_news_at_once_but_not_the_badge(
    holder, business_type, organizer, door_staff, client, settings
):
    """Issue #16: while an organizer has yet to complete an erasure, what could leak stops at once."""
    event = holder.event
    order = place_order(event, business_type, 1, buyer_participant=holder)
    mark_transfer_received(order=order, by=organizer, reference="FT1")  # a payment: the erasure must wait
    make_free_type(event, "kol")
    issue_free_pass(holder)  # the event sells passes: the KOL's own badge needs one
    Consent.objects.create(
        participant=holder, purpose="updates", text_version="2026-01", text_language="vi", text_sha256="0" * 64
    )
    old_token = holder.token
    unspent_link = magic_link(holder).removeprefix(settings.SITE_URL)
    laptop = Client()
    open_personal_link(laptop, holder)
    open_personal_link(client, holder)
    my_data = reverse("events:my_data_json", args=[event.slug])
    assert laptop.get(my_data).status_code == 200

    answer = client.post(reverse("events:request_erasure", args=[event.slug]), {"confirm": "on"}, follow=True)

    holder.refresh_from_db()
    assert holder.erasure_requests.get().state == "pending"
    assert "thẻ đại biểu vẫn dùng được" in answer.content.decode()
    assert client.get(my_data).status_code == 200  # the browser that asked sees its request
    assert laptop.get(my_data).status_code == 404  # every other device is signed out
    laptop.get(unspent_link)
    laptop.post(unspent_link)
    assert laptop.get(my_data).status_code == 404  # and an older link does not sign it back in
    api = client.get("/api/v1/registration", headers={"X-Registration-Token": old_token})
    assert (api.status_code, holder.token != old_token) == (401, True)
    assert list(holder.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)) == [
        "participation"
    ]
    assert checkin.scan(code=holder.badge.code, gate="Cổng A", by=door_staff).result == "admitted"
