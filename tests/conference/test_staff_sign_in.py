"""The one staff sign-in page: every staff role signs in there and lands where it works."""

from datetime import date

import pytest
from django.urls import reverse

from events.models import Event
from tests.conftest import _user

SIGN_IN = "/staff/"


@pytest.fixture(autouse=True)
def fresh_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def supervisor(db):
    from events.permissions import DOOR_SUPERVISOR

    return _user("giamsat", DOOR_SUPERVISOR)


def sign_in(client, username, **extra):
    return client.post(SIGN_IN + extra.pop("query", ""), {"username": username, "password": "pw-" + username, **extra})


def test_sign_in_page_is_vietnamese_first(client, db):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_door_staff_lands_on_the_scanner_of_the_one_event(client, event, door_staff):
    response = sign_in(client, "soatve")
    assert (response.status_code, response["Location"]) == (302, reverse("ticketing:scanner", args=[event.slug]))


def test_supervisor_lands_on_the_scanner(client, event, supervisor):
    response = sign_in(client, "giamsat")
    assert response["Location"] == reverse("ticketing:scanner", args=[event.slug])


def test_organizer_lands_on_the_organizer_home(client, event, organizer):
    response = sign_in(client, "bantochuc")
    assert response["Location"] == reverse("events:organizer_home", args=[event.slug])


def test_several_events_give_a_picker(client, event, door_staff):
    Event.objects.create(slug="tap-dot", name_vi="Tập dượt", start_date=date(2027, 9, 1), end_date=date(2027, 9, 1))
    response = sign_in(client, "soatve")
    assert response["Location"] == reverse("staff:events")
    page = client.get(response["Location"]).content.decode()
    assert reverse("ticketing:scanner", args=["tap-dot"]) in page
    assert reverse("ticketing:scanner", args=[event.slug]) in page


def test_safe_next_is_honoured(client, event, door_staff):
    target = reverse("declarations:kiosk_index", args=[event.slug])
    response = sign_in(client, "soatve", next=target)
    assert response["Location"] == target


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_next_to_another_site_is_ignored(client, event, door_staff, next_url):
    response = sign_in(client, "soatve", next=next_url)
    assert response["Location"] == reverse("ticketing:scanner", args=[event.slug])


def test_account_without_staff_role_is_refused(client, event):
    _user("khach")
    response = sign_in(client, "khach")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_in_vietnamese(client, event, door_staff):
    response = client.post(SIGN_IN, {"username": "soatve", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_lockout_applies_to_the_staff_sign_in(client, event, door_staff, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 3
    for _attempt in range(3):
        client.post(SIGN_IN, {"username": "soatve", "password": "sai"})
    response = sign_in(client, "soatve")
    assert response.status_code == 429


def test_sign_out(client, event, door_staff):
    sign_in(client, "soatve")
    response = client.post(reverse("staff:sign_out"))
    assert (response.status_code, response["Location"]) == (302, SIGN_IN)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url_name",
    [
        "ticketing:scanner",
        "events:organizer_home",
        "events:dashboard",
        "agenda:builder",
        "campaigns:list",
        "declarations:kiosk_index",
        "ticketing:arrivals",
        "ticketing:scanner_devices",
    ],
)
def test_no_staff_page_sends_anyone_to_the_admin_login(client, event, url_name):
    response = client.get(reverse(url_name, args=[event.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN + "?next=")


def test_old_kiosk_sign_in_forwards_with_next(client, db):
    response = client.get("/kiosk/login/?next=/e/x/kiosk/")
    assert response["Location"] == SIGN_IN + "?next=%2Fe%2Fx%2Fkiosk%2F"


def test_event_page_links_to_staff_sign_in(client, event):
    assert 'href="/staff/"' in client.get(reverse("events:event_detail", args=[event.slug])).content.decode()
