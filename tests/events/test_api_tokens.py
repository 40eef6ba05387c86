"""Bearer tokens record when they were last used, to the minute (not a write per request)."""

import datetime

import pytest

from events.models import ApiToken
from events.services import issue_api_token

pytestmark = pytest.mark.django_db


def test_last_used_is_written_at_most_once_a_minute(client, door_staff):
    token, secret = issue_api_token(user=door_staff, name="Cổng A", scopes=["checkin:scan"])

    def scan():
        body = '{"code": "KHONG-PHAI-MA", "gate": "Cổng A"}'
        answer = client.post(
            "/api/v1/checkin/scan", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
        assert answer.status_code == 200
        return ApiToken.objects.get(pk=token.pk).last_used_at

    first = scan()
    assert first is not None
    assert scan() == first  # within the minute: not rewritten

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    assert scan() > first - datetime.timedelta(minutes=2)
