"""What the HTTP scenarios share: manage.py in a given environment and a production-style server.

The server is started the way the README's production setup runs it: gunicorn
with 2 sync workers, DEBUG off (the caller's env says so), on a free local port.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    """Run `manage.py args…` with env; its standard output."""
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


def migrate(env):
    """Give env's database the schema: a copy of the runner's freshly migrated SQLite file, else `migrate`.

    Migrating takes seconds on a loaded machine, and every HTTP scenario starts on a fresh database.
    """
    template = env.get("BENCH_MIGRATED_DB") or os.environ.get("BENCH_MIGRATED_DB")
    if not env.get("DATABASE_URL") and template and os.path.exists(template):
        shutil.copyfile(template, Path(env["DATA_DIR"]) / "db.sqlite3")
    else:
        manage(env, "migrate", "-v0")


@contextlib.contextmanager
def gunicorn(env, workers=2):
    """gunicorn serving the app with env; yields (base URL, port) once /api/v1/events answers."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "conference.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError("gunicorn exited")
            try:
                urllib.request.urlopen(f"{base}/api/v1/events", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base, port
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def postgres_database(name):
    """A fresh PostgreSQL database `name` on the server at BENCH_PG_URL, dropped afterwards.

    Yields its URL, or None when no server answers (or psycopg is missing): the scenario then
    reports PostgreSQL as skipped.
    """
    try:
        # only when the benchmark runs on PostgreSQL
        import psycopg
    except ImportError:
        yield None
        return
    try:
        with psycopg.connect(PG_SERVER + "postgres", connect_timeout=2, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
    except psycopg.Error:
        yield None
        return
    try:
        yield PG_SERVER + name
    finally:
        with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
