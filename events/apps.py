from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and participants")

    def ready(self):
        from .campaigns import admin as campaign_admin  # noqa: F401 - registers itself
        from .declarations import admin, demo, panels  # noqa: F401 - they register themselves
        from .roles import ensure_roles

        # After the last app migrates, so every app's permissions exist.
        post_migrate.connect(ensure_roles, dispatch_uid="events.ensure_roles")
        post_migrate.connect(schedule_reminders, sender=self)
        post_migrate.connect(schedule_anonymization, sender=self)


REMINDER_SCHEDULE = "events: day-before reminders"


def schedule_reminders(sender, using="default", **kwargs):
    """Keep one django-q2 schedule that sends the day-before reminders, hourly (each is sent once)."""
    # models load only once the app registry is ready
    from django_q.models import Schedule

    Schedule.objects.using(using).update_or_create(
        name=REMINDER_SCHEDULE,
        defaults={"func": "events.tasks.send_due_reminders", "schedule_type": Schedule.HOURLY},
    )


ANONYMIZATION_SCHEDULE = "events: anonymize participants past retention"


def schedule_anonymization(sender, using="default", **kwargs):
    """Keep one daily django-q2 schedule that erases participants of events past their retention period."""
    # models load only once the app registry is ready
    from django_q.models import Schedule

    Schedule.objects.using(using).update_or_create(
        name=ANONYMIZATION_SCHEDULE,
        defaults={"func": "events.tasks.anonymize_expired", "schedule_type": Schedule.DAILY},
    )
