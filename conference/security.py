"""Abuse resistance for every app: security headers, rate limits and login lockout.

One place, keyed by URL name, so the apps stay free of throttling code and an
operator sees every limit in one table. Counters live in Django's default
cache, which is Redis when REDIS_URL is set, so limits hold across app
processes and machines.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# No inline script anywhere (JS lives in static files); styles may be inline
# because templates use style attributes for track colours and layout.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Adds the Content Security Policy and the headers Django's SecurityMiddleware leaves out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


@dataclass(frozen=True)
class Limit:
    """At most `count` requests per `seconds` for one client, counted on the listed methods."""

    count: int
    seconds: int
    per: str = "ip"  # "ip", or "device": the bearer token, else the signed-in user, else the IP
    methods: tuple = ("POST",)


def _setting(name, default):
    return getattr(settings, name, default)


# URL name (namespace:name as resolved) -> limit. Limits are settings so an
# operator can loosen them for a crowded venue behind one NAT address.
def rate_limits():
    return {
        "events:register": Limit(*_setting("RATE_LIMIT_REGISTRATION", (10, 3600))),
        "api:register": Limit(*_setting("RATE_LIMIT_REGISTRATION", (10, 3600))),
        "events:request_link": Limit(*_setting("RATE_LIMIT_MAGIC_LINK", (5, 900))),
        "admin:login": Limit(*_setting("RATE_LIMIT_LOGIN", (20, 900))),
        "declarations:kiosk_login": Limit(*_setting("RATE_LIMIT_LOGIN", (20, 900))),
        "api:checkin_scan": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        "api:checkin_undo": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        "api:checkin_admit": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        # A sync carries up to 500 scans; a device refreshes its offline lists about once a minute.
        "api:checkin_sync": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        "api:checkin_offline_data": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device", methods=("GET",)),
    }


LOGIN_URL_NAMES = {"admin:login", "declarations:kiosk_login"}


def client_ip(request):
    # REMOTE_ADDR is the proxy's address behind a reverse proxy; trust X-Forwarded-For only when told to.
    if _setting("BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _client_key(request, per):
    if per == "device":
        authorization = request.headers.get("Authorization", "")
        if authorization:
            return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
    return "ip:" + client_ip(request)


def hit(bucket, limit_count, seconds):
    """Count one request in the current fixed window; return seconds to wait, or 0 when allowed."""
    now = int(time.time())
    window = now // seconds
    key = f"ratelimit:{bucket}:{window}"
    # add() then incr() is atomic on Redis and in-process caches alike.
    cache.add(key, 0, seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds + 1)
        count = 1
    if count > limit_count:
        return (window + 1) * seconds - now or 1
    return 0


def too_many_requests(request, retry_after, message=None):
    """429 with Retry-After: JSON under the API, an HTML page elsewhere, in the request's language."""
    message = message or _("Too many attempts. Please wait %(minutes)d minute(s) and try again.") % {
        "minutes": max(1, -(-retry_after // 60))
    }
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "rate_limited", "message": message, "field": None}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Throttles the URL names in rate_limits() and refuses logins for locked-out names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        name = match.view_name if match else ""
        limit = rate_limits().get(name)
        if limit is not None and request.method in limit.methods:
            retry_after = hit(f"{name}:{_client_key(request, limit.per)}", limit.count, limit.seconds)
            if retry_after:
                return too_many_requests(request, retry_after)
        if name in LOGIN_URL_NAMES and request.method == "POST":
            retry_after = lockout_remaining(request.POST.get("username", ""), request)
            if retry_after:
                message = _("Too many failed sign-ins for this account. Please try again in %(minutes)d minute(s).")
                return too_many_requests(request, retry_after, message % {"minutes": max(1, -(-retry_after // 60))})
        return None


# --- Login lockout ----------------------------------------------------------
# Two counters per username, each kept LOGIN_LOCKOUT_SECONDS after its last failure:
# - from one address: LOGIN_LOCKOUT_FAILURES wrong passwords lock the username there;
# - from any address: LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS lock it everywhere.
# So someone guessing from one place cannot lock the real owner out of their own
# address, while guessing spread over many addresses is still stopped.


def _lockout_keys(username, request):
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = hashlib.sha256(client_ip(request).encode()).hexdigest()[:16] if request is not None else "-"
    return f"lockout:{name}:{address}", f"lockout:{name}"


def _thresholds():
    here = _setting("LOGIN_LOCKOUT_FAILURES", 5)
    return here, _setting("LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS", here * 4)


def lockout_remaining(username, request=None):
    """Seconds until `username` may try again from the request's address, or 0."""
    if not username:
        return 0
    remaining = 0
    for key, threshold in zip(_lockout_keys(username, request), _thresholds(), strict=True):
        state = cache.get_many([key, f"{key}:until"])
        if state.get(key, 0) >= threshold:
            remaining = max(remaining, int(state.get(f"{key}:until", 0) - time.time()))
    return max(0, remaining)


def record_login_failure(username, request=None):
    seconds = _setting("LOGIN_LOCKOUT_SECONDS", 900)
    for key in _lockout_keys(username, request):
        # add() then incr(): atomic on Redis, so racing failures are all counted.
        cache.add(key, 0, seconds)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, seconds)
        cache.touch(key, seconds)
        cache.set(f"{key}:until", time.time() + seconds, seconds)


def clear_login_failures(username, request=None):
    """A successful sign-in clears the counter of its address; the any-address one runs out by itself."""
    key, _anywhere = _lockout_keys(username, request)
    cache.delete_many([key, f"{key}:until"])


def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    if username:
        record_login_failure(username, request)


def _on_logged_in(sender, request, user, **kwargs):
    clear_login_failures(user.get_username(), request)


user_login_failed.connect(_on_login_failed, dispatch_uid="conference.security.login_failed")
user_logged_in.connect(_on_logged_in, dispatch_uid="conference.security.logged_in")


class LockoutBackend:
    """First in AUTHENTICATION_BACKENDS: refuses any sign-in for a locked-out username.

    Raising PermissionDenied stops Django trying the next backends, so a
    locked account cannot be guessed through another login page either. It
    has no get_user(), so sessions (and force_login) use ModelBackend.
    """

    def authenticate(self, request, username=None, **kwargs):
        if username and lockout_remaining(username, request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return None
