"""HTML to PDF: the one place that calls WeasyPrint.

WeasyPrint is imported inside the function: it is slow to import and only the
pages and jobs that print need it. `base_url` is the project folder, so
templates may refer to static files; fonts come from the system (DejaVu Sans,
fonts-dejavu-core, with every Vietnamese diacritic) and are embedded as subsets.
"""

from django.conf import settings


def render_pdf(html):
    """PDF bytes of an HTML document."""
    # WeasyPrint takes ~2 s to import: only processes that render a PDF pay for it
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
