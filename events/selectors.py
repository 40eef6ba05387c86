"""Reads shared by pages, the admin and the API."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .enums import EventStatus
from .models import Event, Participant, normalize_text


def public_events():
    return Event.objects.exclude(status=EventStatus.DRAFT).order_by("-start_date")


def public_event(slug):
    return get_object_or_404(public_events(), slug=slug)


def participants(*, event=None, category=None, status=None, search=None):
    """Participants with what lists show (event, channels), filtered as asked."""
    queryset = Participant.objects.select_related("event", "decided_by").prefetch_related("channels")
    if event is not None:
        queryset = queryset.filter(event=event)
    if category:
        queryset = queryset.filter(category=category)
    if status:
        queryset = queryset.filter(status=status)
    if search:
        term = normalize_text(search)
        queryset = queryset.filter(
            Q(full_name__icontains=term) | Q(email__icontains=term) | Q(organization__icontains=term)
        )
    return queryset.order_by("-created_at", "-pk")


def event_for_staff(slug):
    """Any event, drafts included: only for callers already checked as staff."""
    return get_object_or_404(Event, slug=slug)
