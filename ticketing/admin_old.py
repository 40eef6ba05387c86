"""The organizers' back office for badges: keys (public part only), badges, and bulk print jobs.

Admin actions call services; a print job is created here and built by a background job.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import organizer as organizer_home
from events import permissions
from events.common.admin import ReadOnlyAdmin
from events.enums import Category
from events.errors import DomainError
from events.models import Event

from . import organizer, selectors, services, statement_uploads
from .enums import NEEDS_REVIEW, OPEN_UNPAID, BadgeLayout, PrintJobStatus
from .errors import QUOTA_OF_ANOTHER_EVENT, NoValidTicket
from .forms import BankStatementForm
from .models import (
    Badge,
    BankTransfer,
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
from .services import offline, payments, transfers
from .services import orders as order_services


@admin.action(description=_("Issue badges (to those holding a valid ticket)"), permissions=["change"])
def issue_badges(modeladmin, request, queryset):
    """On the participant list (registered through events.extensions): issue and e-mail missing badges."""
    issued = services.issue_badges(queryset)
    modeladmin.message_user(
        request, gettext("%(count)d badge(s) issued and e-mailed.") % {"count": issued}, messages.SUCCESS
    )


class BadgeListFilter(admin.SimpleListFilter):
    """On the participant list (registered through events.extensions): who still needs a badge."""

    title = _("badge")
    parameter_name = "badge"

    def lookups(self, request, model_admin):
        return [("missing", _("Valid ticket, no badge yet")), ("issued", _("Badge issued"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return organizer.without_badge(queryset)
        if self.value() == "issued":
            return queryset.filter(badge__isnull=False)
        return queryset


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


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    # Read-only: admissions are made by scans and undone through the API, never edited or deleted.
    list_display = ["participant", "event", "session_id", "gate", "checked_in_at", "checked_in_by", "undone_at"]
    list_filter = ["event", "gate", "session_id"]
    search_fields = ["participant__full_name"]


@admin.register(ScanLog)
class ScanLogAdmin(ReadOnlyAdmin):
    list_display = ["scanned_at", "gate", "session_id", "result", "offline", "user", "device", "participant_id_claimed"]
    list_filter = ["result", "offline", "gate"]


@admin.register(CheckInConflict)
class CheckInConflictAdmin(ReadOnlyAdmin):
    # Read-only: recorded by the offline sync (ticketing.services.offline); the first admission stands.
    list_display = [
        "participant",
        "first_gate",
        "first_at",
        "second_gate",
        "second_at",
        "second_device",
        "second_by",
        "reviewed_at",
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
PRINT_CHECKED_FIELDS = ["event", "category", "ticket_type", "only_unprinted", "registered_since"]


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
        if self.instance.pk is not None or cleaned.get("event") is None or self.errors:
            return cleaned
        try:
            services.check_print_filter(**{name: cleaned.get(name) for name in PRINT_CHECKED_FIELDS})
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    form = PrintJobForm
    # At 1280 px beside the admin's two menus the table has ~630 px: status, progress and download come
    # first, the event and creation time share the job's cell (the event also filters, on the right).
    list_display = ["job", "status", "progress", "download", "category", "layout"]
    list_select_related = ["event"]
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

    def has_change_permission(self, request, obj=None):
        # A job is fixed once queued (see save_model): its page is for reading, with no Save buttons.
        return obj is None and super().has_change_permission(request, obj)

    @admin.display(description=_("badge print job"), ordering="created_at")
    def job(self, obj):
        created = date_format(timezone.localtime(obj.created_at), "SHORT_DATETIME_FORMAT")
        return format_html("#{} · {}<br><small>{}</small>", obj.pk, created, obj.event)

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return format_html(
            '<progress max="100" value="{}"></progress><br>{} / {}', obj.progress_percent, obj.done, obj.total
        )

    @admin.display(description=_("PDF file"))
    def download(self, obj):
        if obj.status != PrintJobStatus.DONE or not obj.file:
            return "—"
        if not obj.file_exists():
            return gettext("File missing: create the job again")
        url = reverse("ticketing:print_job_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def changelist_view(self, request, extra_context=None):
        # The page reloads itself every few seconds while a job is building, to show its progress.
        running = PrintJob.objects.filter(status__in=[PrintJobStatus.QUEUED, PrintJobStatus.RUNNING]).exists()
        nav = organizer_home.navigation_for(request.GET.get("event__id__exact"), request.user, "print_jobs")
        return super().changelist_view(request, {**(extra_context or {}), "jobs_running": running, **nav})

    def _event_id(self, request, object_id=None):
        """The event this page is about: the job's, else the list filter it came from (the organizer nav's link)."""
        if object_id:
            if not str(object_id).isdigit():
                return None
            return PrintJob.objects.filter(pk=object_id).values_list("event_id", flat=True).first()
        came_from = QueryDict(request.GET.get("_changelist_filters", ""))
        return request.GET.get("event") or came_from.get("event__id__exact")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        event_id = self._event_id(request)
        if event_id and str(event_id).isdigit():
            initial.setdefault("event", event_id)
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        nav = organizer_home.navigation_for(self._event_id(request, object_id), request.user, "print_jobs")
        return super().changeform_view(request, object_id, form_url, {**(extra_context or {}), **nav})

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
            *("sale_start", "sale_end", "quotas", "max_per_order", "active"),
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
        """Upload a bank statement, see the columns chosen and what each line would do, then apply it.

        The preview keeps the file in MEDIA_ROOT under a random name bound to this
        organizer's session; "Apply" imports exactly that file and removes it.
        """
        _require_payments_role(request)
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
        _require_payments_role(request)
        for transfer in queryset:
            transfers.mark_reviewed(transfer=transfer, by=request.user)
        self.message_user(request, gettext("%(count)d transfer(s) marked reviewed.") % {"count": len(queryset)})


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received_at"]
    readonly_fields = ["event_id", "type", "received_at"]

    def has_add_permission(self, request):
        return False
