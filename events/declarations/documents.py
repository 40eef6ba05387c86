"""Documents made from a declaration: the sealed PDF (WeasyPrint) and the organizers' CSV of its chain."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ..common.pdf import render_pdf
from ..exports import _safe_cell
from ..models import ChainEntry
from . import selectors


def sealed_declaration_pdf(declaration):
    """The text, the signatories by role and category, the signing period and the chain head; PDF bytes."""
    signatures = selectors.signatures_in_force(declaration)
    listed = selectors.public_signatories(signatures)
    context = {
        "declaration": declaration,
        "version": selectors.latest_version(declaration),
        "groups": selectors.by_role(listed),
        "tally": selectors.tally(signatures),
        "verification": selectors.verify_chain(declaration),
    }
    html = render_to_string("events/declaration/sealed_pdf.html", context)
    return render_pdf(html)


def _local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


def _columns():
    return [
        (_("Number in the chain"), lambda e: e.sequence),
        (_("Action"), lambda e: e.get_action_display()),
        (_("Withdraws entry number"), lambda e: e.withdraws or ""),
        (_("Recorded at"), lambda e: _local(e.recorded_at)),
        (_("Name as signed"), lambda e: e.display_name),
        (_("Organization as signed"), lambda e: e.display_organization),
        (_("Participant ID"), lambda e: e.participant_id),
        (_("Category"), lambda e: e.get_category_display()),
        (_("Role"), lambda e: e.get_role_display()),
        (_("Name on the public list"), lambda e: _("yes") if e.public else _("no")),
        (_("Method"), lambda e: e.get_method_display()),
        (_("Kiosk"), lambda e: e.kiosk),
        (_("Staff member"), lambda e: e.staff.get_username() if e.staff else ""),
        (_("Version"), lambda e: e.version.number),
        (_("SHA-256 of the text signed"), lambda e: e.text_sha256),
        (_("Previous entry hash"), lambda e: e.previous_hash),
        (_("Entry hash"), lambda e: e.entry_hash),
    ]


def signatures_csv(declaration):
    """Every chain entry of a declaration, signatures and withdrawals; UTF-8 with BOM for Excel; bytes."""
    columns = _columns()
    entries = ChainEntry.objects.filter(declaration=declaration).select_related("version", "staff").order_by("sequence")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _get in columns])
    for entry in entries:
        writer.writerow([_safe_cell(get(entry)) for _title, get in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
