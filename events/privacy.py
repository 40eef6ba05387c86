"""Personal data rights (Law 91/2025/QH15, Decree 356/2025): access, erasure, retention.

Erasure anonymizes instead of deleting: the participant row stays (counts,
check-in statistics, the declaration chain's PROTECT links) with every
personal field blanked. The upper apps blank their own data through
extensions.personal_data_eraser and describe it through personal_data_section.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, extensions
from .declarations.services import erase_signer_data
from .errors import Conflict
from .models import ChainEntry, Consent, ErasureRequest, Event, Participant, new_participant_token

ERASED_NAME = "—"


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def personal_data(participant):
    """Everything held about a participant: [(key, title, rows)], rows JSON-ready dicts."""
    sections = [
        (
            "registration",
            _("Registration"),
            [
                {
                    "event": participant.event.name_vi,
                    "category": participant.get_category_display(),
                    "full_name": participant.full_name,
                    "title": participant.title,
                    "organization": participant.organization,
                    "email": participant.email,
                    "phone": participant.phone,
                    "language": participant.language,
                    "status": participant.get_status_display(),
                    "decided_at": _when(participant.decided_at),
                    "decision_reason": participant.decision_reason,
                    "registered_at": _when(participant.created_at),
                    "updated_at": _when(participant.updated_at),
                }
            ],
        ),
        (
            "channels",
            _("Channels"),
            [
                {"platform": c.get_platform_display(), "handle": c.handle, "url": c.url, "followers": c.followers}
                for c in participant.channels.all()
            ],
        ),
        (
            "consents",
            _("Consents"),
            [
                {
                    "purpose": c.get_purpose_display(),
                    "text_version": c.text_version,
                    "text_language": c.text_language,
                    "text_sha256": c.text_sha256,
                    "given_at": _when(c.given_at),
                    "withdrawn_at": _when(c.withdrawn_at),
                }
                for c in participant.consents.all()
            ],
        ),
        (
            "declaration_signatures",
            _("Declaration signatures"),
            [
                {
                    "declaration": e.declaration.title_vi,
                    "action": e.get_action_display(),
                    "sequence": e.sequence,
                    "name_as_signed": e.display_name,
                    "public": e.public,
                    "method": e.get_method_display(),
                    "recorded_at": _when(e.recorded_at),
                    "entry_hash": e.entry_hash,
                }
                for e in ChainEntry.objects.filter(participant=participant).select_related("declaration")
            ],
        ),
        (
            "erasure_requests",
            _("Erasure requests"),
            [
                {"requested_at": _when(r.requested_at), "state": r.get_state_display()}
                for r in participant.erasure_requests.all()
            ],
        ),
    ]
    return sections + extensions.personal_data_sections(participant)


def personal_data_json(participant):
    return {
        "generated_at": _when(timezone.now()),
        "sections": {key: rows for key, _title, rows in personal_data(participant)},
    }


def personal_data_pdf(participant):
    """The same data as a readable PDF (WeasyPrint, fonts with Vietnamese diacritics)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "events/personal_data_pdf.html",
        {"participant": participant, "sections": personal_data(participant), "generated_at": timezone.now()},
    )
    return HTML(string=html).write_pdf()


def request_erasure(*, participant):
    """The participant asks to be erased: done at once unless something needs an organizer.

    Returns the ErasureRequest (state done, or pending with the reasons it waits).
    """
    if participant.anonymized_at is not None:
        raise Conflict("already_erased", _("This registration was already erased."))
    blockers = extensions.erasure_blockers(participant)
    erasure = ErasureRequest.objects.create(participant=participant, blockers=blockers)
    audit.record(action="erasure.requested", obj=participant, blockers=blockers)
    if not blockers:
        erase_participant(participant=participant, by=None, reason="request", request=erasure)
        erasure.refresh_from_db()
    return erasure


def erase_participant(*, participant, by, reason, request=None):
    """Anonymize one participant for good; keeps the row, counts, check-ins and chains."""
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.anonymized_at is not None:
            return participant
        now = timezone.now()
        participant.full_name = ERASED_NAME
        participant.title = ""
        participant.organization = ""
        participant.email = f"erased-{participant.pk}@invalid"
        participant.phone = ""
        participant.decision_reason = ""
        participant.token = new_participant_token()
        participant.anonymized_at = now
        participant.save()
        participant.channels.all().delete()
        Consent.objects.filter(participant=participant, withdrawn_at__isnull=True).update(withdrawn_at=now)
        erased_entries = erase_signer_data(participant=participant)
        extensions.run_personal_data_erasers(participant)
        requests = ErasureRequest.objects.filter(participant=participant, state=ErasureRequest.State.PENDING)
        requests.update(state=ErasureRequest.State.DONE, done_at=now, done_by=by)
        audit.record(
            action="participant.erased",
            actor=by,
            obj=participant,
            reason=reason,
            declaration_entries=erased_entries,
        )
    return participant


def retention_days(event):
    return event.retention_days if event.retention_days is not None else settings.PERSONAL_DATA_RETENTION_DAYS


def expired_events(today=None):
    today = today or timezone.localdate()
    return [
        event
        for event in Event.objects.all()
        if event.end_date + datetime.timedelta(days=retention_days(event)) < today
    ]


def anonymize_expired(today=None):
    """Erase every participant of events past their retention period; returns how many."""
    count = 0
    for event in expired_events(today):
        for participant in Participant.objects.filter(event=event, anonymized_at__isnull=True):
            erase_participant(participant=participant, by=None, reason="retention")
            count += 1
    return count
