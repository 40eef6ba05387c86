"""PDF rendering (WeasyPrint): the one home of badge and receipt PDFs.

weasyprint and qrcode are imported inside the functions: they are slow to
import and only the pages and jobs that print need them.
"""

import base64
import io
import shutil
import subprocess

from django.template.loader import render_to_string
from django.utils import timezone, translation

from events.common.pdf import render_pdf

BADGE_WIDTH, BADGE_HEIGHT = 90, 130
A4_WIDTH, A4_HEIGHT = 210, 297
SHEET_COLUMNS, SHEET_ROWS = 2, 2
PER_SHEET = SHEET_COLUMNS * SHEET_ROWS
_GUTTER_X = (A4_WIDTH - SHEET_COLUMNS * BADGE_WIDTH) / (SHEET_COLUMNS + 1)
_GUTTER_Y = (A4_HEIGHT - SHEET_ROWS * BADGE_HEIGHT) / (SHEET_ROWS + 1)
_MARK_LENGTH, _MARK_OFFSET = 5, 1.5


def qr_png(code):
    """The code as a QR image (PNG bytes): one pixel per module, drawn crisp at any size.

    Alphanumeric mode, error correction M; a one-pixel-per-module 1-bit PNG is
    the cheapest image for WeasyPrint to embed, and `image-rendering:
    pixelated` keeps its edges sharp in print (see README "Benchmark").
    Choosing the best mask costs ~10 ms, so badges store the result when signed.
    """
    # ~150 ms to import: only processes that draw a badge pay for it
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4)
    qr.add_data(code, optimize=0)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(png):
    """A QR PNG as a data: address, for <img> in badge PDFs and on the personal page."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


def qr_version(code):
    """The QR version (size) a code needs at error correction M, as rendered on badges."""
    # ~150 ms to import: only processes that draw a badge pay for it
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(code, optimize=0)
    qr.make(fit=True)
    return qr.version


def _sheet_positions():
    return [
        (_GUTTER_X + column * (BADGE_WIDTH + _GUTTER_X), _GUTTER_Y + row * (BADGE_HEIGHT + _GUTTER_Y))
        for row in range(SHEET_ROWS)
        for column in range(SHEET_COLUMNS)
    ]


def _crop_marks_data_uri():
    """Crop marks for the whole A4 sheet as one SVG, used as the page background.

    One background image per page is far cheaper to lay out than eight small
    boxes per badge, and the marks sit in the gutter so the cut never shows them.
    """
    segments = []
    for x, y in _sheet_positions():
        for cx in (x, x + BADGE_WIDTH):
            for cy in (y, y + BADGE_HEIGHT):
                dx = -1 if cx == x else 1
                dy = -1 if cy == y else 1
                start_x, start_y = cx + dx * _MARK_OFFSET, cy + dy * _MARK_OFFSET
                segments.append(f"M{start_x:.2f} {cy:.2f}H{start_x + dx * _MARK_LENGTH:.2f}")
                segments.append(f"M{cx:.2f} {start_y:.2f}V{start_y + dy * _MARK_LENGTH:.2f}")
    # One path, not 64 lines: WeasyPrint draws SVG element by element.
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{A4_WIDTH}mm" height="{A4_HEIGHT}mm" '
        f'viewBox="0 0 {A4_WIDTH} {A4_HEIGHT}"><path d="{" ".join(segments)}" stroke="#000" stroke-width="0.2" '
        'fill="none"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def render_badges(badges, *, layout="single"):
    """One PDF with the given badges (ticketing.selectors.BadgePrint), as bytes.

    layout "single": one 90 × 130 mm page per badge; "sheet": A4 pages with
    four badges each and crop marks.
    """
    context = {"layout": layout, "badge_width": BADGE_WIDTH, "badge_height": BADGE_HEIGHT}
    items = [{"badge": badge, "qr": qr_data_uri(badge.qr_png or qr_png(badge.code))} for badge in badges]
    if layout == "sheet":
        context["sheets"] = [items[start : start + PER_SHEET] for start in range(0, len(items), PER_SHEET)]
        context["gutter_x"], context["gutter_y"] = _GUTTER_X, _GUTTER_Y
        context["crop_marks"] = _crop_marks_data_uri()
    else:
        context["items"] = items
    return render_pdf(render_to_string("ticketing/badges.html", context))


def merge_pdfs(parts, target):
    """Concatenate PDF files into one with poppler's pdfunite.

    Measured on 8 × 125-badge chunks: pdfunite 0.3 s, pypdf 1.2-5 s (README
    "Benchmark"). A single part is copied as is (pdfunite wants two or more).
    """
    if len(parts) == 1:
        shutil.copyfile(parts[0], target)
        return
    subprocess.run(["pdfunite", *map(str, parts), str(target)], check=True, capture_output=True, timeout=120)


def render_receipt(order) -> bytes:
    """The receipt of a paid order as PDF bytes, in the buyer's language (Vietnamese by default)."""
    positions = list(order.positions.select_related("ticket_type"))
    payments = list(order.payments.all())
    with translation.override(order.language or "vi"):
        html = render_to_string(
            "ticketing/receipt.html",
            {
                "order": order,
                "event": order.event,
                "positions": positions,
                "payments": payments,
                "issued_at": timezone.localtime(order.paid_at or timezone.now()),
            },
        )
    return render_pdf(html)
