"""The organizers' meeting page (issue #20 item 5) and its CSV / XLSX export: organizers only.

Anonymous visitors are sent to the staff sign-in page; signed-in staff who are not
organizers (door staff) get 403, as on the organizer home.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from events import organizer, permissions
from events import selectors as event_selectors

from . import report, rules

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _organizer_event(request, slug):
    if not permissions.is_organizer(request.user):
        raise PermissionDenied
    return event_selectors.event_for_staff(slug)


@login_required
@require_GET
def meetings_report(request, slug):
    """Figures by category pair, table use by slot, people with many unanswered requests; links to the export."""
    event = _organizer_event(request, slug)
    event_rules = rules.rules_of(event)
    context = {
        "event": event,
        "rules": event_rules,
        "pairs": report.pair_figures(event),
        "use": report.table_use(event_rules),
        "unanswered": report.many_unanswered(event),
        "many": report.MANY_UNANSWERED,
    }
    context.update(organizer.navigation(event, request.user, "meeting_report"))
    return render(request, "agenda/meetings/report.html", context)


@login_required
@require_GET
def meetings_export(request, slug, fmt):
    """Every meeting of the event as CSV or XLSX (names and organizations only, no contact details)."""
    event = _organizer_event(request, slug)
    if fmt not in EXPORT_TYPES:
        raise Http404
    body = report.meetings_csv(event) if fmt == "csv" else report.meetings_xlsx(event)
    reply = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    reply["Content-Disposition"] = f'attachment; filename="meetings-{event.slug}.{fmt}"'
    return reply
