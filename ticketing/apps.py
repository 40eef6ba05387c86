from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Tickets and check-in")

    def ready(self):
        from events import extensions

        from . import admin, services, views

        extensions.personal_panel(order=20)(views.badge_panel)
        # events cannot import ticketing; it calls this after a participant is approved.
        extensions.on_approved(services.issue_badge_if_valid)
        extensions.participant_admin_action(admin.issue_badges)
