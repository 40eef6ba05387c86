"""The organizers' back office: events, invitation codes, vetting and exports.

Admin actions call services; nothing here changes a participant's status directly.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.admin import ReadOnlyAdmin

from . import audit, exports, extensions, privacy, selectors, services
from .enums import ParticipantStatus
from .forms import DecisionForm
from .models import ApiToken, AuditEntry, Channel, Consent, ErasureRequest, Event, Invitation, Participant


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "slug", "start_date", "end_date", "venue", "status", "registration_open"]
    list_filter = ["status"]
    search_fields = ["name_vi", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["code", "event", "category", "uses", "max_uses", "expires_at", "revoked", "note", "created_by"]
    list_filter = ["event", "category", "revoked"]
    search_fields = ["code", "note"]
    readonly_fields = ["uses", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ["purpose", "text_version", "text_language", "text_sha256", "given_at", "withdrawn_at"]

    def has_add_permission(self, request, obj=None):
        return False  # consent is the participant's to give, never the organizer's


def _decision_action(decision, description):
    def action(modeladmin, request, queryset):
        return modeladmin.decide(request, queryset, decision, description)

    action.__name__ = f"mark_{decision}"
    action.short_description = description
    action.allowed_permissions = ("change",)
    return action


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["full_name", "category", "status", "organization", "email", "event", "created_at"]
    list_filter = ["event", "category", "status", "created_at"]
    search_fields = ["full_name", "email", "organization", "phone", "channels__handle"]
    list_select_related = ["event"]
    readonly_fields = [
        "status",
        "decided_by",
        "decided_at",
        "decision_reason",
        "invitation",
        "created_at",
        "updated_at",
    ]
    inlines = [ChannelInline, ConsentInline]
    base_actions = [
        _decision_action(ParticipantStatus.APPROVED, _("Approve selected applications")),
        _decision_action(ParticipantStatus.REJECTED, _("Reject selected applications")),
        _decision_action(ParticipantStatus.WAITLISTED, _("Put selected applications on the waitlist")),
        "export_csv",
        "export_xlsx",
    ]
    show_facets = admin.ShowFacets.ALWAYS

    @property
    def actions(self):
        # Read at request time: the upper apps register theirs in AppConfig.ready(),
        # after the admin has imported this module.
        return [*self.base_actions, *extensions.participant_admin_actions()]

    def decide(self, request, queryset, decision, description):
        """Ask for a reason on an intermediate page, then apply the decision to all selected."""
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            changed = services.decide_applications(
                participants=queryset.select_related("event"),
                decision=decision,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            self.message_user(
                request,
                gettext("%(count)d participant(s) updated and notified.") % {"count": changed},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": description,
            "form": form,
            "participants": queryset,
            "action": request.POST.get("action"),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/participant/decide.html", context)

    def get_search_results(self, request, queryset, search_term):
        """The admin's own search, plus names matched without accents ("Cuong" finds "Cường")."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | queryset.filter(selectors.matching_people_q(queryset, search_term))
        return found, may_have_duplicates

    def _export(self, queryset, content, extension, content_type):
        response = HttpResponse(content, content_type=content_type)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="participants-{stamp}.{extension}"'
        return response

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        rows = queryset.prefetch_related("channels")
        self._audit_export(request, rows, "csv")
        return self._export(rows, exports.participants_csv(rows), "csv", "text/csv; charset=utf-8")

    def _audit_export(self, request, rows, extension):
        ids = [row.pk for row in rows]
        audit.record(
            action="participants.exported",
            actor=request.user,
            object_type="events.participant",
            format=extension,
            count=len(ids),
            participant_ids=ids,
        )

    @admin.action(description=_("Export selected to Excel (XLSX)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        rows = queryset.prefetch_related("channels")
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self._audit_export(request, rows, "xlsx")
        return self._export(rows, exports.participants_xlsx(rows), "xlsx", xlsx)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "event", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["event", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            secret = services.new_api_token_secret(obj)
            self.message_user(
                request,
                gettext("Copy this token now; it will not be shown again: %(token)s") % {"token": secret},
                messages.WARNING,
            )
        was_revoked = change and ApiToken.objects.filter(pk=obj.pk, revoked_at__isnull=False).exists()
        super().save_model(request, obj, form, change)
        if not change:
            audit.record(action="api_token.issued", actor=request.user, obj=obj, name=obj.name, scopes=obj.scopes)
        elif obj.revoked_at and not was_revoked:
            audit.record(action="api_token.revoked", actor=request.user, obj=obj, name=obj.name)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is written by the services, never edited by hand."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "event"]
    list_filter = ["action", "event"]
    search_fields = ["action", "object_id", "actor__username"]
    date_hierarchy = "at"


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["participant_id", "participant", "requested_at", "state", "blockers", "done_at", "done_by"]
    list_filter = ["state"]
    readonly_fields = ["participant", "requested_at", "state", "blockers", "done_at", "done_by"]
    actions = ["perform_erasure"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Erase the personal data of the selected requests"), permissions=["change"])
    def perform_erasure(self, request, queryset):
        pending = list(
            queryset.filter(state=ErasureRequest.State.PENDING).select_related("participant", "participant__event")
        )
        if request.POST.get("post") != "yes":  # first show who would be erased, as Django's delete does
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Erase personal data"),
                "pending": pending,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/events/erasurerequest/confirm_erasure.html", context)
        for erasure in pending:
            privacy.erase_participant(participant=erasure.participant, by=request.user, reason="request")
        self.message_user(
            request, gettext("%(count)d participants erased.") % {"count": len(pending)}, messages.SUCCESS
        )
        return None
