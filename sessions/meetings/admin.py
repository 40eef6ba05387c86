"""Meetings in the back office: each event's rules (pairs, caps, length, windows, places) and the record.

Organizers edit the rules here; requests and meetings are read here and change
only through the participants' own pages (sessions.meetings.requests).
"""

from itertools import product

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.enums import Category

from ..models import Meeting, MeetingPlace, MeetingRequest, MeetingRules, MeetingWindow


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


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["request", "starts_at", "ends_at", "place", "table", "cancelled_at"]
    list_filter = ["event", "place", "starts_at"]
