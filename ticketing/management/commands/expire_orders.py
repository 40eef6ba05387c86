"""Expire unpaid orders now (the django-q2 schedule does the same every few minutes)."""

from django.core.management.base import BaseCommand

from ticketing.services.orders import expire_orders


class Command(BaseCommand):
    help = "Expire pending orders past their payment deadline and give their seats back."

    def handle(self, *args, **options):
        count = expire_orders()
        self.stdout.write(f"{count} order(s) expired.")
