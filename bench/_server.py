"""What the HTTP scenarios share: manage.py in a given environment and a production-style server.

The server is started the way the README's production setup runs it: gunicorn
with 2 sync workers, DEBUG off (the caller's env says so), on a free local port.
"""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    """Run `manage.py args…` with env; its standard output."""
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


@contextlib.contextmanager
def gunicorn(env, workers=2):
    """gunicorn serving the app with env; yields (base URL, port) once /api/v1/events answers."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "conference.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--backlog", "2048", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
