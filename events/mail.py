"""E-mails to participants, rendered in the recipient's language."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .links import magic_link


def send_participant_mail(participant, template, subject, extra=None, attachments=()):
    """Render templates/emails/<template>.txt and .html for one participant and send it.

    attachments: (file name, bytes, MIME type) triples, e.g. a badge PDF.
    """
    with translation.override(participant.language):
        context = {
            "participant": participant,
            "event": participant.event,
            "link": magic_link(participant),
            **(extra or {}),
        }
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
        message = EmailMultiAlternatives(
            subject=f"{participant.event.name}: {subject}", body=text, to=[participant.email]
        )
        message.attach_alternative(html, "text/html")
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        message.send()
