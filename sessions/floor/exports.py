"""The record of a roundtable for organizers: every question (with its real sender) and every poll's results.

One table of rows, written as CSV (UTF-8 with BOM, for Excel) or XLSX. Cells
that Excel would run as formulas (= + - @) are quoted (CSV injection): the
text comes from the floor.
"""

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Poll, Question
from . import selectors

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(session):
    """Header and rows: questions first, then one row per poll answer."""
    header = [_("Kind"), _("Text"), _("Sender"), _("Name shown"), _("Status"), _("Votes"), _("Time")]
    out = [header]
    for q in Question.objects.filter(session=session).select_related("participant").order_by("created_at", "pk"):
        when = timezone.localtime(q.created_at).strftime("%Y-%m-%d %H:%M")
        shown = _("yes") if q.show_name else _("no")
        out.append([_("Question"), q.text, q.participant.full_name, shown, q.get_status_display(), q.votes, when])
    for result in selectors.poll_results(Poll.objects.filter(session=session)):
        for option, count, percent in result.rows:
            text = f"{result.poll.question} — {option.label}"
            out.append([_("Poll"), text, "", "", result.poll.get_status_display(), count, f"{percent}%"])
    return [[_cell(value) for value in row] for row in out]


def as_csv(table):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(table):
    from openpyxl import Workbook  # slow import, only when exporting
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Roundtable")
    for row in table:
        # A control character (saved before the floor dropped them) cannot go into a worksheet: never a 500.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(v)) if not isinstance(v, int) else v for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(session, fmt):
    if fmt not in TYPES:
        raise Http404
    table = rows(session)
    body = as_csv(table) if fmt == "csv" else as_xlsx(table)
    reply = HttpResponse(body, content_type=TYPES[fmt])
    reply["Content-Disposition"] = f'attachment; filename="roundtable-{session.pk}.{fmt}"'
    return reply
