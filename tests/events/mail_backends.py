"""E-mail backends for tests: the real locmem backend, with a transport that fails for chosen addresses."""

import smtplib

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    """locmem that refuses to send to the addresses in `failing` (a dropped SMTP connection) or `refused` (a bounce)."""

    failing = set()
    refused = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.failing:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 User unknown")})
        return super().send_messages(messages)
