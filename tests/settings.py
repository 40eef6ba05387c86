"""Settings for the test suite: the real ones with background jobs run inline."""

import os
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("Q_SYNC", "1")

from conference.settings import *  # noqa: E402,F401,F403 - test settings extend the real ones

Q_CLUSTER["sync"] = True  # noqa: F405 - django-q2 reads this once at import
if REDIS_URL:  # noqa: F405
    # With Redis the cache is one server for every xdist worker. cache.clear() is FLUSHDB, which
    # would wipe another worker's counters mid-test (rate limits), so each worker gets its own
    # Redis database (gw0 -> 1, gw1 -> 2, ...; 0 without xdist), and a key prefix per process
    # keeps two runs apart.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    _database = (int(_worker[2:]) + 1) % 16 if _worker.startswith("gw") else 0
    REDIS_URL = urlsplit(REDIS_URL)._replace(path=f"/{_database}").geturl()  # noqa: F405
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    Q_CLUSTER["redis"] = REDIS_URL  # noqa: F405
    # A gunicorn started by tests/abuse/ is given the prefix of the test that started it, so both count
    # in the same place (its workers would otherwise each take a prefix of their own pid).
    CACHES["default"]["KEY_PREFIX"] = os.environ.get("TEST_CACHE_KEY_PREFIX", f"test-{os.getpid()}")  # noqa: F405
else:
    # One file cache per xdist worker: cache.clear() in one worker must not wipe another's counters.
    # A gunicorn started by a test with the same PYTEST_XDIST_WORKER shares it (tests/abuse/).
    CACHES["default"]["LOCATION"] = str(DATA_DIR / f"test-cache-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests only
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns about a missing folder

# Each xdist worker has its own test database, so it gets its own media folder
# too (badge PDFs are cached there by participant id, which repeats across workers).
# A server started by tests/abuse/ may be given its own (e.g. a read-only file system) as TEST_MEDIA_ROOT.
_media = DATA_DIR / f"test-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT") or _media)
DEMO_BADGE_DIR = DATA_DIR / f"test-demo-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405

# The suite registers, scans and signs in far more often than one person could;
# tests/test_abuse.py sets real limits explicitly, and a server started by tests/abuse/ takes the
# ones its test puts in the environment.
for _name in (
    "RATE_LIMIT_REGISTRATION",
    "RATE_LIMIT_MAGIC_LINK",
    "RATE_LIMIT_LOGIN",
    "RATE_LIMIT_SCAN",
    "RATE_LIMIT_ORDER",
    "RATE_LIMIT_FLOOR_QUESTION",
    "RATE_LIMIT_FLOOR_VOTE",
):
    if _name not in os.environ:
        globals()[_name] = (100_000, 60)
for _name in ("LOGIN_LOCKOUT_FAILURES", "LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS"):
    if _name not in os.environ:
        globals()[_name] = 100_000
# Tests place many orders for one buyer; tests/ticketing/test_orders.py sets the real cap explicitly,
# and a server started by tests/abuse/ takes the one its test puts in the environment.
if "TICKETING_MAX_OPEN_ORDERS_PER_BUYER" not in os.environ:
    TICKETING_MAX_OPEN_ORDERS_PER_BUYER = 100_000
