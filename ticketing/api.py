"""Ticketing API router, mounted by conference.api: badges and the scanners' public keys."""

import base64

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router

from events import permissions
from events.api import STAFF_AUTH, RegistrationTokenAuth, require
from events.models import Participant
from events.schemas import ErrorOut
from events.selectors import public_event

from . import codes, services
from .errors import BadgeNotFound, NoValidTicket
from .schemas import BadgeOut, PublicKeyOut

router = Router(tags=["badges"])

PDF_RESPONSE = {"responses": {200: {"description": "The badge PDF", "content": {"application/pdf": {}}}}}


def _badge_out(request, badge, pdf_url):
    return {
        "participant_id": badge.participant_id,
        "full_name": badge.participant.full_name,
        "version": badge.version,
        "code": badge.code,
        "issued_at": badge.issued_at,
        "reissued_at": badge.reissued_at,
        "printed_at": badge.printed_at,
        "pdf_url": request.build_absolute_uri(pdf_url),
    }


def _issued(participant):
    try:
        return services.issue_badge(participant)
    except NoValidTicket:
        raise BadgeNotFound()


def _pdf(badge):
    path = services.badge_pdf_path(badge)
    response = FileResponse(open(path, "rb"), content_type="application/pdf", filename=f"badge-{badge.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/registration/badge",
    response={200: BadgeOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="My badge code (X-Registration-Token)",
)
def my_badge(request):
    badge = _issued(request.auth)
    return _badge_out(request, badge, reverse("api:my_badge_pdf"))


@router.get(
    "/registration/badge.pdf",
    auth=RegistrationTokenAuth(),
    response={401: ErrorOut, 404: ErrorOut},
    summary="My badge as PDF (X-Registration-Token)",
    openapi_extra=PDF_RESPONSE,
    url_name="my_badge_pdf",
)
def my_badge_pdf(request):
    return _pdf(_issued(request.auth))


def _participant_for_staff(request, participant_id):
    require(request, permissions.can_manage_badges, "badges:read")
    return get_object_or_404(Participant.objects.select_related("event"), pk=participant_id)


@router.get(
    "/participants/{participant_id}/badge",
    response={200: BadgeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="A participant's badge code (organizers)",
)
def participant_badge(request, participant_id: int):
    badge = _issued(_participant_for_staff(request, participant_id))
    return _badge_out(request, badge, reverse("api:participant_badge_pdf", args=[participant_id]))


@router.get(
    "/participants/{participant_id}/badge.pdf",
    auth=STAFF_AUTH,
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A participant's badge as PDF (organizers)",
    openapi_extra=PDF_RESPONSE,
    url_name="participant_badge_pdf",
)
def participant_badge_pdf(request, participant_id: int):
    return _pdf(_issued(_participant_for_staff(request, participant_id)))


@router.get(
    "/events/{slug}/badge-keys",
    response={200: list[PublicKeyOut], 404: ErrorOut},
    auth=None,
    summary="Public keys that sign this event's badge codes (for scanners)",
)
def badge_keys(request, slug: str):
    event = public_event(slug)
    return [
        {
            "event_id": event.pk,
            "event_slug": event.slug,
            "key_id": key.key_id,
            "code_format_version": codes.FORMAT_VERSION,
            "public_key_base64": base64.b64encode(bytes(key.public_key)).decode(),
            "public_key_hex": bytes(key.public_key).hex(),
        }
        for key in services.public_keys(event)
    ]
