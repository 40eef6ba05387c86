"""Template helpers for changelog entries (which store plain JSON values)."""

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def change_room(value):
    value = value or {}
    if (get_language() or "vi").startswith("en"):
        return value.get("room_en") or value.get("room_vi", "")
    return value.get("room_vi", "")


@register.simple_tag
def change_when(value):
    value = value or {}
    starts, ends = parse_datetime(value["starts_at"]), parse_datetime(value["ends_at"])
    start = formats.date_format(timezone.localtime(starts), "D j/n H:i")
    return f"{start}–{formats.time_format(timezone.localtime(ends), 'H:i')}"


@register.simple_tag
def change_where(value):
    return f"{change_when(value)}, {change_room(value)}"


@register.simple_tag
def change_seats(value):
    capacity = (value or {}).get("capacity")
    return _("no reservations") if capacity is None else formats.number_format(capacity, force_grouping=True)


@register.simple_tag
def change_title(entry):
    if (get_language() or "vi").startswith("en"):
        return entry.get("title_en") or entry["title_vi"]
    return entry["title_vi"]


@register.simple_tag
def seats_left(seats, session):
    capacity, taken = seats.get(session.id, (session.capacity or 0, 0))
    return max(capacity - taken, 0)


@register.filter
def in_set(value, collection):
    return value in collection


@register.filter
def lookup(mapping, key):
    return mapping.get(key)
