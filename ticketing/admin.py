"""The organizers' back office for badges: keys (public part only), badges, and bulk print jobs.

Admin actions call services; a print job is created here and built by a background job.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events.enums import Category

from . import services
from .enums import BadgeLayout, PrintJobStatus
from .errors import NoValidTicket
from .models import Badge, EventKey, PrintJob


@admin.action(description=_("Issue badges (to those holding a valid ticket)"), permissions=["change"])
def issue_badges(modeladmin, request, queryset):
    """On the participant list (registered through events.extensions): issue and e-mail missing badges."""
    issued = services.issue_badges(queryset)
    modeladmin.message_user(
        request, gettext("%(count)d badge(s) issued and e-mailed.") % {"count": issued}, messages.SUCCESS
    )


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


class PrintJobForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("category"), choices=[("", _("All categories")), *Category.choices], required=False
    )

    class Meta:
        model = PrintJob
        fields = ["event", "category", "only_unprinted", "registered_since", "layout"]


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    form = PrintJobForm
    list_display = ["__str__", "event", "category", "layout", "status", "progress", "download", "created_at"]
    list_filter = ["event", "status"]
    readonly_fields = ["status", "progress", "download", "error", "created_by", "created_at", "finished_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["event", "category", "only_unprinted", "registered_since", "layout"]
        return ["event", "category", "only_unprinted", "registered_since", "layout", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["event", "category", "only_unprinted", "registered_since", "layout", *self.readonly_fields]

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
            only_unprinted=obj.only_unprinted,
            registered_since=obj.registered_since,
            layout=obj.layout,
            by=request.user,
        )
        obj.pk = job.pk
        obj.refresh_from_db()
