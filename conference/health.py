"""GET /health for load balancers and monitors: database, cache, media storage and the job worker, no personal data."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .media import media_writable


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache_ok():
    # Redis errors surface as its own exception classes; any failure means "down" here.
    try:
        cache.set("health:probe", "ok", 10)
        return cache.get("health:probe") == "ok"
    except Exception:  # noqa: BLE001 - a health probe reports the failure instead of raising it
        return False


def _worker_ok():
    """A job worker is alive: a django-q2 cluster saved its stats in the last few seconds.

    The cluster's guard writes them every cycle with a 3-second lifetime (django_q.status.Stat),
    through the broker: Redis, or the shared cache with the ORM broker. Jobs run inline (Q_SYNC,
    the tests) need no worker.
    """
    if settings.Q_CLUSTER.get("sync"):
        return True
    from django_q.status import Stat  # deferred: django_q's broker module reads the settings at import

    try:
        return bool(Stat.get_all())  # a stopped cluster stops saving: its stats expire in 3 s
    except Exception:  # noqa: BLE001 - a broker that cannot be read counts as no worker seen
        return False


@never_cache
@require_GET
def health(request):
    """503 when the database or cache is down (take this server out); "degraded" with 200 when only
    MEDIA_ROOT cannot be written or no job worker is alive: every server shares those, and
    registration and the doors still work (e-mails, badges and print jobs wait)."""
    checks = {"database": _database_ok(), "cache": _cache_ok(), "media": media_writable(), "worker": _worker_ok()}
    if not (checks["database"] and checks["cache"]):
        return JsonResponse({"status": "error", "checks": checks}, status=503)
    healthy = checks["media"] and checks["worker"]
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks})
