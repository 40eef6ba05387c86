"""Meetings in the back office: each event's rules (pairs, caps, length, windows, places) and the record.

Organizers edit the rules here; requests and meetings are read here and change
only through the participants' own pages (sessions.meetings.requests).
"""

from itertools import product

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.enums import Category

from ..models import Meeting, MeetingHold, MeetingPlace, MeetingRequest, MeetingRules, MeetingWindow


def pair_key(sender, recipient):
    return f"{sender}>{recipient}"


def pair_choices():
    """Every ordered pair of different categories, labelled "Business → KOL / KOC"."""
    return [
        (pair_key(a, b), f"{la} → {lb}") for (a, la), (b, lb) in product(Category.choices, Category.choices) if a != b
    ]


class MeetingRulesForm(forms.ModelForm):
    """Pairs and opt-in categories as ticked boxes, stored as the JSON lists the rules read."""

    pair_list = forms.MultipleChoiceField(
        label=_("who may request whom"), choices=pair_choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    opt_in_list = forms.MultipleChoiceField(
        label=_("categories listed only on request"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Their people appear in the list only when they tick it on their profile (for example regulators)."
        ),
    )

    class Meta:
        model = MeetingRules
        fields = ["event", "open", "requests_per_person", "meeting_minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pair_list"].initial = [pair_key(*pair) for pair in self.instance.pairs]
        self.fields["opt_in_list"].initial = list(self.instance.opt_in_categories)

    def save(self, commit=True):
        self.instance.pairs = [key.split(">") for key in self.cleaned_data["pair_list"]]
        self.instance.opt_in_categories = list(self.cleaned_data["opt_in_list"])
        return super().save(commit)


class MeetingWindowInline(admin.TabularInline):
    model = MeetingWindow
    extra = 1


class MeetingPlaceInline(admin.TabularInline):
    model = MeetingPlace
    extra = 1


@admin.register(MeetingRules)
class MeetingRulesAdmin(admin.ModelAdmin):
    form = MeetingRulesForm
    list_display = ["event", "open", "requests_per_person", "meeting_minutes"]
    list_filter = ["event"]
    fields = ["event", "open", "pair_list", "opt_in_list", "requests_per_person", "meeting_minutes"]
    inlines = [MeetingWindowInline, MeetingPlaceInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record organizers read: changes come from the participants' pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["sender", "recipient", "status", "created_at", "answered_at"]
    list_filter = ["event", "status", "sender__category", "recipient__category"]
    search_fields = ["sender__full_name", "recipient__full_name"]


class AttendanceFilter(admin.SimpleListFilter):
    """Attendance at the desk: a meeting whose slot ended with someone not checked in is a no-show."""

    title = _("attendance")
    parameter_name = "attendance"

    def lookups(self, request, model_admin):
        return [
            ("no_show", _("someone did not come")),
            ("both_came", _("both checked in")),
            ("upcoming", _("not ended yet")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        held = queryset.filter(cancelled_at__isnull=True)
        absent = Exists(MeetingHold.objects.filter(meeting=OuterRef("pk"), checked_in_at__isnull=True))
        if self.value() == "no_show":
            return held.filter(absent, ends_at__lte=now)
        if self.value() == "both_came":
            return held.filter(~absent)
        if self.value() == "upcoming":
            return held.filter(ends_at__gt=now)
        return queryset


def attendance_of(meeting, now):
    """ "Both came", "No-show: <name>", "Checked in: <name>", "Not ended yet" or "Cancelled" (holds prefetched)."""
    if meeting.cancelled_at is not None:
        return gettext("Cancelled")
    request = meeting.request
    names = {request.sender_id: request.sender.full_name, request.recipient_id: request.recipient.full_name}
    absent_ids = {hold.participant_id for hold in meeting.holds.all() if hold.checked_in_at is None}
    if not absent_ids:
        return gettext("Both came")
    absent = [name or "—" for pk, name in names.items() if pk in absent_ids]
    if meeting.ends_at <= now:
        return gettext("No-show: %(names)s") % {"names": ", ".join(absent)}
    came = [name or "—" for pk, name in names.items() if pk not in absent_ids]
    return gettext("Checked in: %(names)s") % {"names": ", ".join(came)} if came else gettext("Not ended yet")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["request", "starts_at", "ends_at", "place", "table", "attendance", "cancelled_at"]
    list_filter = ["event", AttendanceFilter, "place", "starts_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("place", "request__sender", "request__recipient")
            .prefetch_related("holds")
        )

    @admin.display(description=_("attendance"))
    def attendance(self, meeting):
        return attendance_of(meeting, timezone.now())
