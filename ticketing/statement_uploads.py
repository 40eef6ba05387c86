"""The statement import page's two steps: keep the uploaded file for its preview, apply exactly that file.

Between the two requests the file lives in MEDIA_ROOT under a random name, and
the organizer's session holds that name with the event: "Apply" from another
session, or for another event, finds nothing to apply.
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from events.errors import DomainError

from .services import transfers

SESSION_KEY = "ticketing.bank_statement"
FOLDER = "bank-statements"


def preview(request, *, event, upload):
    """Read the upload, keep it for "Apply", and return the template's preview context."""
    data = upload.read()
    statement, lines = transfers.preview_bank_statement(event=event, data=data, filename=upload.name)
    extension = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
    _forget(request)
    name = default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(16)}.{extension}", ContentFile(data))
    request.session[SESSION_KEY] = {"name": name, "event": event.pk, "filename": upload.name}
    return {"statement": statement, "preview": lines, "filename": upload.name}


def apply(request, *, event):
    """Import the file this session previewed for this event, then remove it; returns the results."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("event") != event.pk or not default_storage.exists(kept["name"]):
        raise DomainError("statement_not_previewed", _("Upload the statement again: there is no preview to apply."))
    with default_storage.open(kept["name"], "rb") as file:
        data = file.read()
    results = transfers.import_bank_statement(event=event, data=data, by=request.user, filename=kept["filename"])
    _forget(request)
    return results


def _forget(request):
    kept = request.session.pop(SESSION_KEY, None)
    if kept:
        default_storage.delete(kept["name"])
