"""The day-before reminder: each participant with a valid ticket gets their badge and agenda, once.

Run by a django-q2 schedule (events.apps) every hour; running it again is
harmless. Each event has at most one reminder campaign (a unique constraint),
its deliveries are unique per participant, and sending claims each delivery
before sending (see services), so nobody is reminded twice. A participant who
gets a ticket later that day is added and reminded by the next run.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from .. import extensions
from ..enums import CampaignKind, CampaignStatus, EventStatus, ParticipantStatus
from ..models import Campaign, Event
from . import services


def reminder_filters():
    """Who is reminded: as a recipient filter declares (ticketing: holders of a valid ticket), else the approved."""
    return extensions.reminder_recipients() or {"status": ParticipantStatus.APPROVED}


def _texts(language):
    with translation.override(language):
        return (
            gettext("Tomorrow: {event}"),
            gettext(
                "Dear {name},\n\n"
                "{event} starts tomorrow. Attached are your badge (print it or show it on your phone at the "
                "door) and your personal agenda, which you can import into your calendar.\n\n"
                "Your personal page: {personal_link}\n\n"
                "See you tomorrow!"
            ),
        )


def reminder_campaign(event):
    """The event's reminder campaign, created on first use (two first uses meet the unique constraint)."""
    campaign = Campaign.objects.filter(event=event, kind=CampaignKind.REMINDER).first()
    if campaign is not None:
        return campaign
    subject_vi, body_vi = _texts("vi")
    subject_en, body_en = _texts("en")
    try:
        with transaction.atomic():
            return Campaign.objects.create(
                event=event,
                kind=CampaignKind.REMINDER,
                essential=True,
                filters=reminder_filters(),
                subject_vi=subject_vi,
                body_vi=body_vi,
                subject_en=subject_en,
                body_en=body_en,
                status=CampaignStatus.SENDING,
                queued_at=timezone.now(),
            )
    except IntegrityError:
        return Campaign.objects.get(event=event, kind=CampaignKind.REMINDER)


def send_reminder(event):
    """Add the event's current ticket holders to its reminder and send to those not yet reminded."""
    campaign = reminder_campaign(event)
    total = services.add_deliveries(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(recipients_total=total, status=CampaignStatus.SENDING)
    services.send_pending(campaign)
    return campaign


def send_due_reminders(today=None):
    """Remind the participants of every published event that starts tomorrow (local time); returns the events."""
    today = today or timezone.localdate()
    events = list(Event.objects.filter(status=EventStatus.PUBLISHED, start_date=today + timedelta(days=1)))
    for event in events:
        send_reminder(event)
    return events
