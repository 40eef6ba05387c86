from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConferenceAdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose site (conference.admin.ConferenceAdminSite) links each event's organizer home."""

    default = False  # AdminConfig's own is True; "conference" alone means ConferenceConfig
    default_site = "conference.admin.ConferenceAdminSite"


class ConferenceConfig(AppConfig):
    """The project package as an app, so its system checks (conference/checks.py) run with `manage.py check`."""

    default = True  # this module also holds ConferenceAdminConfig
    name = "conference"
    verbose_name = "Conference"

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks
