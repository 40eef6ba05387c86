"""Rate limits and the login lockout of issue #16 (5b, 5d, 5e, 5j), replayed against gunicorn."""

import os
import re
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from .conftest import ROOT, access_log_lines

pytestmark = pytest.mark.django_db(transaction=True)


def _post_registration(base):
    return requests.post(
        f"{base}/api/v1/events/kol-2027/registrations",
        data="{}",
        headers={"Content-Type": "application/json", "Connection": "close"},
        timeout=30,
    ).status_code


def test_registration_limit_holds_across_two_gunicorn_workers_without_redis(gunicorn_server, event):
    """With a cache per worker the review got 20 registrations an hour past a limit of 10."""
    base, access_log = gunicorn_server(
        workers=2, RATE_LIMIT_REGISTRATION="10/h", GUNICORN_CMD_ARGS="--access-logformat '%(p)s %(s)s'"
    )

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _n: _post_registration(base), range(24)))

    workers = {line.split()[0] for line in access_log_lines(access_log, 24).splitlines()}
    assert len(workers) == 2  # both workers answered
    assert answers.count(429) == 14
    assert answers.count(422) == 10  # the ten allowed reach the view ("{}" is not a valid registration)


def _admin_sign_in(base, password):
    session = requests.Session()
    page = session.get(f"{base}/admin/login/", headers={"Connection": "close"}, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "bantochuc", "password": password, "next": "/admin/"},
        headers={"Referer": f"{base}/admin/login/", "Connection": "close"},
        allow_redirects=False,
        timeout=30,
    )
    return answer.status_code


def test_lockout_holds_across_gunicorn_workers(gunicorn_server, organizer):
    """The review saw the lockout flip between workers: each kept its own count."""
    base, _log = gunicorn_server(workers=2, LOGIN_LOCKOUT_FAILURES=3, LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS=12)

    failures = [_admin_sign_in(base, "sai") for _ in range(3)]
    after = [_admin_sign_in(base, "pw-bantochuc") for _ in range(4)]

    assert failures == [200, 200, 200]
    assert after == [429, 429, 429, 429]


def _scan(base, bearer):
    return requests.post(
        f"{base}/api/v1/checkin/scan",
        json={"code": "KHONG-PHAI-MA", "gate": "Cổng A"},
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=30,
    ).status_code


def test_invented_bearer_values_share_their_address_bucket(gunicorn_server, door_staff):
    """Keyed on the raw Authorization header, each random bearer value got a fresh bucket."""
    from events.services import issue_api_token

    _, device = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan"])
    base, _log = gunicorn_server(RATE_LIMIT_SCAN="3/d")  # a day: a fixed window must not turn over mid-test

    invented = [_scan(base, secrets.token_urlsafe(24)) for _ in range(5)]
    real_device = [_scan(base, device) for _ in range(4)]

    assert invented == [401, 401, 401, 429, 429]
    assert real_device == [200, 200, 200, 429]  # a verified device has a bucket of its own


@pytest.mark.parametrize(
    "value, expected",
    [("10/h", (10, 3600)), ("5/15min", (5, 900)), ("5/15 min", (5, 900)), ("120/min", (120, 60)),
     ("100/h", (100, 3600)), ("7", (7, 3600)), ("2/d", (2, 86400)), ("30/hours", (30, 3600))],
)  # fmt: skip
def test_rate_limit_settings_take_the_documented_forms(monkeypatch, value, expected):
    from conference.settings import env_rate

    monkeypatch.setenv("RATE_LIMIT_REGISTRATION", value)

    assert env_rate("RATE_LIMIT_REGISTRATION", "10/h") == expected


@pytest.mark.parametrize("value", ["ten", "10/fortnight", "10/0min", "0/h", "10 per hour"])
def test_a_bad_rate_limit_stops_manage_py_with_a_message_naming_the_variable(tmp_path, value):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "conference.settings", "DATA_DIR": str(tmp_path)}
    env["RATE_LIMIT_REGISTRATION"] = value

    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)

    assert result.returncode == 1
    assert f"RATE_LIMIT_REGISTRATION={value!r} is not a request limit" in result.stderr
    assert "ValueError" not in result.stderr
