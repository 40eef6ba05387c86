"""What the agenda holds about a participant (events.extensions.personal_data_section), and its erasure."""

from django.utils import timezone
from django.utils.translation import gettext as _

from events.extensions import personal_data_eraser, personal_data_section

from . import services
from .models import Bookmark, Reservation


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


@personal_data_section(order=30)
def reservations_section(participant):
    rows = [
        {
            "session": str(r.session),
            "status": r.get_status_display(),
            "reserved_at": _when(r.created_at),
            "promoted_at": _when(r.promoted_at),
        }
        for r in Reservation.objects.filter(participant=participant).select_related("session")
    ]
    return ("reservations", _("Seat reservations"), rows)


@personal_data_section(order=31)
def bookmarks_section(participant):
    rows = [
        {"session": str(b.session), "saved_at": _when(b.created_at)}
        for b in Bookmark.objects.filter(participant=participant).select_related("session")
    ]
    return ("bookmarks", _("Saved sessions"), rows)


@personal_data_eraser
def release_seats(participant):
    """An erased person will not come: each seat they held goes to the next on its waitlist (mailed after commit),
    or back to the session; their waitlist places and saved sessions go too."""
    for reservation in Reservation.objects.filter(participant=participant).select_related("session"):
        services.cancel_reservation(session=reservation.session, participant=participant)
    Bookmark.objects.filter(participant=participant).delete()
