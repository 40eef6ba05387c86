"""The organizers' view of the waiting list for sold-out passes: who is in line, in which order, what was offered.

Rows are written by ticketing.services.waitlist (joining, offers, lapses); organizers read them and
may offer free seats at once instead of waiting for the minute's sweep.
"""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events.common.admin import ReadOnlyAdmin

from ..enums import WaitingStatus
from ..models import WaitingListEntry
from ..services import waitlist


def _places():
    """Each waiting entry's number in line for its ticket type (1 = next to be offered), in the list's one query."""
    ahead = (
        WaitingListEntry.objects.filter(
            ticket_type_id=OuterRef("ticket_type_id"),
            status=WaitingStatus.WAITING,
            confirmed_at__lte=OuterRef("confirmed_at"),
        )
        .order_by()
        .values("ticket_type_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Subquery(ahead)


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "place",
        "ticket_type",
        "name",
        "email",
        "status",
        "confirmed_at",
        "offer_expires_at",
        "order",
    ]
    list_filter = ["event", "ticket_type", "status"]
    search_fields = ["name", "email", "organization"]
    ordering = ["event", "ticket_type", "confirmed_at", "pk"]
    list_select_related = ["ticket_type", "order"]
    actions = ["offer_free_seats"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(line_place=_places())

    @admin.display(description=_("place in line"), ordering="confirmed_at")
    def place(self, entry):
        return entry.line_place if entry.status == WaitingStatus.WAITING else "—"

    @admin.action(description=_("Offer free seats to the people in line now"))
    def offer_free_seats(self, request, queryset):
        # Offers go in line order whatever rows were ticked: the line, not the selection, decides.
        offered = waitlist.offer_available_seats()
        if not offered:
            self.message_user(request, gettext("No seat is free: nobody was offered a pass."))
            return
        count = len(offered)
        self.message_user(
            request,
            ngettext("%(count)d person was offered a pass.", "%(count)d people were offered a pass.", count)
            % {"count": count},
        )
