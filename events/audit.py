"""The audit log's one entry point: audit.record(...).

Action names have one form, `<app>.<object>.<verb>` in lower case with underscores
("events.application.approved", "ticketing.order.cancelled", "agenda.session.moved"):
the app that records it, what it is about, what happened. record() refuses any other
form, so the log reads alike everywhere and can be filtered by app or object.
"""

import re

from .models import AuditEntry

ACTION_NAME = re.compile(r"(events|ticketing|agenda|conference)\.[a-z][a-z_]*\.[a-z][a-z_]*")


def record(*, action, actor=None, obj=None, event=None, object_type="", object_id="", **details):
    """Log one action. obj gives object type and id; event defaults to obj.event when it has one.

    `action` must read `<app>.<object>.<verb>` (ACTION_NAME); anything else raises ValueError.
    """
    if not ACTION_NAME.fullmatch(action):
        raise ValueError(f"Audit action {action!r} must read <app>.<object>.<verb> (events.audit.ACTION_NAME)")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if event is None:
            event = getattr(obj, "event", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        event=event,
        details=_jsonable(details),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
