"""Vetting cannot be bought (issue #16, item 2), replayed against gunicorn.

The review's rejected KOL bought a business pass with her own e-mail; once it was paid she was
`approved`, signed the Alliance founding declaration and was listed publicly as a founding member.
Here she does the same through the shop and a signed Stripe payment, then tries to sign.
"""

import pytest
import requests
from django.conf import settings

from tests.ticketing.factories import make_business_type

from .conftest import WEBHOOK_SECRET, checkout_completed, stripe_delivery, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rejected_kol(event):
    from tests.events.factories import make_participant

    return make_participant(event, full_name="Lê Thu Trang", email="trang.le@example.vn", status="rejected")


def _signed_in(base, participant):
    from events.links import magic_link

    session = requests.Session()
    link = magic_link(participant).replace(settings.SITE_URL, base)
    assert submit(session, link, {}, allow_redirects=False).status_code == 302
    return session


def _buy_a_pass_for_herself(session, base, event, ticket_type, kol):
    form = {
        "name": kol.full_name, "organization": "Trang Media", "tax_code": "", "voucher": "",
        "attendees_consent": "on", "passes-TOTAL_FORMS": "1", "passes-INITIAL_FORMS": "0",
        "passes-0-ticket_type": str(ticket_type.pk), "passes-0-attendee_name": kol.full_name,
        "passes-0-attendee_email": kol.email,
    }  # fmt: skip
    return submit(session, f"{base}/e/{event.slug}/tickets/", form)


def _organizer_session(base):
    session = requests.Session()
    answer = submit(
        session,
        f"{base}/admin/login/",
        {"username": "bantochuc", "password": "pw-bantochuc", "next": "/admin/"},
        allow_redirects=False,
    )
    assert answer.status_code == 302
    return session


def test_a_rejected_kol_who_pays_for_a_pass_stays_rejected_cannot_sign_and_organizers_see_it(
    gunicorn_server, event, rejected_kol, organizer
):
    from events.models import AuditEntry
    from tests.events.conftest import make_declaration
    from ticketing.models import Order

    declaration = make_declaration(event)
    ticket_type = make_business_type(event)
    base, _log = gunicorn_server(STRIPE_SECRET_KEY="sk_test_replay", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)
    kol = _signed_in(base, rejected_kol)

    bought = _buy_a_pass_for_herself(kol, base, event, ticket_type, rejected_kol)
    order = Order.objects.get(buyer=rejected_kol)
    paid = stripe_delivery(base, checkout_completed(order))
    sign_page = f"{base}/e/{event.slug}/me/declarations/{declaration.slug}/"
    signing = submit(kol, sign_page, {"typed_name": rejected_kol.full_name, "consent": "on", "public": "yes"})
    badge = kol.get(f"{base}/e/{event.slug}/me/badge.pdf", timeout=30)
    public_list = requests.get(f"{base}/e/{event.slug}/declarations/{declaration.slug}/", timeout=30)
    admin_page = _organizer_session(base).get(f"{base}/admin/events/participant/{rejected_kol.pk}/change/", timeout=30)

    order.refresh_from_db()
    rejected_kol.refresh_from_db()
    assert bought.url.endswith(f"/orders/{order.token}/") and paid.status_code == 200
    assert order.status == "paid"
    assert (rejected_kol.category, rejected_kol.status, rejected_kol.decided_by) == ("kol", "rejected", None)
    assert signing.status_code == 400 and not declaration.entries.exists()
    assert badge.status_code == 404
    assert rejected_kol.full_name not in public_list.text
    assert AuditEntry.objects.filter(
        action="events.application.pass_paid_while_undecided", object_id=str(rejected_kol.pk)
    ).exists()
    assert admin_page.status_code == 200
    notice = f"Người này đã trả tiền một thẻ (đơn {order.code}) khi đơn đăng ký đang ở trạng thái “Bị từ chối”."
    assert notice in admin_page.text


def test_a_paid_group_order_approves_each_new_attendee_with_an_audit_entry_and_never_the_buyer(
    gunicorn_server, event, rejected_kol
):
    """The group-order path into `approved`: each named attendee with a new address, logged with the order."""
    from events.models import AuditEntry, Participant
    from tests.ticketing.factories import BUYER, passes
    from ticketing.services.orders import confirm_order, create_order

    ticket_type = make_business_type(event)
    named = passes(ticket_type, 2)
    named[1].attendee_email = rejected_kol.email  # the rejected KOL slipped in as the second attendee
    order = confirm_order(order=create_order(event=event, buyer=dict(BUYER), passes=named))
    base, _log = gunicorn_server(STRIPE_SECRET_KEY="sk_test_replay", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)

    paid = stripe_delivery(base, checkout_completed(order))

    people = {p.email: (p.category, p.status) for p in Participant.objects.filter(event=event)}
    logged = {(e.action, e.object_id, e.details["order"]) for e in AuditEntry.objects.filter(event=event)}
    first = Participant.objects.get(email=named[0].attendee_email)
    assert paid.status_code == 200
    assert people == {
        named[0].attendee_email: ("business", "approved"),
        rejected_kol.email: ("kol", "rejected"),
    }  # the buyer, who named others, is no participant at all
    assert logged == {
        ("events.application.approved_by_payment", str(first.pk), order.code),
        ("events.application.pass_paid_while_undecided", str(rejected_kol.pk), order.code),
    }
