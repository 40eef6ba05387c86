"""Abuse resistance for every app: security headers, rate limits and login lockout.

One place, keyed by URL name, so the apps stay free of throttling code and an
operator sees every limit in one table. Counters live in Django's default
cache: Redis when REDIS_URL is set, so limits hold across app processes and
machines; otherwise a file cache in DATA_DIR, shared by every gunicorn worker
of the machine (a per-process cache would multiply each limit by the workers).
"""

import fcntl
import hashlib
import ipaddress
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
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
    per: str = "ip"  # "ip"; "device": the bearer token, else the signed-in user, else the IP;
    # "person": the participant(s) this browser signed in as by personal link, else the signed-in user, else the IP
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
        # Orders placed per address: with the cap on open orders per verified buyer, one client
        # cannot hold a quota's seats (issue #16); confirmations need the e-mailed link.
        "ticketing:buy": Limit(*_setting("RATE_LIMIT_ORDER", (10, 3600))),
        "api:create_order": Limit(*_setting("RATE_LIMIT_ORDER", (10, 3600))),
        "admin:login": Limit(*_setting("RATE_LIMIT_LOGIN", (20, 900))),
        "staff:sign_in": Limit(*_setting("RATE_LIMIT_LOGIN", (20, 900))),
        # A pairing code is 8 of 32 characters: at 10 tries per 15 minutes per address guessing is hopeless.
        "ticketing:pair_device": Limit(*_setting("RATE_LIMIT_PAIRING", (10, 900))),
        "api:checkin_scan": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        "api:checkin_undo": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        "api:checkin_admit": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        # A sync carries up to 500 scans; a device refreshes its offline lists about once a minute.
        "api:checkin_sync": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device"),
        "api:checkin_offline_data": Limit(*_setting("RATE_LIMIT_SCAN", (120, 60)), per="device", methods=("GET",)),
        # The roundtable floor, per person (a hall of phones shares one NAT address): questions are
        # read by a moderator, so few; votes and poll answers are one tap each.
        "agenda:floor_ask": Limit(*_setting("RATE_LIMIT_FLOOR_QUESTION", (5, 300)), per="person"),
        "agenda:floor_vote": Limit(*_setting("RATE_LIMIT_FLOOR_VOTE", (120, 60)), per="person"),
        "agenda:floor_unvote": Limit(*_setting("RATE_LIMIT_FLOOR_VOTE", (120, 60)), per="person"),
        "agenda:floor_answer_poll": Limit(*_setting("RATE_LIMIT_FLOOR_VOTE", (120, 60)), per="person"),
        "agenda:floor_feedback": Limit(*_setting("RATE_LIMIT_FLOOR_QUESTION", (5, 300)), per="person"),
    }


LOGIN_URL_NAMES = {"admin:login", "staff:sign_in"}


def client_ip(request):
    """The address the limits count: the peer, or behind our proxy the address the proxy saw.

    Behind nginx REMOTE_ADDR is nginx. Its `$proxy_add_x_forwarded_for` appends the peer it saw to
    whatever X-Forwarded-For the client sent, so only the last entry is nginx's own and only when
    the request really comes from nginx (TRUSTED_PROXIES); every other entry, and the header on a
    request sent straight to gunicorn, is the client's to invent.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if _setting("BEHIND_PROXY", False) and is_trusted_proxy(remote):
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if _parse_ip(last) is not None:
            return last
    return remote


def _parse_ip(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address):
    parsed = _parse_ip(address)
    networks = _setting("TRUSTED_PROXIES", [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("::1/128")])
    return parsed is not None and any(parsed in ipaddress.ip_network(network) for network in networks)


def _client_key(request, per):
    if per == "person":
        # events.links.SESSION_KEY: {event id: [participant id, since]}; a new link spent in another
        # browser is the same person, so the same bucket.
        owned = request.session.get("participants", {}) if hasattr(request, "session") else {}
        people = sorted(str(v[0]) for v in owned.values() if isinstance(v, list) and v)
        if people:
            return "person:" + ",".join(people)
        per = "device"
    if per == "device":
        token = _verified_bearer_digest(request)
        if token:
            return "token:" + token[:32]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
    return "ip:" + client_ip(request)


def _verified_bearer_digest(request):
    """The digest of a live API token in `Authorization: Bearer …`, or "" for none or an invented one.

    Only a verified token gets a bucket of its own: keyed on the raw header, every random bearer
    value would start a fresh count. Invented ones are counted by address instead.
    """
    # conference/logs.py imports this module while logging is configured, before models load
    from events.models import ApiToken

    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return ""
    digest = hashlib.sha256(secret.strip().encode()).hexdigest()
    return digest if ApiToken.objects.filter(key_sha256=digest, revoked_at__isnull=True).exists() else ""


@contextmanager
def _counting():
    """Make add-then-incr atomic across processes when the cache cannot do it itself.

    Redis increments atomically. Django's file cache (the shared default without Redis, see
    settings.CACHES) reads and rewrites a file, so two gunicorn workers could both read 9 and
    write 10; an exclusive lock on one file in the cache folder serialises the counters.
    """
    location = getattr(cache, "_dir", None)
    if location is None:
        yield
        return
    os.makedirs(location, exist_ok=True)
    with open(os.path.join(location, "counters.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _increment(key, seconds):
    with _counting():
        cache.add(key, 0, seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, seconds)
            return 1


def hit(bucket, limit_count, seconds):
    """Count one request in the current fixed window; return seconds to wait, or 0 when allowed."""
    now = int(time.time())
    window = now // seconds
    count = _increment(f"ratelimit:{bucket}:{window}", seconds + 1)
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
# address, while guessing spread over many addresses is still stopped. The
# any-address lock only holds at addresses with failures of their own: the owner
# signing in from a clean address (the office, a phone) with the right password
# always gets in, however many addresses an attacker used; each new address of
# the attacker gets one wrong guess before it is locked too.


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
    here, anywhere = _lockout_keys(username, request)
    state = cache.get_many([here, f"{here}:until", anywhere, f"{anywhere}:until"])
    here_threshold, anywhere_threshold = _thresholds()
    remaining = 0
    if state.get(here, 0) >= here_threshold:
        remaining = state.get(f"{here}:until", 0) - time.time()
    elif state.get(here, 0) and state.get(anywhere, 0) >= anywhere_threshold:
        remaining = state.get(f"{anywhere}:until", 0) - time.time()
    return max(0, int(remaining))


def record_login_failure(username, request=None):
    seconds = _setting("LOGIN_LOCKOUT_SECONDS", 900)
    for key in _lockout_keys(username, request):
        # Atomic (Redis, or the lock of _counting), so racing failures are all counted.
        _increment(key, seconds)
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
            raise PermissionDenied
        return None
