"""GET /health for load balancers and monitors: database and cache reachable, no personal data."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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


@never_cache
@require_GET
def health(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ok = all(checks.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)
