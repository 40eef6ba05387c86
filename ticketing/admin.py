"""The organizers' back office for tickets: types, quotas, vouchers, orders, payments, refunds, sales.

Admin actions call services; nothing here changes an order's state directly.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events import permissions
from events.errors import DomainError
from events.models import Event

from . import selectors
from .forms import BankStatementForm
from .models import Order, OrderNote, OrderPosition, Payment, Quota, Refund, StripeEvent, TicketType, Voucher
from .money import format_vnd
from .services import orders as order_services
from .services import payments


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "size", "taken", "seats_left", "whole_event"]
    list_filter = ["event", "whole_event"]
    readonly_fields = ["taken"]

    @admin.display(description=_("seats left"))
    def seats_left(self, quota):
        return quota.available


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "event", "price_vnd", "categories", "sale_start", "sale_end", "active"]
    list_filter = ["event", "active"]
    filter_horizontal = ["quotas"]

    @admin.display(description=_("price"), ordering="price")
    def price_vnd(self, ticket_type):
        return format_vnd(ticket_type.price)


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ["code", "event", "kind", "value", "times_used", "max_usages", "valid_from", "valid_until"]
    list_filter = ["event", "kind"]
    search_fields = ["code"]
    filter_horizontal = ["ticket_types"]
    readonly_fields = ["times_used"]


class PositionInline(admin.TabularInline):
    model = OrderPosition
    extra = 0
    can_delete = False
    fields = ["ticket_type", "attendee_name", "attendee_email", "price", "participant"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ["provider", "state", "amount", "external_id", "received_at", "recorded_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class NoteInline(admin.TabularInline):
    model = OrderNote
    extra = 0
    can_delete = False
    fields = ["at", "action", "detail", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _require_payments_role(request):
    if not permissions.can_manage_payments(request.user):
        raise PermissionDenied


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "event",
        "status",
        "source",
        "buyer_name",
        "buyer_organization",
        "total_vnd",
        "created_at",
        "expires_at",
        "paid_at",
    ]
    list_filter = ["event", "status", "source", "created_at"]
    search_fields = ["code", "buyer_name", "buyer_email", "buyer_organization", "positions__attendee_name"]
    list_select_related = ["event"]
    readonly_fields = [field.name for field in Order._meta.fields]
    inlines = [PositionInline, PaymentInline, NoteInline]
    actions = ["mark_transfer_received", "refund", "cancel"]
    show_facets = admin.ShowFacets.ALWAYS

    def has_add_permission(self, request):
        return False  # orders come from buyers and approvals, never typed in

    @admin.display(description=_("total"), ordering="total")
    def total_vnd(self, order):
        return format_vnd(order.total)

    def _each(self, request, queryset, func, done_message):
        _require_payments_role(request)
        done = 0
        for order in queryset:
            try:
                func(order)
            except DomainError as error:
                self.message_user(request, f"{order.code}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Mark bank transfer received (full total)"), permissions=["change"])
    def mark_transfer_received(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda order: payments.mark_transfer_received(order=order, by=request.user),
            gettext("%(count)d order(s): transfer recorded."),
        )

    @admin.action(description=_("Refund selected paid orders"), permissions=["change"])
    def refund(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda order: payments.refund_order(order=order, by=request.user),
            gettext("%(count)d order(s) refunded."),
        )

    @admin.action(description=_("Cancel selected unpaid orders"), permissions=["change"])
    def cancel(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda order: order_services.cancel_order(order=order, by=request.user),
            gettext("%(count)d order(s) cancelled."),
        )

    def get_urls(self):
        extra = [
            path("bank-statement/", self.admin_site.admin_view(self.bank_statement), name="ticketing_bank_statement"),
            path("sales/", self.admin_site.admin_view(self.sales), name="ticketing_sales"),
        ]
        return extra + super().get_urls()

    def bank_statement(self, request):
        """Upload a bank statement CSV; transfers naming an order with its exact total mark it paid."""
        _require_payments_role(request)
        events = Event.objects.all()
        event = events.filter(pk=request.POST.get("event") or request.GET.get("event")).first() or events.first()
        form = BankStatementForm(request.POST or None, request.FILES or None)
        results = None
        if request.method == "POST" and form.is_valid() and event is not None:
            try:
                results = payments.import_bank_statement(
                    event=event, data=form.cleaned_data["statement"].read(), by=request.user
                )
            except DomainError as error:
                form.add_error("statement", error.message)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import a bank statement"),
            "opts": self.model._meta,
            "form": form,
            "events": events,
            "event": event,
            "results": results,
        }
        return TemplateResponse(request, "admin/ticketing/bank_statement.html", context)

    def sales(self, request):
        """Availability per quota and sales per ticket type, category and day."""
        if not permissions.is_organizer(request.user):
            raise PermissionDenied
        events = Event.objects.all()
        event = events.filter(pk=request.GET.get("event")).first() or events.first()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Availability and sales"),
            "opts": self.model._meta,
            "events": events,
            "event": event,
            "quotas": Quota.objects.filter(event=event) if event else [],
            "ticket_types": selectors.ticket_types_with_availability(event) if event else [],
            "by_day": selectors.sales_by_category_and_day(event) if event else [],
            "by_category": selectors.sales_by_category(event) if event else {},
        }
        return TemplateResponse(request, "admin/ticketing/sales.html", context)


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
        _require_payments_role(request)
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


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received_at"]
    readonly_fields = ["event_id", "type", "received_at"]

    def has_add_permission(self, request):
        return False
