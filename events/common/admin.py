"""Admin base classes every app shares."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list and detail view only: rows written by the services (logs, admissions, deliveries),
    never added, edited or deleted by hand. Viewing follows Django's model permissions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
