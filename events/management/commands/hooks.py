"""`manage.py hooks`: who plugs in where (events.extensions), in the order receivers run."""

from django.core.management.base import BaseCommand

from events.extensions import HOOKS


class Command(BaseCommand):
    help = "List every extension point of events.extensions with its receivers, in the order they run."

    def handle(self, *args, **options):
        for hook in HOOKS.values():
            kind = (
                ", ".join(
                    word
                    for word, on in (("ordered", hook.ordered), ("one receiver", hook.single), ("per key", hook.keyed))
                    if on
                )
                or "all receivers"
            )
            self.stdout.write(f"{hook.name} ({kind}); fired by {', '.join(hook.fired_by)}")
            for receiver in hook.connected():
                place = f"order {receiver.order}" if hook.ordered else ""
                key = f"key {receiver.key}" if hook.keyed else ""
                detail = " · ".join(part for part in (place, key) if part)
                self.stdout.write(f"    {receiver.name}" + (f"  [{detail}]" if detail else ""))
            if not hook.connected():
                self.stdout.write("    (no receiver)")
