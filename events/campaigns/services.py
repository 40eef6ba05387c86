"""Organizer e-mails: every write to campaigns, deliveries and opt-outs goes through these functions.

Exactly one copy per recipient: a campaign's recipients become Delivery rows
(unique per campaign and participant) when sending starts, and a job sends a
delivery only after claiming it with a conditional UPDATE (pending or failed
-> sending) whose row count it checks. Two jobs on the same campaign (a double
click, a retried task) therefore never both send to one person, on SQLite and
PostgreSQL alike. A delivery whose job died mid-send stays "sending" and is not
retried automatically: one missing e-mail is better than two. Once the campaign
has finished, an organizer may mark such deliveries failed (`release_interrupted`)
and retry them, knowing the recipient may get the message twice.
"""

import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import extensions
from ..common.jobs import enqueue
from ..enums import SENDABLE_DELIVERIES, CampaignStatus, Category, ConsentPurpose, DeliveryStatus, ParticipantStatus
from ..errors import DomainError
from ..models import Campaign, Consent, Delivery, MailOptOut, Participant
from . import placeholders

OPT_OUT_SALT = "events.mail-opt-out"
# Deliveries read per query while sending: bounded memory for any campaign size.
SEND_CHUNK = 200


# --- Recipients ---------------------------------------------------------------


def core_filters():
    """events' own filters as (key, label, choices(event)), before those other apps register."""
    return [
        ("category", _("Category"), lambda event: list(Category.choices)),
        ("status", _("Status"), lambda event: list(ParticipantStatus.choices)),
    ]


def filter_participants(event, filters):
    """The participants of event matching filters ({key: value}); unknown keys are a DomainError."""
    queryset = Participant.objects.filter(event=event)
    registered = {item.key: item for item in extensions.recipient_filters()}
    for key, value in (filters or {}).items():
        if value in ("", None):
            continue
        if key in ("category", "status"):
            queryset = queryset.filter(**{key: value})
        elif key in registered:
            queryset = registered[key].apply(queryset, str(value))
        else:
            raise DomainError("unknown_filter", _("Unknown recipient filter."), field=key)
    return queryset


def recipients(campaign):
    """Who the campaign goes to now: the filter, minus those who opted out unless the mail is essential."""
    queryset = filter_participants(campaign.event, campaign.filters)
    if not campaign.essential:
        queryset = queryset.exclude(mail_opt_out__isnull=False)
    return queryset.select_related("event").order_by("pk")


# --- Composing ----------------------------------------------------------------


def _check_placeholders(fields):
    for name in ("subject_vi", "body_vi", "subject_en", "body_en"):
        unknown = placeholders.unknown(fields.get(name, ""))
        if unknown:
            message = _("Unknown placeholder {%(name)s}. Use {name}, {personal_link} or {event}.")
            raise DomainError("unknown_placeholder", message % {"name": unknown[0]}, field=name)


def save_draft(*, event, fields, filters, by, campaign=None):
    """Create a draft campaign, or change one (only while it is a draft); returns it.

    fields: subject_vi, body_vi, subject_en, body_en, essential. Raises
    DomainError on an unknown placeholder or filter, or once sending began.
    """
    _check_placeholders(fields)
    filter_participants(event, filters)  # validates the keys
    if campaign is None:
        return Campaign.objects.create(event=event, filters=filters, created_by=by, **fields)
    changed = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.DRAFT).update(filters=filters, **fields)
    if not changed:
        raise _not_a_draft()
    campaign.refresh_from_db()
    return campaign


def _not_a_draft():
    return DomainError("campaign_not_draft", _("This e-mail is being sent or was sent; it can no longer change."))


def preview(campaign):
    """What the page shows before sending: recipient count and the e-mail rendered for a sample recipient.

    Returns {"count": n, "samples": [(language, participant, subject, body)]}, one sample per
    recipients' language (Vietnamese first); `language` is the one the e-mail is written in for them.
    """
    queryset = recipients(campaign)
    samples = []
    for language in ("vi", "en"):
        participant = queryset.filter(language=language).first()
        if participant is not None:
            message = build_message(campaign, participant)
            samples.append((campaign.language_for(language), participant, message.subject, message.body))
    return {"count": queryset.count(), "samples": samples}


# --- The message --------------------------------------------------------------


def opt_out_url(participant):
    token = signing.Signer(salt=OPT_OUT_SALT).sign(str(participant.pk))
    return settings.SITE_URL + reverse("campaigns:opt_out", kwargs={"token": token})


def build_message(campaign, participant, *, connection=None):
    """The e-mail for one recipient, with the opt-out link and headers if non-essential.

    One language for the whole message: the recipient's when the campaign is written in it, else
    Vietnamese (Campaign.language_for), for the text, {event}, the footer and any attachment.
    """
    language = campaign.language_for(participant.language)
    with translation.override(language):
        mapping = placeholders.values(participant)
        subject, body = campaign.text_for(language)
        subject = " ".join(placeholders.fill(subject, mapping).split())  # no line breaks in a header
        body = placeholders.fill(body, mapping)
        headers = {}
        if not campaign.essential:
            url = opt_out_url(participant)
            body += "\n\n-- \n" + gettext(
                "You receive this e-mail because you registered for %(event)s. "
                "To stop receiving non-essential e-mails from the organizers, open: %(url)s"
            ) % {"event": participant.event.name, "url": url}
            # RFC 2369 and RFC 8058: mail clients show a one-click "unsubscribe" that POSTs to the URL.
            headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        message = EmailMultiAlternatives(
            subject=subject, body=body, to=[participant.email], headers=headers, connection=connection
        )
        if campaign.kind == "reminder":
            for name, content, mimetype in extensions.reminder_attachments(participant):
                message.attach(name, content, mimetype)
    return message


# --- Sending ------------------------------------------------------------------


def start_sending(campaign):
    """Fix the recipient list of a draft and queue the sending job (after the commit).

    Locks the campaign row so two clicks on "send" create one list and one job;
    raises DomainError if it is not a draft or has no recipients.
    """
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise _not_a_draft()
        total = add_deliveries(locked)
        if total == 0:
            raise DomainError("no_recipients", _("No participant matches these filters."))
        Campaign.objects.filter(pk=locked.pk).update(
            status=CampaignStatus.SENDING, queued_at=timezone.now(), recipients_total=total
        )
        enqueue("events.tasks.send_campaign", locked.pk)
    campaign.refresh_from_db()
    return campaign


def add_deliveries(campaign):
    """Create the missing Delivery rows for the campaign's current recipients; returns how many it has."""
    ids = list(recipients(campaign).values_list("pk", flat=True))
    Delivery.objects.bulk_create(
        (Delivery(campaign=campaign, participant_id=pk) for pk in ids), batch_size=500, ignore_conflicts=True
    )
    return Delivery.objects.filter(campaign=campaign).count()


def retry_failed(campaign):
    """Queue a job that sends again to the failed deliveries only (sent ones are never sent twice)."""
    if campaign.status == CampaignStatus.DRAFT:
        raise DomainError("campaign_not_sent", _("This e-mail has not been sent yet."))
    if not campaign.deliveries.filter(status__in=SENDABLE_DELIVERIES).exists():
        raise DomainError("nothing_to_retry", _("There is no failed delivery to retry."))
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING, finished_at=None)
        enqueue("events.tasks.send_campaign", campaign.pk)
    campaign.refresh_from_db()
    return campaign


def release_interrupted(campaign):
    """Mark the deliveries a crashed job left "sending" as failed, so a retry can send them; how many.

    Only once the campaign has finished: while a job runs, "sending" means it is
    sending that message right now. The recipient may have got it already.
    """
    if campaign.status != CampaignStatus.FINISHED:
        raise DomainError("campaign_still_sending", _("Wait until the sending has finished."))
    released = Delivery.objects.filter(campaign=campaign, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED, error=gettext("Interrupted while sending: it may have reached the recipient.")
    )
    if not released:
        raise DomainError("nothing_interrupted", _("No delivery was interrupted."))
    _finish(campaign)
    return released


def send_pending(campaign):
    """Send every pending or failed delivery of the campaign that this job manages to claim.

    One SMTP connection for the whole job. Each delivery is claimed, sent and
    marked on its own, so a crash loses at most the one in flight. Ends by
    storing the counts and marking the campaign finished.
    """
    connection = get_connection()
    connection.open()
    try:
        last_pk = 0
        while True:
            chunk = list(
                Delivery.objects.filter(campaign=campaign, status__in=SENDABLE_DELIVERIES, pk__gt=last_pk)
                .select_related("participant__event")
                .order_by("pk")[:SEND_CHUNK]
            )
            if not chunk:
                break
            for delivery in chunk:
                _deliver(campaign, delivery, connection)
            last_pk = chunk[-1].pk
    finally:
        connection.close()
    _finish(campaign)


def _deliver(campaign, delivery, connection):
    claimed = Delivery.objects.filter(pk=delivery.pk, status__in=SENDABLE_DELIVERIES).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return  # another job has it, or has sent it
    try:
        build_message(campaign, delivery.participant, connection=connection).send()
    except smtplib.SMTPRecipientsRefused as error:
        _mark(delivery, DeliveryStatus.BOUNCED, f"{type(error).__name__}: {error}")
    except (smtplib.SMTPException, OSError) as error:
        _mark(delivery, DeliveryStatus.FAILED, f"{type(error).__name__}: {error}")
    else:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, error="", sent_at=timezone.now())


def _mark(delivery, status, error):
    Delivery.objects.filter(pk=delivery.pk).update(status=status, error=error[:1000])


def progress(campaign):
    """{status: count} of the campaign's deliveries, every status present (one query)."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    rows = Delivery.objects.filter(campaign=campaign).values_list("status").annotate(n=Count("pk"))
    counts.update(dict(rows))
    return counts


def _finish(campaign):
    counts = progress(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.FINISHED,
        finished_at=timezone.now(),
        sent_count=counts[DeliveryStatus.SENT],
        failed_count=counts[DeliveryStatus.FAILED] + counts[DeliveryStatus.BOUNCED],
    )


# --- Opting out ---------------------------------------------------------------


def participant_from_opt_out_token(token):
    """The participant an opt-out link was made for, or a DomainError (links do not expire)."""
    try:
        pk = signing.Signer(salt=OPT_OUT_SALT).unsign(token)
    except signing.BadSignature:
        raise DomainError("link_invalid", _("This link is not valid."))
    participant = Participant.objects.select_related("event").filter(pk=pk).first()
    if participant is None:
        raise DomainError("link_invalid", _("This link is not valid."))
    return participant


def opt_out(participant):
    """Record that the participant wants no more non-essential e-mail; idempotent.

    Also withdraws their consent to news e-mails (the updates purpose), so the
    personal page and the consent records agree with the opt-out.
    """
    with transaction.atomic():
        record, _created = MailOptOut.objects.get_or_create(participant=participant)
        Consent.objects.filter(
            participant=participant, purpose=ConsentPurpose.UPDATES, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
    return record
