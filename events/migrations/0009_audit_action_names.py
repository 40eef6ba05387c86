"""Audit action names in one form, <app>.<object>.<verb> (events.audit.ACTION_NAME): rename stored rows."""

from django.db import migrations

RENAMED = {
    "erasure.requested": "events.participant.erasure_requested",
    "participant.erased": "events.participant.erased",
    "api_token.issued": "events.api_token.issued",
    "api_token.revoked": "events.api_token.revoked",
    "declaration.sealed": "events.declaration.sealed",
    "participants.exported": "events.participants.exported",
    "payment.refunded": "ticketing.payment.refunded",
    "order.cancelled": "ticketing.order.cancelled",
    "check_in.undone": "ticketing.check_in.undone",
    "check_in.undone_by_move": "ticketing.check_in.undone_by_move",
    "application.approved": "events.application.approved",
    "application.rejected": "events.application.rejected",
    "application.waitlisted": "events.application.waitlisted",
}


def rename(apps, schema_editor, mapping=RENAMED):
    AuditEntry = apps.get_model("events", "AuditEntry")
    for old, new in mapping.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, mapping={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("events", "0008_participant_sessions_valid_after")]

    operations = [migrations.RunPython(rename, rename_back)]
