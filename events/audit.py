"""The audit log's one entry point: audit.record(...)."""

from .models import AuditEntry


def record(*, action, actor=None, obj=None, event=None, object_type="", object_id="", **details):
    """Log one organizer action. obj gives object type and id; event defaults to obj.event when it has one."""
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
