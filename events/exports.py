"""Participant exports for organizers (CSV for spreadsheets, XLSX for Excel users)."""

import csv
import datetime
import io
import re

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import collation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
E164 = re.compile(r"\+\d{6,15}")


def _columns():
    return [
        (_("ID"), lambda p: p.pk),
        (_("Full name"), lambda p: p.full_name),
        (_("Category"), lambda p: p.get_category_display()),
        (_("Status"), lambda p: p.get_status_display()),
        (_("Title / position"), lambda p: p.title),
        (_("Organization"), lambda p: p.organization),
        (_("E-mail"), lambda p: p.email),
        (_("Phone"), lambda p: p.phone),
        (
            _("Channels"),
            lambda p: "; ".join(
                f"{c.get_platform_display()} {c.handle} ({number_format(c.followers, force_grouping=True)})"
                for c in p.channels.all()
            ),
        ),
        (_("Registered at"), lambda p: timezone.localtime(p.created_at).replace(tzinfo=None, microsecond=0)),
        (_("Reason for the decision"), lambda p: p.decision_reason),
    ]


DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"  # the same day-first layout, as a real date Excel can sort and filter
XLSX_MAX_WIDTH = 60


def _text_cell(value):
    return value.strftime(DATE_TIME_FORMAT) if isinstance(value, datetime.datetime) else value


def _safe_cell(value):
    # A cell starting with = + - @ is a formula to Excel: neutralize it (CSV injection).
    # Phone numbers in E.164 (+84…) are digits only and stay as they are.
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not E164.fullmatch(value):
        return "'" + value
    return value


def _in_vietnamese_order(participants):
    # Lists of people are read in Vietnamese order: given name, middle names, family name.
    return collation.sort_people(participants, name=lambda participant: participant.full_name)


def table_csv(header, rows):
    """Any table for organizers as CSV: UTF-8 with BOM so Excel shows Vietnamese diacritics; returns bytes.

    Dates are written day first; cells Excel would run as formulas are neutralized (CSV injection).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(title) for title in header])
    for row in rows:
        writer.writerow([_safe_cell(_text_cell(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(title, header, rows):
    """Any table for organizers as an Excel workbook (the house style); returns bytes.

    Dates are real dates (Excel sorts and filters them), the header row stays frozen with filters on it,
    and columns are as wide as their longest value up to XLSX_MAX_WIDTH characters.
    """
    from openpyxl import Workbook  # slow import, only when exporting
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    def cell(value):
        # A control character (saved before input refused it) cannot go into a worksheet: drop it, never a 500.
        value = _safe_cell(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)
    sheet.append([str(name) for name in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    widths = [len(str(name)) for name in header]
    for row in sheet.iter_rows(min_row=2):
        for index, written in enumerate(row):
            if isinstance(written.value, datetime.datetime):
                written.number_format = XLSX_DATE_TIME_FORMAT
            shown = "" if written.value is None else str(_text_cell(written.value))
            widths[index] = max(widths[index], len(shown))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, XLSX_MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _participant_table(participants):
    columns = _columns()
    rows = [[get(participant) for _title, get in columns] for participant in _in_vietnamese_order(participants)]
    return [title for title, _get in columns], rows


def participants_csv(participants):
    """UTF-8 with BOM so Excel shows Vietnamese diacritics, rows in Vietnamese name order; returns bytes."""
    return table_csv(*_participant_table(participants))


def participants_xlsx(participants):
    """An Excel workbook of the participants, rows in Vietnamese name order (table_xlsx's style); returns bytes."""
    return table_xlsx(_("Participants"), *_participant_table(participants))
