"""Verify the signature chain of every declaration (or one), print a table, fail if any is broken."""

from django.core.management.base import BaseCommand, CommandError

from events.declarations.selectors import verify_chain
from events.models import Declaration


class Command(BaseCommand):
    help = "Recompute every declaration's signature chain and name the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("--event", help="Only declarations of the event with this short name.")
        parser.add_argument("--declaration", help="Only the declaration with this short name.")

    def handle(self, *args, **options):
        declarations = Declaration.objects.select_related("event").order_by("event__slug", "slug")
        if options["event"]:
            declarations = declarations.filter(event__slug=options["event"])
        if options["declaration"]:
            declarations = declarations.filter(slug=options["declaration"])
        broken = 0
        for declaration in declarations:
            result = verify_chain(declaration)
            name = f"{declaration.event.slug}/{declaration.slug}"
            if result.ok:
                self.stdout.write(f"OK      {name}  {result.entries} entries  head {result.head}")
            else:
                broken += 1
                self.stdout.write(
                    f"BROKEN  {name}  at entry {result.broken_sequence} (id {result.broken_entry_id}): "
                    f"{result.reason}: {result.message}"
                )
        if broken:
            raise CommandError(f"{broken} declaration chain(s) failed verification.")
