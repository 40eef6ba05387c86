"""The admin site, whose index links the organizer home of each current event (for organizers).

On the top floor because Django's AdminConfig names it (conference.apps.ConferenceAdminConfig).
"""

from django.contrib import admin
from django.urls import reverse

from events import permissions, selectors


class ConferenceAdminSite(admin.AdminSite):
    """Django's admin, with the organizer home of each current event above the tables."""

    def index(self, request, extra_context=None):
        homes = []
        if permissions.is_organizer(request.user):
            homes = [
                (event, reverse("events:organizer_home", args=[event.slug])) for event in selectors.events_for_staff()
            ]
        return super().index(request, {**(extra_context or {}), "organizer_homes": homes})
