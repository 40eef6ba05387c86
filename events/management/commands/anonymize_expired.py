"""Anonymize participants of events whose personal data retention period has passed."""

from django.core.management.base import BaseCommand

from events import privacy


class Command(BaseCommand):
    help = (
        "Erase personal data of participants of events that ended more than their retention period ago "
        "(Event.retention_days, else PERSONAL_DATA_RETENTION_DAYS). Counts, check-ins and declaration chains stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list the events concerned.")

    def handle(self, *args, **options):
        events = privacy.expired_events()
        for event in events:
            self.stdout.write(
                f"expired: {event.slug} (ended {event.end_date}, keep {privacy.retention_days(event)} days)"
            )
        if options["dry_run"]:
            return
        count = privacy.anonymize_expired()
        self.stdout.write(f"anonymized {count} participants")
