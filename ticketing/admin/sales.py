"""The organizers' back office for what is on sale: quotas, ticket types and vouchers.

A ticket type draws only on its own event's quotas; the quota picker names the event.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _

from events.enums import Category

from ..errors import QUOTA_OF_ANOTHER_EVENT
from ..models import (
    Quota,
    TicketType,
    Voucher,
)
from ..money import format_vnd


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "size", "taken", "seats_left", "whole_event"]
    list_filter = ["event", "whole_event"]
    readonly_fields = ["taken"]

    @admin.display(description=_("seats left"))
    def seats_left(self, quota):
        return quota.available


class QuotaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, quota):
        return f"{quota.event.slug} · {quota.name}"


class TicketTypeAdminForm(forms.ModelForm):
    """Categories are ticked, not typed as JSON; the quota picker names each quota's event, and refuses
    quotas of another event than the ticket type's."""

    categories = forms.MultipleChoiceField(
        label=_("participant categories"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who may hold this pass."),
    )
    quotas = QuotaChoiceField(
        queryset=Quota.objects.select_related("event"),
        label=_("quotas"),
        widget=FilteredSelectMultiple(_("quotas"), is_stacked=False),
        help_text=_("Only quotas of the same event; each is shown as “event · quota”."),
    )

    class Meta:
        model = TicketType
        fields = [
            *("event", "name_vi", "name_en", "categories", "price"),
            *("sale_start", "sale_end", "quotas", "max_per_order", "active", "holder_changes_until"),
        ]

    def clean(self):
        cleaned = super().clean()
        event, quotas = cleaned.get("event"), cleaned.get("quotas") or []
        if event is not None and any(quota.event_id != event.pk for quota in quotas):
            self.add_error("quotas", QUOTA_OF_ANOTHER_EVENT)
        return cleaned


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
    form = TicketTypeAdminForm
    list_display = ["name_vi", "event", "price_vnd", "category_names", "sale_start", "sale_end", "active"]
    list_filter = ["event", "active"]

    @admin.display(description=_("price"), ordering="price")
    def price_vnd(self, ticket_type):
        return format_vnd(ticket_type.price)

    @admin.display(description=_("participant categories"))
    def category_names(self, ticket_type):
        return ", ".join(str(Category(value).label) for value in ticket_type.categories if value in Category.values)


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ["code", "event", "kind", "value", "times_used", "max_usages", "valid_from", "valid_until"]
    list_filter = ["event", "kind"]
    search_fields = ["code"]
    filter_horizontal = ["ticket_types"]
    readonly_fields = ["times_used"]
