"""The personal page's next step for each way to a badge (issue #15 item 3): what the person is told to do.

Nobody approved is left waiting for a badge without being told what comes next:
a business representative is sent to the shop, an order waiting for payment links
to its page, a pass someone else ordered for them is named, and a guest whose pass
the organizers still have to arrange is told so (the organizer home counts them).
"""

import re

import pytest
from django.urls import reverse

from events.enums import Category, ParticipantStatus
from events.services import decide_application
from tests.events.factories import make_participant, open_personal_link
from ticketing.services.orders import create_order

from .factories import BUYER, make_business_type, make_free_type, passes, place_order

pytestmark = pytest.mark.django_db


def step_on_personal_page(client, participant):
    """The next step's key and its action link (or "") as the personal page shows them."""
    open_personal_link(client, participant)
    page = client.get(reverse("events:personal_page", args=[participant.event.slug])).content.decode()
    found = re.search(r'<div class="next-step" data-step="([a-z_]+)">(.*?)</div>', page, re.S)
    assert found, "the personal page shows no next step"
    link = re.search(r'href="([^"]+)"', found.group(2))
    return found.group(1), link.group(1) if link else ""


def test_approved_business_representative_without_a_pass_is_sent_to_the_shop(client, event):
    make_business_type(event)
    representative = make_participant(event, category=Category.BUSINESS, status=ParticipantStatus.APPROVED)

    assert step_on_personal_page(client, representative) == ("order_pass", reverse("ticketing:buy", args=[event.slug]))


def test_an_order_waiting_for_payment_links_to_its_page(client, event):
    ticket_type = make_business_type(event)
    representative = make_participant(
        event, category=Category.BUSINESS, status=ParticipantStatus.APPROVED, email=BUYER["email"]
    )
    order = create_order(event=event, buyer=dict(BUYER), passes=passes(ticket_type), buyer_participant=representative)

    assert step_on_personal_page(client, representative) == (
        "pay_for_pass",
        reverse("ticketing:order", args=[order.token]),
    )


def test_a_pass_ordered_by_someone_else_is_named_until_it_is_paid(client, event):
    ticket_type = make_business_type(event)
    place_order(event, ticket_type)  # the Sao Việt buyer ordered a pass for Nguyễn Thu Hà
    colleague = make_participant(
        event, category=Category.BUSINESS, status=ParticipantStatus.APPROVED, email="ha.nguyen@saoviet.vn"
    )

    assert step_on_personal_page(client, colleague) == ("pass_ordered", "")


def test_a_guest_whose_pass_the_organizers_arrange_is_told_so(client, event):
    make_business_type(event)  # the event sells business passes only: a KOL's pass is the organizers' to give
    kol = make_participant(event, category=Category.KOL, status=ParticipantStatus.APPROVED)

    assert step_on_personal_page(client, kol) == ("pass_being_arranged", "")


def test_a_free_pass_on_approval_makes_the_next_step_the_badge(
    client, event, organizer, django_capture_on_commit_callbacks
):
    make_free_type(event, Category.KOL)
    kol = make_participant(event, category=Category.KOL, status=ParticipantStatus.PENDING)
    assert step_on_personal_page(client, kol) == ("wait_for_review", "")

    with django_capture_on_commit_callbacks(execute=True):  # the pass is issued once the decision commits
        decide_application(participant=kol, decision=ParticipantStatus.APPROVED, reason="Phù hợp.", by=organizer)
    assert step_on_personal_page(client, kol) == (
        "download_badge",
        reverse("ticketing:badge_download", args=[event.slug]),
    )


@pytest.mark.parametrize(
    ("status", "key"), [(ParticipantStatus.WAITLISTED, "waitlisted"), (ParticipantStatus.REJECTED, "not_accepted")]
)
def test_waitlisted_and_rejected_are_told_where_they_stand(client, event, status, key):
    participant = make_participant(event, status=status)

    assert step_on_personal_page(client, participant) == (key, "")
