"""The projector wall's address and the QR code it shows.

The wall's address carries a signature of the session id: the moderator's page
gives it, so the names senders chose to show reach the room's screen, not
whoever guesses a URL.
"""

import base64
import io

from django.core import signing
from django.http import Http404
from django.urls import reverse

WALL_SALT = "agenda.floor-wall"


def wall_token(session):
    return signing.Signer(salt=WALL_SALT).sign(str(session.pk)).split(":", 1)[1]


def wall_url(session):
    return reverse(
        "agenda:floor_wall", kwargs={"slug": session.event.slug, "pk": session.pk, "wall_token": wall_token(session)}
    )


def check(session, token):
    """404 unless `token` is this session's wall signature."""
    try:
        signing.Signer(salt=WALL_SALT).unsign(f"{session.pk}:{token}")
    except signing.BadSignature:
        raise Http404


def qr_data_uri(url):
    """An SVG QR code of `url` as a data: URI (strict CSP allows data: images)."""
    import qrcode  # slow import, only on the wall
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
