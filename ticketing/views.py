"""Attendee pages of the ticketing app: the badge download and the personal-page panel."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from events import links, permissions
from events.selectors import public_event

from . import pdf, selectors, services
from .errors import NoValidTicket
from .models import PrintJob


def badge_panel(request, participant):
    """The personal page's badge panel: download link and code once the participant holds a valid ticket.

    Opening the page issues the badge on first view (services.issue_badge is
    idempotent), so nobody who holds a ticket is ever left without one.
    """
    if not selectors.holds_valid_ticket(participant):
        return None
    badge = services.issue_badge(participant)
    context = {"badge": badge, "event": participant.event, "qr": pdf.qr_data_uri(bytes(badge.qr_png))}
    return render_to_string("ticketing/badge_panel.html", context, request)


def badge_download(request, slug):
    """The badge PDF of the participant this browser opened a magic link for (nobody else's)."""
    event = public_event(slug)
    participant = links.current_participant(request, event)
    if participant is None:
        raise Http404
    try:
        badge = services.issue_badge(participant)
    except NoValidTicket:
        raise Http404
    return _pdf_response(services.badge_pdf_path(badge), f"badge-{event.slug}.pdf")


def print_job_download(request, job_id):
    """A finished print job's PDF, for organizers."""
    if not permissions.can_manage_badges(request.user):
        raise Http404
    job = get_object_or_404(PrintJob, pk=job_id)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


def _pdf_response(path, filename):
    response = FileResponse(open(path, "rb"), content_type="application/pdf", filename=filename)
    response["Cache-Control"] = "private, no-store"  # personal data
    return response
