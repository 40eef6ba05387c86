"""The organizers' back office for badges: keys (public part only), badges, and bulk print jobs.

Admin actions call services; a print job is created here and built by a background job.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conference.admin import ReadOnlyAdmin
from events import permissions
from events.enums import Category
from events.errors import DomainError
from events.models import Event

from . import selectors, services
from .enums import BadgeLayout, PrintJobStatus
from .errors import TICKET_TYPE_OF_ANOTHER_EVENT, NoValidTicket
from .forms import BankStatementForm
from .models import (
    Badge,
    CheckIn,
    CheckInConflict,
    EventKey,
    Order,
    OrderNote,
    OrderPosition,
    Payment,
    PrintJob,
    Quota,
    Refund,
    ScanLog,
    StripeEvent,
    TicketType,
    Voucher,
)
from .money import format_vnd
from .services import offline
from .services import orders as order_services
from .services import payments


@admin.action(description=_("Issue badges (to those holding a valid ticket)"), permissions=["change"])
def issue_badges(modeladmin, request, queryset):
    """On the participant list (registered through events.extensions): issue and e-mail missing badges."""
    issued = services.issue_badges(queryset)
    modeladmin.message_user(
        request, gettext("%(count)d badge(s) issued and e-mailed.") % {"count": issued}, messages.SUCCESS
    )


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    # Read-only: admissions are made by scans and undone through the API, never edited or deleted.
    list_display = ["participant", "event", "session_id", "gate", "checked_in_at", "checked_in_by", "undone_at"]
    list_filter = ["event", "gate", "session_id"]
    search_fields = ["participant__full_name"]


@admin.register(ScanLog)
class ScanLogAdmin(ReadOnlyAdmin):
    list_display = [
        "scanned_at", "gate", "session_id", "result", "offline", "user", "device", "participant_id_claimed"
    ]
    list_filter = ["result", "offline", "gate"]


@admin.register(CheckInConflict)
class CheckInConflictAdmin(ReadOnlyAdmin):
    # Read-only: recorded by the offline sync (ticketing.services.offline); the first admission stands.
    list_display = [
        "participant", "first_gate", "first_at", "second_gate", "second_at", "second_device", "second_by", "reviewed_at"
    ]
    list_filter = ["event", ("reviewed_at", admin.EmptyFieldListFilter), "second_gate"]
    search_fields = ["participant__full_name"]
    actions = ["mark_reviewed"]

    @admin.action(description=_("Mark the selected conflicts as reviewed"))
    def mark_reviewed(self, request, queryset):
        try:
            marked = offline.mark_conflicts_reviewed(queryset, by=request.user)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, gettext("%(count)d conflict(s) marked as reviewed.") % {"count": marked})


@admin.register(EventKey)
class EventKeyAdmin(admin.ModelAdmin):
    # Only the public half is shown; the encrypted private key is not a form field.
    list_display = ["event", "key_id", "public_key_hex", "created_at"]
    fields = ["event", "key_id", "public_key_hex", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("public key (hex)"))
    def public_key_hex(self, obj):
        return bytes(obj.public_key).hex()

    def has_add_permission(self, request):
        return False  # keys are made when an event's first badge is signed

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["participant", "category", "event", "version", "issued_at", "reissued_at", "printed_at"]
    list_filter = ["participant__event", "participant__category", ("printed_at", admin.EmptyFieldListFilter)]
    search_fields = ["participant__full_name", "participant__email", "participant__organization"]
    list_select_related = ["participant__event"]
    fields = ["participant", "version", "code", "issued_at", "reissued_at", "printed_at"]
    readonly_fields = fields
    actions = ["reprint_single", "reprint_sheet", "reissue", "mark_printed", "mark_not_printed"]

    @admin.display(description=_("category"), ordering="participant__category")
    def category(self, obj):
        return obj.participant.get_category_display()

    @admin.display(description=_("event"), ordering="participant__event")
    def event(self, obj):
        return obj.participant.event

    def has_add_permission(self, request):
        return False  # badges are issued by the service, never typed in

    def _pdf(self, queryset, layout):
        content = services.badges_pdf(list(queryset.select_related("participant__event")), layout=layout)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="badges.pdf"'
        return response

    @admin.action(description=_("Reprint: PDF, one badge per page"), permissions=["change"])
    def reprint_single(self, request, queryset):
        return self._pdf(queryset, BadgeLayout.SINGLE)

    @admin.action(description=_("Reprint: PDF, A4 sheets with crop marks"), permissions=["change"])
    def reprint_sheet(self, request, queryset):
        return self._pdf(queryset, BadgeLayout.SHEET)

    @admin.action(description=_("Reissue (revokes the old code, e-mails the new badge)"), permissions=["change"])
    def reissue(self, request, queryset):
        reissued = refused = 0
        for badge in queryset.select_related("participant__event"):
            try:
                services.reissue_badge(badge)
                reissued += 1
            except NoValidTicket:
                refused += 1
        self.message_user(request, gettext("%(count)d badge(s) reissued.") % {"count": reissued}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                gettext("%(count)d badge(s) not reissued: the holder has no valid ticket.") % {"count": refused},
                messages.WARNING,
            )

    @admin.action(description=_("Mark as printed"), permissions=["change"])
    def mark_printed(self, request, queryset):
        count = services.mark_printed(list(queryset))
        self.message_user(request, ngettext("%d badge marked printed.", "%d badges marked printed.", count) % count)

    @admin.action(description=_("Mark as not printed (print again with the next job)"), permissions=["change"])
    def mark_not_printed(self, request, queryset):
        count = services.mark_printed(list(queryset), printed=False)
        self.message_user(
            request, ngettext("%d badge marked not printed.", "%d badges marked not printed.", count) % count
        )


PRINT_FILTER_FIELDS = ["event", "category", "ticket_type", "only_unprinted", "registered_since", "layout"]


class PrintJobForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("category"), choices=[("", _("All categories")), *Category.choices], required=False
    )

    class Meta:
        model = PrintJob
        fields = PRINT_FILTER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "ticket_type" in self.fields:
            field = self.fields["ticket_type"]
            field.queryset = field.queryset.select_related("event").order_by("event", "pk")
            field.label_from_instance = lambda ticket_type: f"{ticket_type.event} · {ticket_type}"

    def clean(self):
        cleaned = super().clean()
        event, ticket_type = cleaned.get("event"), cleaned.get("ticket_type")
        if event and ticket_type and ticket_type.event_id != event.pk:
            self.add_error("ticket_type", TICKET_TYPE_OF_ANOTHER_EVENT)
        return cleaned


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    form = PrintJobForm
    list_display = ["__str__", "event", "category", "layout", "status", "progress", "download", "created_at"]
    list_filter = ["event", "status"]
    readonly_fields = ["status", "progress", "download", "error", "created_by", "created_at", "finished_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return PRINT_FILTER_FIELDS
        return [*PRINT_FILTER_FIELDS, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*PRINT_FILTER_FIELDS, *self.readonly_fields]

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return format_html(
            '<progress max="100" value="{}"></progress> {} / {}', obj.progress_percent, obj.done, obj.total
        )

    @admin.display(description=_("PDF file"))
    def download(self, obj):
        if obj.status != PrintJobStatus.DONE or not obj.file:
            return "—"
        url = reverse("ticketing:print_job_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def changelist_view(self, request, extra_context=None):
        # The page reloads itself every few seconds while a job is building, to show its progress.
        running = PrintJob.objects.filter(status__in=[PrintJobStatus.QUEUED, PrintJobStatus.RUNNING]).exists()
        return super().changelist_view(request, {**(extra_context or {}), "jobs_running": running})

    def save_model(self, request, obj, form, change):
        if change:
            return  # a job is fixed once queued; make a new one to print something else
        job = services.create_print_job(
            event=obj.event,
            category=obj.category,
            ticket_type=obj.ticket_type,
            only_unprinted=obj.only_unprinted,
            registered_since=obj.registered_since,
            layout=obj.layout,
            by=request.user,
        )
        obj.pk = job.pk
        obj.refresh_from_db()


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
