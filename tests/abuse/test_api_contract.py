"""The API's error contract everywhere under /api/ (issue #16, 5i), against gunicorn."""

import pytest
import requests

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_revoked_bearer_on_post_answers_401_json_not_403_csrf(gunicorn_server, door_staff):
    from events.services import issue_api_token, revoke_api_token

    api_token, secret = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan"])
    revoke_api_token(api_token=api_token, by=door_staff)
    base, _log = gunicorn_server(workers=1)

    answer = requests.post(
        f"{base}/api/v1/checkin/scan", json={"code": "X", "gate": "A"}, headers={"Authorization": f"Bearer {secret}"}
    )

    assert answer.status_code == 401
    assert answer.json() == {"code": "unauthenticated", "message": "Vui lòng đăng nhập hoặc gửi mã truy cập hợp lệ."}


def test_an_oversized_body_answers_413_json(gunicorn_server, event):
    base, _log = gunicorn_server(workers=1)
    body = '{"full_name": "' + "a" * (3 * 1024 * 1024) + '"}'

    answer = requests.post(
        f"{base}/api/v1/events/{event.slug}/registrations",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
    )

    assert answer.status_code == 413
    assert answer.json() == {"code": "too_large", "message": "The request body is too large."}


def test_an_unknown_api_path_answers_404_json(gunicorn_server, db):
    base, _log = gunicorn_server(workers=1)

    answer = requests.get(f"{base}/api/v1/khong-co/")

    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_even_a_500_under_the_api_is_json(gunicorn_server, tmp_path, db):
    """The database is gone (a file with no tables, a PostgreSQL database that does not exist)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        missing = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        settings = connection.settings_dict
        missing = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/khong_ton_tai"
    base, _log = gunicorn_server(workers=1, DATABASE_URL=missing)

    api = requests.get(f"{base}/api/v1/events", headers={"Accept-Language": "en"})
    page = requests.get(f"{base}/e/kol-2027/")

    assert api.status_code == 500
    assert api.json() == {
        "code": "server_error",
        "message": "Something went wrong on our side. Please try again later.",
        "request_id": api.headers["X-Request-ID"],  # leads the operator to the logged traceback
    }
    assert page.status_code == 500 and page.headers["Content-Type"].startswith("text/html")
