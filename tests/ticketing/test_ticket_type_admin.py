"""Organizers set who may hold a pass by ticking categories, and the list names them (never raw JSON)."""

import pytest
from django.urls import reverse

from ticketing.models import Quota, TicketType

from .factories import make_business_type

pytestmark = pytest.mark.django_db


def test_ticket_type_list_names_the_categories_not_json(organizer_client, event):
    make_business_type(event)
    TicketType.objects.create(event=event, name_vi="Thẻ khách mời", categories=["kol", "platform"], price=0)

    page = organizer_client.get(reverse("admin:ticketing_tickettype_changelist"), HTTP_ACCEPT_LANGUAGE="vi")

    body = page.content.decode()
    assert "[&quot;" not in body and '["' not in body
    assert '<td class="field-category_names">Doanh nghiệp</td>' in body
    assert '<td class="field-category_names">KOL / KOC, Nền tảng số</td>' in body


def ticket_type_form(event, quota, **changes):
    return {
        "event": event.pk,
        "name_vi": "Thẻ khách mời",
        "name_en": "Guest pass",
        "categories": ["kol", "platform"],
        "price": 0,
        "quotas": [quota.pk],
        "max_per_order": 1,
        "active": "on",
        **changes,
    }


def test_ticket_type_form_ticks_categories_and_stores_their_values(organizer_client, event):
    quota = Quota.objects.create(event=event, name="Khách mời", size=100)
    add = reverse("admin:ticketing_tickettype_add")

    form = organizer_client.get(add, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'type="checkbox" name="categories" value="regulator"' in form
    response = organizer_client.post(add, ticket_type_form(event, quota))

    assert response.status_code == 302
    assert TicketType.objects.get().categories == ["kol", "platform"]


def test_ticket_type_form_refuses_an_unknown_category_and_saves_nothing(organizer_client, event):
    quota = Quota.objects.create(event=event, name="Khách mời", size=100)

    response = organizer_client.post(
        reverse("admin:ticketing_tickettype_add"),
        ticket_type_form(event, quota, categories=["kol", "nha-bao"]),
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert response.status_code == 200
    assert "nha-bao không phải là một trong các lựa chọn khả thi" in response.content.decode().replace("&quot;", "")
    assert TicketType.objects.count() == 0
