"""Back up the database (SQLite backup API or pg_dump) and the media folder into a directory."""

from django.core.management.base import BaseCommand, CommandError

from events import backup


class Command(BaseCommand):
    help = "Back up the database and media into DIRECTORY (db.sqlite3 or db.pgdump, media.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--no-media", action="store_true", help="Database only.")

    def handle(self, *args, **options):
        try:
            files = backup.backup(options["directory"], media=not options["no_media"])
        except backup.BackupError as error:
            raise CommandError(str(error))
        for path in files:
            self.stdout.write(f"wrote {path}")
