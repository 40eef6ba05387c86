"""A phone paired as a scanner device (ticketing.services.pairing) acts as that device and nothing more.

Its session names the device token. On every request this middleware:
1. signs the phone out when the token is revoked (the device account is
   deactivated too, so Django already treats it as signed out);
2. puts the token on the request as `api_token`, exactly as a bearer token
   would be, so its scope (scanning only) and its event bind every check
   (events.common.api.require, ticketing.services.devices.device_event_slug);
3. lets the device reach only the scanner's pages and door API: anywhere else
   it is an anonymous visitor.
"""

from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser

from events.models import ApiToken

DEVICE_SESSION_KEY = "scanner_device_token"

DEVICE_VIEWS = frozenset(
    {
        "ticketing:scanner",
        "ticketing:scanner_service_worker",
        "ticketing:scanner_manifest",
        "ticketing:pair_device",
        "api:checkin_scan",
        "api:checkin_search",
        "api:checkin_admit",
        "api:checkin_offline_data",
        "api:checkin_sync",
        "api:badge_keys",
        "staff:sign_out",
        "set_language",
    }
)


class PairedDeviceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token_id = request.session.get(DEVICE_SESSION_KEY)
        if token_id is not None:
            api_token = None
            if request.user.is_authenticated:
                api_token = (
                    ApiToken.objects.select_related("event")
                    .filter(pk=token_id, user=request.user, revoked_at__isnull=True)
                    .first()
                )
            if api_token is None:
                logout(request)  # revoked: the phone is no longer a scanner
            else:
                request.api_token = request.paired_device = api_token
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "paired_device", None) is None:
            return None
        match = request.resolver_match
        if (match.view_name if match else "") not in DEVICE_VIEWS:
            request.user = AnonymousUser()
            request.api_token = request.paired_device = None
        return None
