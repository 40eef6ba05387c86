"""Settings for the test suite: the real ones with background jobs run inline."""

import os

os.environ.setdefault("Q_SYNC", "1")

from conference.settings import *  # noqa: E402,F401,F403 - test settings extend the real ones

Q_CLUSTER["sync"] = True  # noqa: F405 - django-q2 reads this once at import
if REDIS_URL:  # noqa: F405
    # With Redis the cache is one server for every xdist worker and every run; a key prefix per
    # test process keeps counters (rate limits) apart, as the in-process cache would.
    CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests only
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns about a missing folder

# Each xdist worker has its own test database, so it gets its own media folder
# too (badge PDFs are cached there by participant id, which repeats across workers).
MEDIA_ROOT = DATA_DIR / f"test-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405

# The suite registers, scans and signs in far more often than one person could;
# tests/test_abuse.py sets real limits explicitly.
RATE_LIMIT_REGISTRATION = RATE_LIMIT_MAGIC_LINK = RATE_LIMIT_LOGIN = RATE_LIMIT_SCAN = (100_000, 60)  # noqa: F405
LOGIN_LOCKOUT_FAILURES = 100_000
