from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class TicketingConfig(AppConfig):
    name = "ticketing"
    verbose_name = _("Tickets and check-in")

    def ready(self):
        from events import extensions

        from . import admin, dashboard, demo, flows, mailing, organizer, panels, privacy, services, views  # noqa: F401 (privacy registers hooks)
        from .services.checkin import undo_admissions_before_window

        # events cannot import ticketing: what an approval means here is written out in one function.
        extensions.on_approved(flows.after_approval)
        extensions.register_badge_resolver(services.participant_for_badge_code)
        extensions.participant_admin_action(admin.issue_badges)
        extensions.personal_panel(order=20)(views.badge_panel)
        extensions.personal_panel(order=25)(panels.orders_panel)
        extensions.demo_seeder(order=20)(demo.seed_tickets)
        extensions.event_link(order=20)(panels.tickets_link)
        extensions.registration_path("business")(panels.business_path)
        extensions.next_step(order=20)(panels.next_step)
        extensions.staff_link(order=30)(panels.checkin_links)
        extensions.on_event_moved(undo_admissions_before_window)  # admissions were for the old dates
        extensions.dashboard_figures(order=20)(dashboard.figures)
        extensions.organizer_headlines(order=20)(organizer.headlines)
        extensions.organizer_todos(order=20)(organizer.todos)
        extensions.organizer_tools(order=20)(organizer.tools)
        extensions.participant_admin_filter(admin.BadgeListFilter)
        extensions.recipient_filter(
            "ticket_type", label=mailing.LABEL, choices=mailing.ticket_choices, order=20, reminder_value="valid"
        )(mailing.filter_by_ticket)
        extensions.reminder_attachment(mailing.badge_attachment)
        post_migrate.connect(schedule_order_expiry, sender=self)
        # The scanner's in-memory public keys must not outlive the keys themselves.
        from .models import EventKey
        from .services.checkin import forget_public_keys

        post_save.connect(forget_public_keys, sender=EventKey, dispatch_uid="checkin-keys-save")
        post_delete.connect(forget_public_keys, sender=EventKey, dispatch_uid="checkin-keys-delete")


EXPIRY_SCHEDULE = "ticketing: expire unpaid orders"
WAITLIST_SCHEDULE = "ticketing: advance the waiting lists"


def schedule_order_expiry(sender, using="default", **kwargs):
    """Keep the django-q2 schedules: expired orders every 5 minutes, the waiting lists every minute (after migrate)."""
    # models load only once the app registry is ready
    from django_q.models import Schedule

    Schedule.objects.using(using).update_or_create(
        name=EXPIRY_SCHEDULE,
        defaults={"func": "ticketing.tasks.expire_orders", "schedule_type": Schedule.MINUTES, "minutes": 5},
    )
    # Offers hold a seat for hours: lapsing them within a minute of the deadline is precise enough.
    Schedule.objects.using(using).update_or_create(
        name=WAITLIST_SCHEDULE,
        defaults={"func": "ticketing.tasks.advance_waiting_lists", "schedule_type": Schedule.MINUTES, "minutes": 1},
    )
