"""The organizers' back office for the door: admissions, the scan log, check-in conflicts and event keys."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.common.admin import ReadOnlyAdmin
from events.errors import DomainError

from ..models import (
    CheckIn,
    CheckInConflict,
    EventKey,
    ScanLog,
)
from ..services import offline


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
