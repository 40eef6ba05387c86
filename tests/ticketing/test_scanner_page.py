"""The door scanner page: door staff, supervisors and organizers only; its script gets translated words."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

URL = "/e/kol-2027/checkin/"


def test_anonymous_is_sent_to_login(client, event):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/staff/?next=" + URL


def test_other_users_get_403(client, event):
    client.force_login(User.objects.create_user("khach", password="pw-khach"))

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["door_staff", "supervisor", "organizer"])
def test_door_roles_get_the_page_with_csrf_cookie(client, event, role, request):
    client.force_login(request.getfixturevalue(role))

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="vi")

    html = response.content.decode()
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert 'data-scan-url="/api/v1/checkin/scan"' in html
    texts = json.loads(unescape(re.search(r'data-texts="([^"]*)"', html).group(1)))
    assert texts["admitted"] == "Đã cho vào"
    assert "<script>" not in html


def test_unknown_event_is_404(client, door_staff):
    client.force_login(door_staff)

    assert client.get("/e/khong-co/checkin/").status_code == 404
