import pytest
from django.urls import reverse

from events import extensions
from events.declarations.pins import MAX_FAILURES, signing_pin
from events.models import ChainEntry

from ..factories import make_participant

pytestmark = pytest.mark.django_db


def kiosk_url(declaration):
    return reverse("declarations:kiosk", args=[declaration.event.slug, declaration.slug])


@pytest.fixture
def kiosk_client(client, door_staff):
    client.force_login(door_staff)
    session = client.session
    session["signing_kiosk"] = "Bàn ký 1"
    session.save()
    return client


def scan(client, declaration, code):
    return client.post(kiosk_url(declaration), {"code": code})


def test_kiosk_without_staff_login_redirects_to_the_staff_sign_in(client, declaration):
    response = client.get(kiosk_url(declaration))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:sign_in") + "?next=")


def test_kiosk_refuses_a_participant_session(client, declaration, kol):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("khach", password="x"))
    assert client.get(kiosk_url(declaration)).status_code == 302


def test_kiosk_asks_for_its_name_first(client, door_staff, declaration):
    client.force_login(door_staff)
    assert "kiosk-setup" in client.get(kiosk_url(declaration)).content.decode()
    client.post(kiosk_url(declaration), {"kiosk": "Bàn ký 2"})
    assert client.session["signing_kiosk"] == "Bàn ký 2"


def test_kiosk_scan_of_a_known_badge_opens_the_confirmation(kiosk_client, declaration, kol, badge_code):
    response = scan(kiosk_client, declaration, badge_code(kol))
    assert response.status_code == 302
    page = kiosk_client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["participant"] == kol
    assert declaration.versions.get().text_sha256 in page.content.decode()


def test_kiosk_scan_of_an_unknown_badge_says_so(kiosk_client, declaration, badge_code):
    response = scan(kiosk_client, declaration, "NOT-A-BADGE-999999")
    assert response.status_code == 400
    assert response.context["scan"].errors["code"] == [
        "Không nhận ra thẻ này cho sự kiện. Hãy đề nghị người tham dự xuất trình thẻ đeo của họ."
    ]


def test_kiosk_scan_without_a_registered_resolver_finds_nobody(kiosk_client, declaration, kol, badge_code):
    with extensions.BADGE_RESOLVER.replaced():
        assert scan(kiosk_client, declaration, badge_code(kol)).status_code == 400


def test_kiosk_scan_of_a_badge_from_another_event_is_refused(kiosk_client, declaration, badge_code, event):
    from events.models import Event

    other = Event.objects.create(slug="khac", name_vi="Khác", start_date=event.start_date, end_date=event.end_date)
    stranger = make_participant(other, status="approved")
    assert scan(kiosk_client, declaration, badge_code(stranger)).status_code == 400


def test_kiosk_confirmation_records_kiosk_and_staff(kiosk_client, declaration, kol, door_staff, badge_code):
    confirm_url = scan(kiosk_client, declaration, badge_code(kol))["Location"]
    response = kiosk_client.post(confirm_url, {"consent": "on", "public": "yes", "pin": signing_pin(kol)})
    assert response.status_code == 302
    entry = ChainEntry.objects.get()
    assert (entry.participant, entry.method, entry.kiosk, entry.staff) == (kol, "kiosk", "Bàn ký 1", door_staff)


def test_kiosk_confirmation_without_consent_records_nothing(kiosk_client, declaration, kol, badge_code):
    confirm_url = scan(kiosk_client, declaration, badge_code(kol))["Location"]
    response = kiosk_client.post(confirm_url, {"public": "yes", "pin": signing_pin(kol)})
    assert response.status_code == 400
    assert response.context["form"].errors["consent"] == ["Hãy đánh dấu vào ô để xác nhận bạn ký."]
    assert ChainEntry.objects.count() == 0


def test_kiosk_confirmation_twice_is_refused(kiosk_client, declaration, kol, badge_code):
    confirm_url = scan(kiosk_client, declaration, badge_code(kol))["Location"]
    kiosk_client.post(confirm_url, {"consent": "on", "public": "yes", "pin": signing_pin(kol)})
    response = kiosk_client.post(confirm_url, {"consent": "on", "public": "yes", "pin": signing_pin(kol)})
    assert response.status_code == 400
    assert ChainEntry.objects.count() == 1


def test_kiosk_confirmation_with_a_forged_token_goes_back_to_scanning(kiosk_client, declaration):
    url = reverse("declarations:kiosk_confirm", args=[declaration.event.slug, declaration.slug, "gia-mao"])
    response = kiosk_client.get(url)
    assert (response.status_code, response["Location"]) == (302, kiosk_url(declaration))


def test_staff_sign_in_sends_kiosk_staff_back_to_the_kiosk(client, door_staff, declaration):
    response = client.post(
        reverse("staff:sign_in"),
        {"username": "soatve", "password": "pw-soatve", "next": kiosk_url(declaration)},
    )
    assert (response.status_code, response["Location"]) == (302, kiosk_url(declaration))


def test_kiosk_index_lists_only_open_declarations(kiosk_client, declaration, event):
    from ..conftest import make_declaration

    make_declaration(event, "nhap", open=False)
    response = kiosk_client.get(reverse("declarations:kiosk_index", args=[event.slug]))
    assert [d.slug for d in response.context["declarations"]] == ["tuyen-bo"]


def test_kiosk_index_needs_staff(client, declaration, event):
    assert client.get(reverse("declarations:kiosk_index", args=[event.slug])).status_code == 302


def test_kiosk_staff_alone_cannot_sign_without_the_participants_pin(kiosk_client, declaration, kol, badge_code):
    """Issue #16: a staff member holding someone's badge must not sign for them."""
    confirm_url = scan(kiosk_client, declaration, badge_code(kol))["Location"]
    wrong = f"{(int(signing_pin(kol)) + 1) % 1_000_000:06d}"
    for pin in ("", wrong):
        response = kiosk_client.post(confirm_url, {"consent": "on", "public": "yes", "pin": pin})
        assert response.status_code == 400
        assert "pin" in response.context["form"].errors
    assert ChainEntry.objects.count() == 0


def test_kiosk_locks_a_badge_after_repeated_wrong_pins(kiosk_client, declaration, kol, badge_code):
    confirm_url = scan(kiosk_client, declaration, badge_code(kol))["Location"]
    wrong = f"{(int(signing_pin(kol)) + 1) % 1_000_000:06d}"
    for _ in range(MAX_FAILURES):
        kiosk_client.post(confirm_url, {"consent": "on", "public": "yes", "pin": wrong})
    response = kiosk_client.post(confirm_url, {"consent": "on", "public": "yes", "pin": signing_pin(kol)})
    assert response.status_code == 400
    assert response.context["form"].errors["pin"] == [
        "Nhập sai mã PIN quá nhiều lần cho thẻ này. Hãy ký trên trang cá nhân, hoặc thử lại sau 15 phút."
    ]
    assert ChainEntry.objects.count() == 0


def test_signing_pin_is_six_digits_and_changes_with_the_token(kol):
    pin = signing_pin(kol)
    assert len(pin) == 6 and pin.isdigit()
    kol.token = "a-new-secret-token"
    assert signing_pin(kol) != pin
