"""`bash run.sh start` stops everything it started on Ctrl+C or SIGTERM (issue #17, item 4).

Background jobs of a non-interactive script ignore SIGINT, so before the fix the django-q2 cluster
kept running after Ctrl+C and needed kill -9. The script is started for real, on a database and data
folder of its own; every process it started is found by that folder in its environment.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.abuse.conftest import ROOT, _free_port


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("run-sh")  # shared: the second start finds the database migrated


def _processes_of(data_dir):
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue  # gone, or another user's
        if f"DATA_DIR={data_dir}".encode() in environ.split(b"\0"):
            found.append(int(proc.name))
    return found


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_start_stops_the_web_server_and_the_job_worker(data_dir, stop_signal):
    port = _free_port()
    environment = {
        **{name: value for name, value in os.environ.items() if name not in {"REDIS_URL", "Q_SYNC"}},
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'db.sqlite3'}",
        "PORT": str(port),
    }
    script = subprocess.Popen(
        ["bash", "run.sh", "start"], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        health = None
        while time.monotonic() < deadline and script.poll() is None:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                if health["checks"]["worker"]:
                    break
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.5)
        assert health is not None and health["checks"]["worker"], health  # the web server and a live worker
        assert len(_processes_of(data_dir)) >= 4  # bash, gunicorn and its workers, the cluster and its own

        script.send_signal(stop_signal)
        script.wait(timeout=15)
        deadline = time.monotonic() + 5
        while _processes_of(data_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_of(data_dir) == []
    finally:
        for pid in _processes_of(data_dir):
            os.kill(pid, signal.SIGKILL)
