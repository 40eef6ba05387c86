"""The organizers' back office: events, invitation codes, vetting and exports.

Admin actions call services; nothing here changes a participant's status directly.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import audit, exports, extensions, organizer, permissions, privacy, selectors, services
from .common.admin import ReadOnlyAdmin
from .enums import DECISIONS, ParticipantStatus
from .errors import DomainError
from .forms import ApplicationDecisionForm, DecisionForm
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


class ConsentInline(admin.StackedInline):
    # Stacked: the read-only table scrolled sideways on a phone with nothing a keyboard could focus in it.
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
        "anonymized_at",  # set by the erasure service only (events.privacy), never typed in
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

    def get_list_filter(self, request):
        return [*self.list_filter, *extensions.participant_admin_filters()]  # read at request time, as actions

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_one)
        return [path("<path:object_id>/decide/", decide, name="events_participant_decide"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        nav = organizer.navigation_for(request.GET.get("event__id__exact"), request.user, "participants")
        return super().changelist_view(request, {**(extra_context or {}), **nav})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        participant = self.get_object(request, object_id)
        context = {**(extra_context or {})}
        if participant is not None:
            context.update(organizer.navigation(participant.event, request.user, "participants"))
            context["paid_while_undecided"] = selectors.passes_paid_while_undecided(participant)
            if permissions.can_decide_applications(request.user) and self.has_change_permission(request, participant):
                context["decisions"] = [d for d in DECISIONS if d != participant.status]
                context["decision_form"] = ApplicationDecisionForm()
        return super().change_view(request, object_id, form_url, context)

    def decide_one(self, request, object_id):
        """The decision buttons of a participant's own page: the same service as the bulk actions (audit-logged)."""
        if not (permissions.can_decide_applications(request.user) and self.has_change_permission(request)):
            raise PermissionDenied
        participant = get_object_or_404(Participant.objects.select_related("event"), pk=object_id)
        form = ApplicationDecisionForm(request.POST or None)
        if request.method != "POST" or not form.is_valid():
            refused = form.errors.get("reason") if form.is_bound and "decision" not in form.errors else None
            message = " ".join(refused) if refused else gettext("Choose approve, reject or waitlist.")
            self.message_user(request, message, messages.ERROR)
            return redirect("admin:events_participant_change", participant.pk)
        try:
            services.decide_application(
                participant=participant,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            message = gettext("%(name)s: %(status)s, and notified.")
            status = ParticipantStatus(form.cleaned_data["decision"]).label
            self.message_user(request, message % {"name": participant.full_name, "status": status}, messages.SUCCESS)
        return redirect("admin:events_participant_change", participant.pk)

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
            action="events.participants.exported",
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


class ApiTokenAdminForm(forms.ModelForm):
    """Scopes are picked from the one list (events.permissions.PERMISSIONS), never typed: a typo such as
    `checkin:scna` was accepted as free JSON and silently gave a token that could do nothing."""

    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may do, within its user's roles. Bind it to an event to limit it to that event."),
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "event", "gate", "revoked_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (scope, f"{scope} · {label}") for scope, label in sorted(permissions.PERMISSIONS.items())
        ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenAdminForm
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
            audit.record(
                action="events.api_token.issued", actor=request.user, obj=obj, name=obj.name, scopes=obj.scopes
            )
        elif obj.revoked_at and not was_revoked:
            audit.record(action="events.api_token.revoked", actor=request.user, obj=obj, name=obj.name)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is written by the services, never edited by hand."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "event"]
    list_filter = ["action", "event"]
    search_fields = ["action", "object_id", "actor__username"]
    date_hierarchy = "at"


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = [
        "participant_number",
        "participant",
        "requested_at",
        "state",
        "answer_within",
        "reasons",
        "done_at",
        "done_by",
    ]
    list_filter = ["state", "participant__event"]
    readonly_fields = ["participant", "requested_at", "state", "reasons", "done_at", "done_by"]
    exclude = ["blockers"]
    actions = ["perform_erasure"]

    @admin.display(description=_("participant no."), ordering="participant_id")
    def participant_number(self, obj):
        return obj.participant_id

    @admin.display(description=_("days left to answer"))
    def answer_within(self, obj):
        if obj.state != ErasureRequest.State.PENDING:
            return "—"
        return organizer.days_left_note(organizer.days_left(obj.requested_at))

    @admin.display(description=_("why it waits"))
    def reasons(self, obj):
        # Stored as a JSON list of the sentences the participant was shown; read as text, not JSON.
        return "; ".join(str(reason) for reason in obj.blockers) or "—"

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
