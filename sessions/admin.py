"""The agenda in the back office: rooms, tracks, sessions, versions and the override record.

Sessions are planned in the builder (/e/<slug>/agenda/builder/); the admin is for
rooms and tracks and for reading what was published and overridden.
"""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .meetings import admin as meetings_admin  # noqa: F401 (registers the meeting rules and record)
from .models import ConflictOverride, Publication, Reservation, Room, SessionPerson, Track
from .models import Session as AgendaSession
from .templatetags.agenda import change_title


def _change_text(entry):
    # The template's output is escaped already; strip() alone would drop its safe mark.
    return mark_safe(render_to_string("agenda/_change.txt", {"entry": entry}).strip())  # noqa: S308


def _bullets(rows, pattern):
    return format_html("<ul>{}</ul>", format_html_join("", pattern, rows))


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "name_en", "event", "capacity", "location", "position"]
    list_filter = ["event"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "name_en", "slug", "event", "color"]
    list_filter = ["event"]


class SessionPersonInline(admin.TabularInline):
    model = SessionPerson
    extra = 0
    autocomplete_fields = ["participant"]


@admin.register(AgendaSession)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title_vi", "event", "format", "room", "starts_at", "ends_at", "capacity", "seats_taken"]
    list_filter = ["event", "format", "track", "room"]
    search_fields = ["title_vi", "title_en"]
    readonly_fields = ["uid", "seats_taken", "cancelled_at"]
    inlines = [SessionPersonInline]

    def has_add_permission(self, request):
        return False  # sessions are created in the builder, which checks conflicts

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["event", "number", "published_at", "published_by"]
    readonly_fields = ["event", "number", "published_at", "published_by", "changes"]
    exclude = ["snapshot", "changelog"]

    @admin.display(description=_("changelog"))
    def changes(self, publication):
        """One line per session, worded as the public changes page words it."""
        lines = [(change_title(entry), _change_text(entry)) for entry in publication.changelog]
        return _bullets(lines, "<li><strong>{}</strong> · {}</li>")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConflictOverride)
class ConflictOverrideAdmin(admin.ModelAdmin):
    list_display = ["session", "by", "at"]
    readonly_fields = ["session", "by", "at", "conflict_messages"]
    exclude = ["conflicts"]

    @admin.display(description=_("conflicts"))
    def conflict_messages(self, override):
        return _bullets(((conflict.get("message", ""),) for conflict in override.conflicts), "<li>{}</li>")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "status", "created_at", "promoted_at"]
    list_filter = ["status"]
    readonly_fields = ["participant", "session", "status", "created_at", "promoted_at"]

    def has_add_permission(self, request):
        return False
