"""Background jobs: the one way any app queues one (django-q2)."""

from django.db import transaction
from django_q.tasks import async_task


def enqueue(func_path, *args):
    """Queue the job `func_path(*args)` once the current transaction commits, so it never sees
    uncommitted rows (and never runs for a transaction that rolls back). Jobs take ids, not objects."""
    transaction.on_commit(lambda: async_task(func_path, *args))
