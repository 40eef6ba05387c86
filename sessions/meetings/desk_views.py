"""The meeting area's desk page: door staff and organizers scan either person's badge to check a meeting in.

A keyboard-wedge scanner types the badge code into the field and presses Enter
(as at the signing kiosk). Staff sign in on the one staff sign-in page; the
event is the one in the address and a badge of another event is refused.
"""

from django import forms
from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from events import permissions
from events import selectors as event_selectors
from events.errors import DomainError

from ..models import Meeting
from . import desk

door_staff_only = user_passes_test(permissions.is_door_staff)


class DeskScanForm(forms.Form):
    code = forms.CharField(label=_("Scan either person's badge"), max_length=500, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})


def meetings_now(event, now):
    """The event's meetings at the desk now (or starting within desk.EARLY), with each person's attendance."""
    return (
        Meeting.objects.filter(event=event, cancelled_at__isnull=True, starts_at__lte=now + desk.EARLY, ends_at__gt=now)
        .select_related("place", "request__sender", "request__recipient")
        .prefetch_related("holds")
        .order_by("starts_at", "place__position", "table")
    )


@door_staff_only
@require_http_methods(["GET", "POST"])
def meeting_desk(request, slug):
    """Scan a badge: its holder's meeting of now is checked in; the page shows whom they meet and at which table."""
    event = event_selectors.public_event(slug)
    form = DeskScanForm(request.POST if request.method == "POST" else None)
    result, status = None, 200
    if form.is_valid():
        try:
            result = desk.check_in(event, form.cleaned_data["code"], by=request.user)
        except DomainError as error:
            form.add_error("code", error.message)
            status = error.status
        else:
            form = DeskScanForm()
    elif form.is_bound:
        status = 400
    now = timezone.now()
    context = {"event": event, "form": form, "result": result, "meetings": meetings_now(event, now)}
    return render(request, "agenda/meetings/desk.html", context, status=status)
