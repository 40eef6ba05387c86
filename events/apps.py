from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and participants")

    def ready(self):
        from .declarations import admin, demo, panels  # noqa: F401 - they register themselves
        from .roles import ensure_roles

        # After the last app migrates, so every app's permissions exist.
        post_migrate.connect(ensure_roles, dispatch_uid="events.ensure_roles")
