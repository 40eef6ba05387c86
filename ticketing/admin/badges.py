"""The organizers' back office for badges: badges, the participant list's badge action and filter, bulk print jobs.

A print job is created here and built by a background job.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events import organizer as organizer_home
from events.enums import Category
from events.errors import DomainError

from .. import organizer, services
from ..enums import BadgeLayout, PrintJobStatus
from ..errors import NoValidTicket
from ..models import (
    Badge,
    PrintJob,
)


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
