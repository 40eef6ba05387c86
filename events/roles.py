"""The staff roles as Django groups, created (and kept up to date) after every migrate."""

from django.contrib.auth.models import Group, Permission

from .permissions import DOOR_STAFF, DOOR_SUPERVISOR, ORGANIZER

# Organizers run the back office of every app; door roles get no admin rights:
# their pages check the group, not model permissions.
ORGANIZER_APPS = ("events", "ticketing", "agenda")


def ensure_roles(**kwargs):
    organizer, _created = Group.objects.get_or_create(name=ORGANIZER)
    organizer.permissions.set(Permission.objects.filter(content_type__app_label__in=ORGANIZER_APPS))
    Group.objects.get_or_create(name=DOOR_STAFF)
    Group.objects.get_or_create(name=DOOR_SUPERVISOR)
