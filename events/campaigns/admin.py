"""Read-only admin lists of e-mail campaigns, deliveries and opt-outs; composing happens on the organizer page."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..common.admin import ReadOnlyAdmin
from ..models import Campaign, Delivery, MailOptOut


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["subject_vi", "event", "kind", "status", "essential", "recipients_total", "sent_count", "page"]
    list_filter = ["event", "kind", "status", "essential"]

    @admin.display(description=_("Progress and log"))
    def page(self, obj):
        url = reverse("campaigns:detail", kwargs={"slug": obj.event.slug, "pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Open"))


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["participant", "campaign", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "campaign__event"]
    list_select_related = ["participant", "campaign"]
    search_fields = ["participant__email", "participant__full_name"]


@admin.register(MailOptOut)
class MailOptOutAdmin(ReadOnlyAdmin):
    list_display = ["participant", "at"]
    list_select_related = ["participant"]
