"""The organizers' back office for money received: payments, refunds, bank transfers to review, Stripe events."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.errors import DomainError

from ..enums import NEEDS_REVIEW
from ..models import (
    BankTransfer,
    Payment,
    Refund,
    StripeEvent,
)
from ..money import format_vnd
from ..services import payments, transfers
from .orders import require_payments_role


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "provider", "state", "amount_vnd", "external_id", "received_at", "recorded_by"]
    list_filter = ["provider", "state", "received_at"]
    search_fields = ["order__code", "external_id"]
    list_select_related = ["order", "recorded_by"]
    readonly_fields = [field.name for field in Payment._meta.fields]
    actions = ["refund"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("amount"), ordering="amount")
    def amount_vnd(self, payment):
        return format_vnd(payment.amount)

    @admin.action(description=_("Refund selected payments"), permissions=["change"])
    def refund(self, request, queryset):
        require_payments_role(request)
        for payment in queryset.select_related("order"):
            try:
                payments.refund_payment(payment=payment, by=request.user)
            except DomainError as error:
                self.message_user(request, f"{payment.order.code}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, gettext("Refunded %(code)s.") % {"code": payment.order.code})


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["payment", "amount", "external_id", "created_at", "created_by"]
    readonly_fields = [field.name for field in Refund._meta.fields]

    def has_add_permission(self, request):
        return False


class ToReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("todo", _("To review")), ("done", _("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "todo":
            return queryset.filter(outcome__in=NEEDS_REVIEW, reviewed_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(reviewed_at__isnull=False)
        return queryset


@admin.register(BankTransfer)
class BankTransferAdmin(admin.ModelAdmin):
    """Every transfer the webhooks and statements reported; filter "to review" for the organizers' list."""

    list_display = ["received_at", "feed", "amount_vnd", "content", "order", "outcome", "detail", "reviewed_at"]
    list_filter = [ToReviewFilter, "outcome", "feed"]
    search_fields = ["content", "transaction_id", "bank_reference", "order__code"]
    list_select_related = ["order"]
    readonly_fields = [field.name for field in BankTransfer._meta.fields]
    actions = ["mark_reviewed"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("amount"), ordering="amount")
    def amount_vnd(self, transfer):
        return format_vnd(transfer.amount)

    @admin.action(description=_("Mark as reviewed"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        require_payments_role(request)
        for transfer in queryset:
            transfers.mark_reviewed(transfer=transfer, by=request.user)
        self.message_user(request, gettext("%(count)d transfer(s) marked reviewed.") % {"count": len(queryset)})


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received_at"]
    readonly_fields = ["event_id", "type", "received_at"]

    def has_add_permission(self, request):
        return False
