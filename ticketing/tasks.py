"""Background jobs (django-q2): take ids, switch to the recipient's language, call one service."""

from django.utils import translation
from django.utils.translation import gettext as _

from events.mail import send_participant_mail

from . import services
from .models import Badge, PrintJob


def send_badge_email(badge_id):
    badge = Badge.objects.select_related("participant__event").get(pk=badge_id)
    participant = badge.participant
    path = services.badge_pdf_path(badge)
    with translation.override(participant.language):
        subject = _("Your conference badge")
    send_participant_mail(
        participant,
        "badge_issued",
        subject,
        extra={"badge": badge},
        attachments=[(f"badge-{participant.event.slug}.pdf", path.read_bytes(), "application/pdf")],
    )


def start_print_job(job_id):
    job = PrintJob.objects.select_related("event").get(pk=job_id)
    _guarded(job, services.start_print_job, job)


def render_print_chunk(job_id, index):
    job = PrintJob.objects.select_related("event").get(pk=job_id)
    _guarded(job, services.render_print_chunk, job, index)


def _guarded(job, func, *args):
    # A job that breaks must say so in the admin rather than spin at "running";
    # the error is re-raised so django-q2 records the failed task as well.
    try:
        func(*args)
    except Exception as error:
        services.fail_print_job(job, f"{type(error).__name__}: {error}")
        raise
