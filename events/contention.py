"""Is this database error lock contention ("busy, try again") rather than a bug?

For services of any app that answer contention with a 409 instead of a 500
(ticketing.services.quotas.busy_on_contention, the roundtable floor's votes).
On the ground floor so that every app can use the one rule.
"""

import sqlite3

# SQLite's primary result codes for "another connection holds the lock" (extended codes such as
# SQLITE_BUSY_SNAPSHOT keep them in the low byte); sqlite3 raises them as a plain OperationalError,
# so the code, not the class, tells them apart (sqlite_errorcode, Python 3.11+).
SQLITE_CONTENTION = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def is_contention(error):
    """True for SQLite busy/locked and PostgreSQL lock_timeout, deadlock or serialization failure.

    Django re-raises the driver's exception `from` it, so the driver's class is the cause; the
    message text is never read (it changes with the server's language and the driver version).
    """
    cause = error.__cause__
    if isinstance(cause, sqlite3.OperationalError):
        return (getattr(cause, "sqlite_errorcode", 0) & 0xFF) in SQLITE_CONTENTION
    try:
        from psycopg import errors  # only installed where PostgreSQL is used
    except ImportError:
        return False
    return isinstance(cause, (errors.LockNotAvailable, errors.DeadlockDetected, errors.SerializationFailure))
