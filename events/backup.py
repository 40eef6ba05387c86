"""Backup and restore with each database's native tools, plus the media folder.

SQLite: the online backup API (a consistent copy while the site runs, WAL
included). PostgreSQL: pg_dump in custom format, pg_restore into a database.
Media (badge PDFs, print jobs) is a tar.gz of MEDIA_ROOT beside the dump.
"""

import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_FILE = "db.sqlite3"
PG_FILE = "db.pgdump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    pass


def _vendor(alias="default"):
    return connections[alias].vendor


def _pg_url(db):
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def _run(command):
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def backup(directory, *, alias="default", media=True):
    """Write the database (and media) into directory; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    written = []
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(directory / SQLITE_FILE)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        written.append(directory / SQLITE_FILE)
    elif connection.vendor == "postgresql":
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={directory / PG_FILE}",
                _pg_url(connection.settings_dict),
            ]
        )
        written.append(directory / PG_FILE)
    else:
        raise BackupError(f"no backup method for {connection.vendor}")
    media_root = Path(settings.MEDIA_ROOT)
    if media and media_root.is_dir():
        with tarfile.open(directory / MEDIA_FILE, "w:gz") as archive:
            archive.add(media_root, arcname="media")
        written.append(directory / MEDIA_FILE)
    return written


def restore_sqlite(directory, target_path):
    """Copy a SQLite backup into target_path (a new or replaced database file), with the backup API."""
    source = sqlite3.connect(Path(directory) / SQLITE_FILE)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def restore_postgres(directory, target_url):
    """pg_restore into target_url (an existing, normally empty, database)."""
    _run(
        ["pg_restore", "--no-owner", "--clean", "--if-exists", f"--dbname={target_url}", str(Path(directory) / PG_FILE)]
    )


def restore_media(directory, media_root):
    archive_path = Path(directory) / MEDIA_FILE
    if not archive_path.exists():
        return False
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media"):
                continue
            member.name = member.name[len("media") :].lstrip("/") or "."
            archive.extract(member, media_root, filter="data")
    return True
