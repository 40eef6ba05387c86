"""Project system checks: settings that must not reach production as they are in the samples.

`manage.py check --deploy` runs the ones tagged `deploy`; an Error there fails the command at any
--fail-level, so a deployment script that runs it stops before serving.
"""

import re

from django.conf import settings
from django.core.checks import Error, Tags, register

# The placeholder of docs/deploy/conference.env, and words that only appear in keys nobody generated.
SAMPLE_SECRET_KEY = "change-me-to-50-random-characters-shared-by-all-app-servers"
WELL_KNOWN_KEY_WORDS = (
    "change-me",
    "changeme",
    "change_me",
    "django-insecure",
    "secret-key",
    "secretkey",
    "placeholder",
    "example",
    "not-secret",
    "your-",
    "replace-me",
    "xxxxxxxx",
)
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 10


def secret_key_weakness(key):
    """Why `key` is not fit to sign magic links and badge keys, or "" when it is.

    A key fails when it is short, drawn from few characters, one short piece repeated, or
    contains a word of a placeholder: whoever has read the sample (or guesses a common key)
    could forge every personal link (TimestampSigner) with it.
    """
    key = key or ""
    lowered = key.lower()
    if key == SAMPLE_SECRET_KEY or any(word in lowered for word in WELL_KNOWN_KEY_WORDS):
        return "it is the sample's placeholder or a well-known key"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"it has {len(key)} characters, fewer than {MIN_SECRET_KEY_LENGTH}"
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS:
        return f"it uses only {len(set(key))} different characters"
    if re.fullmatch(r"(.{1,25}?)\1+", key):
        return "it is one short piece repeated"
    return ""


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    weakness = secret_key_weakness(getattr(settings, "SECRET_KEY", ""))
    if not weakness:
        return []
    return [
        Error(
            f"SECRET_KEY is not safe for production: {weakness}.",
            hint="Generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'` and put it "
            "in SECRET_KEY on every app server (the same value on all of them).",
            id="conference.E001",
        )
    ]
