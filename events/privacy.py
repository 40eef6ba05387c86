"""Personal data rights (Law 91/2025/QH15, Decree 356/2025): access, erasure, retention.

Erasure anonymizes instead of deleting: the participant row stays (counts,
check-in statistics, the declaration chain's PROTECT links) with every
personal field blanked. The upper apps blank their own data through
extensions.personal_data_eraser and describe it through personal_data_section.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, extensions, links
from .common.pdf import render_pdf
from .consent import CONSENT_TEXTS
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


# Headings of the PDF's rows (the JSON keeps the plain keys).
LABELS = {
    "event": gettext_lazy("event"),
    "category": gettext_lazy("category"),
    "full_name": gettext_lazy("full name"),
    "title": gettext_lazy("title / position"),
    "organization": gettext_lazy("organization"),
    "email": gettext_lazy("e-mail"),
    "phone": gettext_lazy("phone"),
    "language": gettext_lazy("language"),
    "status": gettext_lazy("status"),
    "decided_at": gettext_lazy("decided at"),
    "decision_reason": gettext_lazy("reason for the decision"),
    "registered_at": gettext_lazy("registered at"),
    "updated_at": gettext_lazy("updated at"),
    "platform": gettext_lazy("platform"),
    "handle": gettext_lazy("handle"),
    "url": gettext_lazy("profile address"),
    "followers": gettext_lazy("followers"),
    "purpose": gettext_lazy("purpose"),
    "text_version": gettext_lazy("text version"),
    "text_language": gettext_lazy("language of the text"),
    "text_sha256": gettext_lazy("SHA-256 of the text shown"),
    "given_at": gettext_lazy("given at"),
    "withdrawn_at": gettext_lazy("withdrawn at"),
    "declaration": gettext_lazy("declaration"),
    "action": gettext_lazy("action"),
    "sequence": gettext_lazy("number in the chain"),
    "name_as_signed": gettext_lazy("name as signed"),
    "public": gettext_lazy("name on the public list"),
    "method": gettext_lazy("method"),
    "recorded_at": gettext_lazy("recorded at"),
    "entry_hash": gettext_lazy("entry hash"),
    "requested_at": gettext_lazy("requested at"),
    "state": gettext_lazy("state"),
    "reference": gettext_lazy("reference"),
    "buyer_name": gettext_lazy("buyer name"),
    "buyer_email": gettext_lazy("buyer e-mail"),
    "buyer_organization": gettext_lazy("organization"),
    "buyer_tax_code": gettext_lazy("tax code"),
    "total_vnd": gettext_lazy("total (VND)"),
    "created_at": gettext_lazy("created at"),
    "paid_at": gettext_lazy("paid at"),
    "cancelled_at": gettext_lazy("cancelled at"),
    "passes": gettext_lazy("passes"),
    "order": gettext_lazy("order"),
    "amount_vnd": gettext_lazy("amount (VND)"),
    "received_at": gettext_lazy("received at"),
    "version": gettext_lazy("version"),
    "issued_at": gettext_lazy("issued at"),
    "reissued_at": gettext_lazy("reissued at"),
    "printed_at": gettext_lazy("printed at"),
    "checked_in_at": gettext_lazy("checked in at"),
    "gate": gettext_lazy("gate"),
    "agenda_session_id": gettext_lazy("agenda session"),
    "undone_at": gettext_lazy("undone at"),
    "session": gettext_lazy("session"),
    "reserved_at": gettext_lazy("reserved at"),
    # Meetings (sessions.meetings.privacy)
    "introduction": gettext_lazy("introduction"),
    "topics": gettext_lazy("topics"),
    "published": gettext_lazy("published"),
    "shown_in_list": gettext_lazy("shown in the list"),
    "direction": gettext_lazy("sent or received"),
    "other_person": gettext_lazy("other person"),
    "message": gettext_lazy("message"),
    "sent_at": gettext_lazy("sent at"),
    "meeting_starts_at": gettext_lazy("meeting starts at"),
    "meeting_place": gettext_lazy("meeting place"),
    "checked_in_at_desk": gettext_lazy("checked in at the meeting desk"),
    "promoted_at": gettext_lazy("promoted from the waitlist at"),
    "saved_at": gettext_lazy("saved at"),
}


def _readable(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        return value[:19].replace("T", " ")
    return value


def personal_data_pdf(participant):
    """The same data as a readable PDF (WeasyPrint, fonts with Vietnamese diacritics)."""

    html = render_to_string(
        "events/personal_data_pdf.html",
        {
            "participant": participant,
            "sections": [
                (title, [[(LABELS.get(name, name), _readable(value)) for name, value in row.items()] for row in rows])
                for _key, title, rows in personal_data(participant)
            ],
            "generated_at": timezone.now(),
        },
    )
    return render_pdf(html)


def request_erasure(*, participant, request=None):
    """The participant asks to be erased: done at once unless something needs an organizer.

    Returns the ErasureRequest (state done, or pending with the reasons it waits;
    see stop_while_pending for what stops at once). `request`, when given, is the
    browser asking: it stays signed in to see the request's state.
    """
    if participant.anonymized_at is not None:
        raise Conflict("already_erased", _("This registration was already erased."))
    pending = participant.erasure_requests.filter(state=ErasureRequest.State.PENDING).first()
    if pending is not None:
        return pending  # asked twice: one request is enough
    blockers = extensions.erasure_blockers(participant)
    erasure = ErasureRequest.objects.create(participant=participant, blockers=blockers)
    audit.record(action="events.participant.erasure_requested", obj=participant, blockers=blockers)
    if not blockers:
        erase_participant(participant=participant, by=None, reason="request", request=erasure)
        erasure.refresh_from_db()
    else:
        stop_while_pending(participant=participant, request=request)
    return erasure


def stop_while_pending(*, participant, request=None):
    """What an erasure request stops at once, before an organizer completes it.

    Every personal link made so far and every other browser signed in as the
    participant stop working, the API registration token is replaced (so the
    signing PIN derived from it changes too) and optional consents are withdrawn.
    The badge keeps admitting its holder until the organizer completes the
    erasure: the pending reasons (a paid order, a signed declaration) are about
    someone who may still be attending.
    """
    links.void_links(participant)
    links.end_sessions(participant, keep=request)
    Participant.objects.filter(pk=participant.pk).update(token=new_participant_token())
    optional = [purpose for purpose, text in CONSENT_TEXTS.items() if not text.required]
    Consent.objects.filter(participant=participant, purpose__in=optional, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


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
            action="events.participant.erased",
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
