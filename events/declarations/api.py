"""Declarations API: the declarations of an event, their signatures and chain verification.

Reading is public: everyone sees the signatures whose signers agreed to be
listed; organizers (session or a token with `declarations:read`) see all.
"""

from django.utils.translation import gettext as _
from ninja import Router

from .. import collation, permissions
from .. import selectors as event_selectors
from ..common.api import STAFF_AUTH
from ..errors import PermissionDenied
from ..schemas import ErrorOut
from . import selectors
from .schemas import DeclarationOut, SignatureOut, VerificationOut

router = Router(tags=["declarations"])
ORGANIZER_FIELDS = {"participant_id", "public", "kiosk", "entry_hash"}


def _anyone(request):
    return True  # last in the auth list: the request goes on, unauthenticated


def _is_organizer(request, event):
    token = getattr(request, "api_token", None)
    return permissions.has_permission(request.user, permissions.READ_SIGNATURES, token=token) and (
        permissions.token_covers_event(token, event.pk)
    )


def _declaration_out(declaration):
    version = selectors.latest_version(declaration)
    return {
        **{field: getattr(declaration, field) for field in ("slug", "title_vi", "title_en", "status")},
        **{field: getattr(declaration, field) for field in ("chain_length", "chain_head")},
        **{field: getattr(declaration, field) for field in ("opened_at", "closed_at", "sealed_at")},
        "version": version.number if version else None,
        "text_sha256": version.text_sha256 if version else None,
    }


@router.get(
    "/events/{slug}/declarations",
    response={200: list[DeclarationOut], 404: ErrorOut},
    auth=None,
    summary="Declarations of an event, with their chain head",
)
def list_declarations(request, slug: str):
    """The declarations participants can sign (the Alliance founding declaration, the code-of-conduct pledge)
    with their open/closed state and the hash at the head of each signature chain.
    """
    event = event_selectors.public_event(slug)
    return [_declaration_out(declaration) for declaration in selectors.public_declarations(event)]


def _signature_out(entry):
    return {
        "name": entry.display_name,
        "organization": entry.display_organization,
        "category": entry.category,
        "role": entry.role,
        "method": entry.method,
        "signed_at": entry.recorded_at,
        "version": entry.version.number,
        "text_sha256": entry.text_sha256,
        "sequence": entry.sequence,
        "participant_id": entry.participant_id,
        "public": entry.public,
        "kiosk": entry.kiosk,
        "entry_hash": entry.entry_hash,
    }


@router.get(
    "/events/{slug}/declarations/{declaration_slug}/signatures",
    response={200: list[SignatureOut], 403: ErrorOut, 404: ErrorOut},
    auth=[*STAFF_AUTH, _anyone],
    summary="Signatures in force: listed ones for everyone, all for organizers",
)
def list_signatures(request, slug: str, declaration_slug: str, unlisted: bool = False):
    """In Vietnamese order; `unlisted=true` (organizers) adds those not listed publicly and the record details."""
    event = event_selectors.public_event(slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    signatures = selectors.signatures_in_force(declaration)
    if not unlisted:
        public_fields = SignatureOut.model_fields.keys() - ORGANIZER_FIELDS
        rows = selectors.public_signatories(signatures)
        return [{key: value for key, value in _signature_out(e).items() if key in public_fields} for e in rows]
    if not _is_organizer(request, event):
        raise PermissionDenied("forbidden", _("You are not allowed to do this."))
    return [_signature_out(entry) for entry in collation.sort_people(signatures, name=lambda e: e.display_name)]


@router.get(
    "/events/{slug}/declarations/{declaration_slug}/verification",
    operation_id="verify_declaration_chain",
    response={200: VerificationOut, 404: ErrorOut},
    auth=None,
    summary="Recompute the whole signature chain and name the first broken entry",
)
def verify(request, slug: str, declaration_slug: str):
    """Recomputes every entry of the declaration's hash chain from its content and says whether the chain is
    intact, naming the first broken entry if not. Anyone may check.
    """
    event = event_selectors.public_event(slug)
    declaration = selectors.public_declaration(event, declaration_slug)
    result = selectors.verify_chain(declaration)
    return {
        "ok": result.ok,
        "entries": result.entries,
        "head": result.head,
        "stored_head": declaration.chain_head,
        "broken_sequence": result.broken_sequence,
        "reason": result.reason,
        "message": str(result.message),
    }
