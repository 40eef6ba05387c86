"""The organizers' order page: positions, payments and notes inline, and the money actions on an order.

Money actions need the payments role (`require_payments_role`), also on the payment pages.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events import permissions
from events.errors import DomainError
from events.models import Event

from .. import selectors, statement_uploads
from ..enums import OPEN_UNPAID
from ..forms import BankStatementForm
from ..models import (
    Order,
    OrderNote,
    OrderPosition,
    Payment,
    Quota,
)
from ..money import format_vnd
from ..services import orders as order_services
from ..services import payments


class PastDueFilter(admin.SimpleListFilter):
    """Unpaid orders whose deadline has passed (the organizer home's to-do); the sweep expires them."""

    title = _("payment deadline")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("past", _("Unpaid, deadline passed"))]

    def queryset(self, request, queryset):
        if self.value() == "past":
            return queryset.filter(status__in=OPEN_UNPAID, expires_at__lt=timezone.now())
        return queryset


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


def require_payments_role(request):
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
    list_filter = ["event", "status", PastDueFilter, "source", "created_at"]
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
        require_payments_role(request)
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
        """Upload a bank statement, see the columns chosen and what each line would do, then apply it.

        The preview keeps the file in MEDIA_ROOT under a random name bound to this
        organizer's session; "Apply" imports exactly that file and removes it.
        """
        require_payments_role(request)
        events = Event.objects.all()
        event = events.filter(pk=request.POST.get("event") or request.GET.get("event")).first() or events.first()
        form = BankStatementForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import a bank statement"),
            "opts": self.model._meta,
            "form": form,
            "events": events,
            "event": event,
        }
        try:
            if request.method == "POST" and "apply" in request.POST and event is not None:
                context["results"] = statement_uploads.apply(request, event=event)
            elif request.method == "POST" and form.is_valid() and event is not None:
                context.update(statement_uploads.preview(request, event=event, upload=form.cleaned_data["statement"]))
        except DomainError as error:
            form.add_error(None, error.message)
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
