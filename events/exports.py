"""Participant exports for organizers (CSV for spreadsheets, XLSX for Excel users)."""

import csv
import io
import re

from django.utils import timezone
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
            lambda p: "; ".join(f"{c.get_platform_display()} {c.handle} ({c.followers})" for c in p.channels.all()),
        ),
        (_("Registered at"), lambda p: timezone.localtime(p.created_at).strftime("%d/%m/%Y %H:%M")),
        (_("Reason for the decision"), lambda p: p.decision_reason),
    ]


def _safe_cell(value):
    # A cell starting with = + - @ is a formula to Excel: neutralize it (CSV injection).
    # Phone numbers in E.164 (+84…) are digits only and stay as they are.
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not E164.fullmatch(value):
        return "'" + value
    return value


def _in_vietnamese_order(participants):
    # Lists of people are read in Vietnamese order: given name, middle names, family name.
    return collation.sort_people(participants, name=lambda participant: participant.full_name)


def participants_csv(participants):
    """UTF-8 with BOM so Excel shows Vietnamese diacritics, rows in Vietnamese name order; returns bytes."""
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _get in columns])
    for participant in _in_vietnamese_order(participants):
        writer.writerow([_safe_cell(get(participant)) for _title, get in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def participants_xlsx(participants):
    """An Excel workbook of the participants, rows in Vietnamese name order; returns bytes."""
    from openpyxl import Workbook  # slow import, only when exporting

    columns = _columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Participants"))
    sheet.append([title for title, _get in columns])
    for participant in _in_vietnamese_order(participants):
        sheet.append([_safe_cell(get(participant)) for _title, get in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
