from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Tickets and check-in")

    def ready(self):
        from events import extensions

        from . import admin, dashboard, demo, mailing, panels, privacy, services, views  # noqa: F401 (privacy registers hooks)
        from .services.issuing import issue_free_pass

        # events cannot import ticketing; its approval job runs these in order:
        # the free pass first, then the badge it makes valid.
        extensions.on_approved(issue_free_pass)
        extensions.on_approved(services.issue_badge_if_valid)
        extensions.register_badge_resolver(services.participant_for_badge_code)
        extensions.participant_admin_action(admin.issue_badges)
        extensions.personal_panel(order=20)(views.badge_panel)
        extensions.personal_panel(order=25)(panels.orders_panel)
        extensions.demo_seeder(order=20)(demo.seed_tickets)
        extensions.event_link(order=20)(panels.tickets_link)
        extensions.staff_link(order=30)(panels.checkin_links)
        extensions.dashboard_figures(order=20)(dashboard.figures)
        extensions.recipient_filter("ticket_type", label=mailing.LABEL, choices=mailing.ticket_choices, order=20)(
            mailing.filter_by_ticket
        )
        extensions.reminder_attachment(mailing.badge_attachment)
        post_migrate.connect(schedule_order_expiry, sender=self)
        # The scanner's in-memory public keys must not outlive the keys themselves.
        from .models import EventKey
        from .services.checkin import forget_public_keys

        post_save.connect(forget_public_keys, sender=EventKey, dispatch_uid="checkin-keys-save")
        post_delete.connect(forget_public_keys, sender=EventKey, dispatch_uid="checkin-keys-delete")


EXPIRY_SCHEDULE = "ticketing: expire unpaid orders"


def schedule_order_expiry(sender, using="default", **kwargs):
    """Keep one django-q2 schedule that sweeps expired orders every 5 minutes (created after migrate)."""
    from django_q.models import Schedule

    Schedule.objects.using(using).update_or_create(
        name=EXPIRY_SCHEDULE,
        defaults={"func": "ticketing.tasks.expire_orders", "schedule_type": Schedule.MINUTES, "minutes": 5},
    )
