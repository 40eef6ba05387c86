"""Background jobs (django-q2): take ids, switch to the recipient's language, call one function."""

from django.utils import translation
from django.utils.translation import gettext as _

from . import extensions
from .campaigns import reminders
from .campaigns import services as campaign_services
from .mail import send_participant_mail
from .models import Campaign, Participant
from .privacy import anonymize_expired as anonymize_expired_participants


def send_status_email(participant_id):
    participant = Participant.objects.select_related("event").get(pk=participant_id)
    with translation.override(participant.language):
        subject = _("Your registration: %(status)s") % {"status": participant.get_status_display()}
    send_participant_mail(participant, "participant_status", subject)


def send_link_email(participant_id):
    participant = Participant.objects.select_related("event").get(pk=participant_id)
    with translation.override(participant.language):
        subject = _("Your personal link")
    send_participant_mail(participant, "magic_link", subject)


def send_repeat_registration_email(participant_id):
    """Someone registered again with this participant's address: send them their link (nothing changed)."""
    participant = Participant.objects.select_related("event").get(pk=participant_id)
    with translation.override(participant.language):
        subject = _("You are already registered")
    send_participant_mail(participant, "repeat_registration", subject)


def after_approval(participant_id):
    """What the upper apps do once a participant is approved (ticketing issues and e-mails the badge)."""
    participant = Participant.objects.select_related("event").get(pk=participant_id)
    extensions.run_approval_hooks(participant)


def send_campaign(campaign_id):
    """Send the pending and failed deliveries of one organizer e-mail (each recipient in their language)."""
    campaign_services.send_pending(Campaign.objects.select_related("event").get(pk=campaign_id))


def send_due_reminders():
    """The scheduled day-before reminders (see events.apps for the schedule)."""
    return [event.slug for event in reminders.send_due_reminders()]


def anonymize_expired():
    """Daily: erase the participants of events whose retention period has ended (events.privacy)."""
    return anonymize_expired_participants()
