"""MEDIA_ROOT that cannot be written (read-only mount, full disk, lost NFS): a clear answer, never a 500.

Badge PDFs, print jobs, receipts and bank statements are written to MEDIA_ROOT (shared storage
when there are several app servers). When it fails, the request answers 503 with a page (or the
API's JSON) that says files cannot be saved right now, the error is logged for the operator, and
/health reports `"media": false`.
"""

import errno
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# What a storage that is read-only, full or refusing us raises (ENOENT: the mount point is gone).
STORAGE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOENT}


def is_media_storage_error(error):
    """True for an OSError on a path inside MEDIA_ROOT, or for a full disk (a write names no file)."""
    if isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EDQUOT}:
        return True
    if not isinstance(error, OSError) or error.errno not in STORAGE_ERRNOS or not error.filename:
        return False
    media_root = Path(settings.MEDIA_ROOT).resolve()
    path = Path(str(error.filename)).resolve()
    return path == media_root or media_root in path.parents


def media_writable():
    """Whether a file can be created (and removed) in MEDIA_ROOT right now: for /health."""
    try:
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".health-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
        return True
    except OSError:
        return False


def storage_unavailable(request):
    message = _("Files cannot be saved right now: the file storage is full or read-only. Please try again later.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "storage_unavailable", "message": message}, status=503)
    context = {"title": _("Files cannot be saved right now"), "message": message}
    return render(request, "storage_error.html", context, status=503)


class MediaStorageErrorMiddleware:
    """Turns a failing MEDIA_ROOT into 503 "storage unavailable" (logged) instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_media_storage_error(exception):
            return None
        logger.error("MEDIA_ROOT cannot be used: %s", exception)
        return storage_unavailable(request)
