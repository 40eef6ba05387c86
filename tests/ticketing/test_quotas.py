import pytest
from django.db import OperationalError
from django_q.tasks import async_task, result

from ticketing.enums import OrderStatus
from ticketing.errors import Busy
from ticketing.services.quotas import busy_on_contention

from .factories import place_order


@pytest.mark.parametrize(
    "message", ["database is locked", "deadlock detected", "canceling statement due to lock timeout"]
)
def test_lock_contention_answers_busy_409(message):
    @busy_on_contention
    def contended():
        raise OperationalError(message)

    with pytest.raises(Busy) as error:
        contended()
    assert (error.value.code, error.value.status) == ("busy", 409)


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
