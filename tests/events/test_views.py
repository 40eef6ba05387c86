"""Public pages: registration, personal page, magic links, language."""

import re
import unicodedata

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from events.links import SALT, magic_link
from events.models import AuditEntry, Channel, Consent, Participant

from .factories import make_invitation, make_participant, open_personal_link, registration_data

pytestmark = pytest.mark.django_db


def register_url(event, category="kol"):
    return reverse("events:register", kwargs={"slug": event.slug, "category": category})


def open_page(client, participant):
    """Open the participant's personal page as they do: from a personal link."""
    open_personal_link(client, participant)
    return client.get(reverse("events:personal_page", kwargs={"slug": participant.event.slug}))


def link_path(body):
    return re.search(r"http://[^/\s]+(/e/\S+/me/login/\S+/)", body).group(1)


def test_event_page_is_vietnamese_by_default(client, event):
    response = client.get(reverse("events:event_detail", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert "Hội nghị KOL toàn quốc lần thứ nhất" in response.content.decode()
    assert "Đăng ký" in response.content.decode()


def test_language_switcher_turns_the_site_english(client, event):
    response = client.post(reverse("set_language"), {"language": "en", "next": f"/e/{event.slug}/"}, follow=True)
    html = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert "First National KOL Conference" in html
    assert "Choose how you take part:" in html


def test_draft_event_is_not_public(client, event):
    event.status = "draft"
    event.save()
    assert client.get(reverse("events:event_detail", kwargs={"slug": event.slug})).status_code == 404
    assert client.get(register_url(event)).status_code == 404


def test_unknown_category_is_404(client, event):
    assert client.get(register_url(event, "celebrity")).status_code == 404


def test_kol_form_has_channels_and_no_code_regulator_form_has_code(client, event):
    kol = client.get(register_url(event, "kol")).content.decode()
    regulator = client.get(register_url(event, "regulator")).content.decode()
    assert 'name="channels-0-handle"' in kol and 'name="invitation_code"' not in kol
    assert 'name="invitation_code"' in regulator and 'name="channels-0-handle"' not in regulator


def test_consent_boxes_are_not_pre_ticked(client, event):
    html = client.get(register_url(event)).content.decode()
    for name in ("consent_participation", "consent_updates"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert "checked" not in tag


def test_register_kol_signs_nobody_in_and_emails_the_link(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), registration_data(), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/e/{event.slug}/register/received/"
    assert "cuong.nguyen@example.vn" in html
    assert "Xin chào" not in client.get(reverse("events:personal_page", kwargs={"slug": event.slug})).content.decode()
    participant = Participant.objects.get()
    assert (participant.phone, participant.status, participant.language) == ("+84912345678", "pending", "vi")
    assert Channel.objects.get().followers == 1250000
    assert list(Consent.objects.values_list("purpose", flat=True)) == ["participation"]
    assert len(mail.outbox) == 1
    assert link_path(mail.outbox[0].body).startswith(f"/e/{event.slug}/me/login/")


def test_the_emailed_link_shows_a_button_and_opens_the_page_once(client, event):
    participant = make_participant(event, full_name="Đỗ Thị Ánh")
    path = magic_link(participant).removeprefix(settings.SITE_URL)
    shown = client.get(path)
    assert 'id="open-personal-page"' in shown.content.decode()
    assert shown["Referrer-Policy"] == "same-origin"
    opened = client.post(path, follow=True)
    assert "Xin chào, Đỗ Thị Ánh" in opened.content.decode()
    again = Client().post(path)
    assert again.status_code == 400
    assert "Đường dẫn này đã được sử dụng" in again.content.decode()


def test_showing_the_link_does_not_spend_it(client, event):
    """Mail scanners fetch every link in a message: only the button spends it."""
    participant = make_participant(event)
    path = magic_link(participant).removeprefix(settings.SITE_URL)
    for _ in range(3):
        assert Client().get(path).status_code == 200
    assert client.post(path).status_code == 302


def test_spending_a_newer_link_voids_the_older_ones(client, event):
    participant = make_participant(event)
    older = magic_link(participant).removeprefix(settings.SITE_URL)
    newer = magic_link(participant).removeprefix(settings.SITE_URL)
    assert client.post(newer).status_code == 302
    assert Client().post(older).status_code == 400


TAMPERINGS = {
    "signature": lambda pk, s: s[:-1] + ("A" if s[-1] != "A" else "B"),
    "other-participant": lambda pk, s: str(pk + 1) + s[len(str(pk)) :],
    "garbage": lambda pk, s: "garbage",
    "no-time": lambda pk, s: signing.TimestampSigner(salt=SALT).sign(str(pk)),
}


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_tampered_magic_link_is_refused(client, event, tampering):
    participant = make_participant(event)
    make_participant(event)  # the neighbour a changed id would point to
    signed = magic_link(participant).rstrip("/").rsplit("/", 1)[-1]
    forged = TAMPERINGS[tampering](participant.pk, signed)
    url = reverse("events:magic_login", kwargs={"slug": event.slug, "signed": forged})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "Đường dẫn này không hợp lệ" in response.content.decode()
    assert client.get(reverse("events:personal_page", kwargs={"slug": event.slug})).context.get("participant") is None


def test_expired_magic_link_is_refused(client, event, settings):
    participant = make_participant(event)
    settings.MAGIC_LINK_MAX_AGE = -1
    path = magic_link(participant).split("127.0.0.1:8000")[1]
    response = client.post(path)
    assert response.status_code == 400
    assert "Đường dẫn này đã hết hạn" in response.content.decode()


def test_magic_link_of_another_event_does_not_open(client, event):
    from events.models import Event

    other = Event.objects.create(
        slug="seminar", name_vi="Tọa đàm", start_date=event.start_date, end_date=event.start_date, status="published"
    )
    participant = make_participant(other)
    signed = magic_link(participant).rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("events:magic_login", kwargs={"slug": event.slug, "signed": signed}))
    assert response.status_code == 400


def test_request_link_answers_the_same_for_unknown_email(client, event, django_capture_on_commit_callbacks):
    make_participant(event, email="known@example.vn")
    url = reverse("events:request_link", kwargs={"slug": event.slug})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(url, {"email": "nobody@example.vn"}, follow=True).content.decode()
        known = client.post(url, {"email": "KNOWN@example.vn"}, follow=True).content.decode()
    message = "Nếu email này đã đăng ký sự kiện, đường dẫn mới đang được gửi đến bạn."
    assert message in unknown and message in known
    assert [m.to for m in mail.outbox] == [["known@example.vn"]]


def test_registering_a_known_email_answers_as_a_new_one_and_tells_the_owner(
    client, event, django_capture_on_commit_callbacks
):
    owner = make_participant(event, email="cuong.nguyen@example.vn", full_name="Nguyễn Tiến Cường")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(register_url(event), registration_data(email="Cuong.Nguyen@Example.vn"), follow=True)
        new = Client().post(register_url(event), registration_data(email="moi@example.vn"), follow=True)
    assert known.redirect_chain[-1][0] == new.redirect_chain[-1][0] == f"/e/{event.slug}/register/received/"
    assert known.status_code == new.status_code == 200
    assert Participant.objects.count() == 2
    owner.refresh_from_db()
    assert owner.full_name == "Nguyễn Tiến Cường"
    to_owner = [m for m in mail.outbox if m.to == ["cuong.nguyen@example.vn"]]
    assert [m.subject.split(": ", 1)[1] for m in to_owner] == ["Bạn đã đăng ký rồi"]
    assert link_path(to_owner[0].body).startswith(f"/e/{event.slug}/me/login/")
    assert "Xin chào" not in client.get(reverse("events:personal_page", kwargs={"slug": event.slug})).content.decode()


def test_regulator_registers_with_code_and_is_approved(client, event):
    invitation = make_invitation(event, "regulator")
    data = registration_data(
        full_name="Trung tá Nguyễn Tiến Cường",
        organization="Cục A05, Bộ Công an",
        invitation_code=invitation.code.lower(),
    )
    response = client.post(register_url(event, "regulator"), data, follow=True)
    assert response.redirect_chain[-1][0] == f"/e/{event.slug}/register/received/"
    participant = Participant.objects.get()
    assert participant.status == "approved"
    assert AuditEntry.objects.get().action == "events.application.approved_by_invitation"
    assert "Đã duyệt" in open_page(client, participant).content.decode()


def test_regulator_with_bad_code_is_refused_and_nothing_saved(client, event):
    data = registration_data(organization="Cục A05", invitation_code="WRONGCODE1")
    response = client.post(register_url(event, "regulator"), data)
    assert response.status_code == 400
    assert "Mã thư mời không hợp lệ." in response.content.decode()
    assert Participant.objects.count() == 0


def test_missing_consent_is_refused(client, event):
    data = registration_data()
    del data["consent_participation"]
    response = client.post(register_url(event), data)
    assert response.status_code == 400
    assert "Chúng tôi chỉ có thể ghi nhận đăng ký khi bạn đồng ý" in response.content.decode()
    assert Participant.objects.count() == 0


def test_kol_without_channel_is_refused(client, event):
    data = registration_data(
        **{"channels-0-platform": "", "channels-0-handle": "", "channels-0-url": "", "channels-0-followers": ""}
    )
    response = client.post(register_url(event), data)
    assert response.status_code == 400
    assert "Vui lòng thêm ít nhất một kênh công khai" in response.content.decode()


BAD_INPUT = [
    ({"full_name": "A" * 10_000}, "full_name"),
    ({"full_name": ""}, "full_name"),
    ({"full_name": "Nguyễn 😀 Cường"}, "full_name"),
    ({"full_name": "<script>alert(1)</script>"}, "full_name"),
    ({"full_name": "Robert'); DROP TABLE events_participant;--"}, "full_name"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": "12"}, "phone"),
    ({"phone": "abc"}, "phone"),
    ({"organization": "x" * 201}, "organization"),
    ({"title": "bad\x00byte"}, "title"),
    ({"channels-0-followers": "-5"}, "channels-0-followers"),
    ({"channels-0-followers": "lots"}, "channels-0-followers"),
    ({"channels-0-url": "javascript:alert(1)"}, "channels-0-url"),
    ({"channels-0-platform": "myspace"}, "channels-0-platform"),
    ({"channels-TOTAL_FORMS": "100000"}, None),
]


@pytest.mark.parametrize(("override", "field"), BAD_INPUT, ids=[str(i) for i in range(len(BAD_INPUT))])
def test_bad_input_gets_a_clear_error_and_saves_nothing(client, event, override, field):
    response = client.post(register_url(event), registration_data(**override))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if field:
        assert f'id="id_{field}_error"' in html
    assert Participant.objects.count() == 0
    assert Channel.objects.count() == 0


def test_html_in_text_fields_is_stored_and_escaped(client, event, django_capture_on_commit_callbacks):
    data = registration_data(title='<img src=x onerror="alert(1)">', organization="<b>Công ty</b> & 'Đối tác'")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(register_url(event, "business"), data)
    participant = Participant.objects.get()
    html = open_page(client, participant).content.decode()
    assert participant.title == '<img src=x onerror="alert(1)">'
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;b&gt;Công ty&lt;/b&gt;" in html
    assert "Kính gửi Nguyễn Tiến Cường," in mail.outbox[0].body


def test_decomposed_vietnamese_is_stored_precomposed(client, event):
    data = registration_data(full_name=unicodedata.normalize("NFD", "Phạm Thị Hương"))
    client.post(register_url(event), data)
    assert Participant.objects.get().full_name == "Phạm Thị Hương"


def test_withdraw_optional_consent_from_personal_page(client, event):
    client.post(register_url(event), registration_data(consent_updates="on"))
    open_page(client, Participant.objects.get())
    url = reverse("events:withdraw_consent", kwargs={"slug": event.slug, "purpose": "updates"})
    response = client.post(url, follow=True)
    assert "Sự đồng ý của bạn đã được rút lại." in response.content.decode()
    assert Consent.objects.get(purpose="updates").withdrawn_at is not None


def test_withdraw_consent_needs_the_owner(client, event):
    url = reverse("events:withdraw_consent", kwargs={"slug": event.slug, "purpose": "updates"})
    assert client.post(url).status_code == 404


def test_personal_page_without_link_shows_the_request_form(client, event):
    make_participant(event)
    response = client.get(reverse("events:personal_page", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    assert "Gửi đường dẫn cho tôi" in response.content.decode()
    assert "Xin chào" not in response.content.decode()


def test_sign_out_forgets_the_participant(client, event):
    client.post(register_url(event), registration_data())
    open_page(client, Participant.objects.get())
    client.post(reverse("events:sign_out", kwargs={"slug": event.slug}))
    response = client.get(reverse("events:personal_page", kwargs={"slug": event.slug}))
    assert "Xin chào" not in response.content.decode()


def test_closed_registration_shows_notice(client, event):
    event.registration_open = False
    event.save()
    response = client.post(register_url(event), registration_data())
    assert "Sự kiện này đã đóng đăng ký." in response.content.decode()
    assert Participant.objects.count() == 0


def _label_of(html, field_id):
    return re.search(rf'<label for="{field_id}">(.*?)</label>', html, re.S).group(1)


def test_only_the_first_channel_is_starred_as_required(client, event):
    html = client.get(register_url(event, "kol")).content.decode()
    assert 'class="required"' in _label_of(html, "id_channels-0-handle")
    for index in (1, 2):
        for name in ("platform", "handle", "url", "followers"):
            assert "required" not in _label_of(html, f"id_channels-{index}-{name}"), (index, name)


def test_half_filled_second_channel_is_still_an_error(client, event):
    data = registration_data()
    data.update({"channels-TOTAL_FORMS": "3", "channels-1-handle": "@chi.kol"})
    response = client.post(register_url(event), data)
    assert response.status_code != 302
    assert Participant.objects.count() == 0


def test_personal_page_formats_follower_counts_the_vietnamese_way(client, event):
    participant = make_participant(event, full_name="Nguyễn Thị Thu", status="approved")
    Channel.objects.create(
        participant=participant,
        platform="tiktok",
        handle="@thu.review",
        url="https://tiktok.com/@thu.review",
        followers=1234567,
    )
    open_personal_link(client, participant)
    html = client.get(reverse("events:personal_page", kwargs={"slug": event.slug})).content.decode()
    assert "@thu.review · 1.234.567</dd>" in html
