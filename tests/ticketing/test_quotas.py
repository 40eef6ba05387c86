import sqlite3
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django_q.tasks import async_task, result

from ticketing.enums import OrderStatus
from ticketing.errors import Busy
from ticketing.services.quotas import busy_on_contention

from .factories import place_order


@contextmanager
def row_locked_elsewhere(quota):
    """Another connection holds a write lock on the quota's row (SQLite: the database) until the block ends,
    and this connection gives up at once instead of waiting (busy_timeout / lock_timeout 0)."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 0")
    else:
        import psycopg

        settings = connection.settings_dict
        other = psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
        )
        other.execute("SELECT id FROM ticketing_quota WHERE id = %s FOR UPDATE", [quota.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '50ms'")
    try:
        yield
    finally:
        other.rollback() if connection.vendor != "sqlite" else other.execute("ROLLBACK")
        other.close()


@pytest.mark.django_db(transaction=True)
def test_real_lock_contention_is_recognised_by_the_driver_error_and_answers_busy_409(event, business_type):
    from ticketing.models import Quota

    quota = Quota.objects.create(event=event, name="Hội trường", size=10)

    @busy_on_contention
    def take_one():
        with transaction.atomic():
            Quota.objects.filter(pk=quota.pk).update(taken=F("taken") + 1)

    with row_locked_elsewhere(quota), pytest.raises(Busy) as error:
        take_one()
    assert (error.value.code, error.value.status) == ("busy", 409)


@pytest.mark.parametrize("message", ["database is locked", "deadlock detected", "lock timeout"])
def test_a_message_alone_is_not_taken_for_contention(message):
    """Only the driver's error class counts: a message that merely reads like a lock is a real error."""

    @busy_on_contention
    def broken():
        raise OperationalError(message)

    with pytest.raises(OperationalError):
        broken()


def test_other_database_errors_are_not_disguised_as_busy():
    @busy_on_contention
    def broken():
        raise OperationalError("no such table: ticketing_quota")

    with pytest.raises(OperationalError):
        broken()


@pytest.mark.django_db(transaction=True)
def test_scheduled_expiry_task_runs_through_django_q(event, business_type):
    from datetime import timedelta

    from django.utils import timezone

    order = place_order(event, business_type, now=timezone.now() - timedelta(days=2))
    task_id = async_task("ticketing.tasks.expire_orders", sync=True)
    assert result(task_id) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED


@pytest.fixture
def other_event(db):
    from datetime import date

    from events.models import Event

    return Event.objects.create(
        slug="kol-2028", name_vi="Hội nghị KOL lần thứ hai", start_date=date(2028, 8, 12), end_date=date(2028, 8, 13)
    )


def _ticket_type_form(event, quotas):
    return {
        "event": event.pk, "name_vi": "Vé doanh nghiệp", "name_en": "", "categories": ["business"],
        "price": 1500000, "quotas": [quota.pk for quota in quotas], "max_per_order": 10, "active": "on",
    }  # fmt: skip


@pytest.mark.django_db
def test_admin_refuses_a_ticket_type_drawing_on_another_events_quota(organizer_client, event, other_event):
    from ticketing.models import Quota, TicketType

    foreign = Quota.objects.create(event=other_event, name="Hội trường 2028", size=50)
    own = Quota.objects.create(event=event, name="Hội trường", size=50)

    page = organizer_client.get("/admin/ticketing/tickettype/add/").content.decode()
    refused = organizer_client.post("/admin/ticketing/tickettype/add/", _ticket_type_form(event, [own, foreign]))
    saved = organizer_client.post("/admin/ticketing/tickettype/add/", _ticket_type_form(event, [own]))

    assert "kol-2028 · Hội trường 2028" in page and "kol-2027 · Hội trường" in page
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["quotas"] == [
        "Một loại vé chỉ được dùng các hạn mức của chính sự kiện của nó."
    ]
    assert saved.status_code == 302
    assert [list(t.quotas.all()) for t in TicketType.objects.all()] == [[own]]


@pytest.mark.django_db
def test_a_saved_ticket_type_cannot_move_to_another_event_than_its_quotas(event, other_event, business_type):
    from django.core.exceptions import ValidationError

    business_type.event = other_event

    with pytest.raises(ValidationError) as error:
        business_type.full_clean()
    assert list(error.value.message_dict) == ["event"]


@pytest.mark.django_db
def test_an_order_never_takes_a_seat_from_another_events_quota(event, other_event, business_type):
    """A ticket type saved with another event's quota (before the admin refused it) is not sold."""
    from ticketing.errors import QuotaOfAnotherEvent
    from ticketing.models import Quota

    foreign = Quota.objects.create(event=other_event, name="Hội trường 2028", size=50)
    business_type.quotas.add(foreign)

    with pytest.raises(QuotaOfAnotherEvent) as error:
        place_order(event, business_type)

    foreign.refresh_from_db()
    assert (error.value.code, error.value.status, foreign.taken) == ("quota_of_another_event", 409, 0)
