"""Restore a backup made by `manage.py backup` into the configured database (or another target)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from events import backup


class Command(BaseCommand):
    help = (
        "Restore DIRECTORY into the configured database: SQLite file copied with the backup API, "
        "PostgreSQL with pg_restore --clean. Stop the site first. Then run verify_declarations."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--target", help="SQLite file or postgres:// URL to restore into instead.")
        parser.add_argument("--no-media", action="store_true")
        parser.add_argument("--yes", action="store_true", help="Do not ask before overwriting.")

    def handle(self, *args, **options):
        connection = connections["default"]
        target = options["target"]
        if not options["yes"] and not target:
            answer = input("This overwrites the current database. Type 'yes' to go on: ")
            if answer.strip() != "yes":
                raise CommandError("Cancelled.")
        try:
            if connection.vendor == "sqlite" or (target and not target.startswith("postgres")):
                connection.close()
                backup.restore_sqlite(options["directory"], target or connection.settings_dict["NAME"])
            else:
                backup.restore_postgres(options["directory"], target or backup._pg_url(connection.settings_dict))
            if not options["no_media"] and backup.restore_media(options["directory"], settings.MEDIA_ROOT):
                self.stdout.write(f"media restored into {settings.MEDIA_ROOT}")
        except backup.BackupError as error:
            raise CommandError(str(error))
        self.stdout.write("restored; now run `manage.py verify_declarations`")
