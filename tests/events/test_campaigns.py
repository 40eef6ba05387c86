"""Organizer e-mails: exactly one copy per recipient through failures and retries, languages, opt-out, access."""

import re
from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse

from events import tasks
from events.campaigns import services
from events.enums import CampaignStatus, Category, ConsentPurpose, DeliveryStatus, ParticipantStatus
from events.errors import DomainError
from events.models import Campaign, Consent, Delivery, MailOptOut, Participant

from .factories import make_participant
from .mail_backends import FlakyBackend

TEXT = {
    "subject_vi": "Thông báo thay đổi chương trình {event}",
    "body_vi": "Kính gửi {name},\nChương trình đã thay đổi. Trang cá nhân: {personal_link}",
    "subject_en": "Programme change for {event}",
    "body_en": "Dear {name},\nThe programme has changed. Your page: {personal_link}",
    "essential": False,
}


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.events.mail_backends.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failing = set()
    FlakyBackend.refused = set()


def _crowd(event, count):
    """count approved KOLs in one INSERT, every third reading English."""
    Participant.objects.bulk_create(
        Participant(
            event=event,
            category=Category.KOL,
            full_name=f"Nguyễn Văn Khách {number}",
            email=f"khach{number}@example.vn",
            language="en" if number % 3 == 0 else "vi",
            status=ParticipantStatus.APPROVED,
        )
        for number in range(count)
    )


def _send(campaign, capture):
    with capture(execute=True):
        services.start_sending(campaign)
    campaign.refresh_from_db()
    return campaign


def _draft(event, organizer, filters=None, **fields):
    return services.save_draft(event=event, fields={**TEXT, **fields}, filters=filters or {}, by=organizer)


def test_mass_email_with_three_failures_then_retry_reaches_everyone_once(
    event, organizer, flaky, django_capture_on_commit_callbacks
):
    _crowd(event, 500)
    flaky.failing = {"khach7@example.vn", "khach250@example.vn", "khach499@example.vn"}
    campaign = _send(_draft(event, organizer), django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 497
    assert services.progress(campaign)[DeliveryStatus.FAILED] == 3
    assert (campaign.status, campaign.recipients_total, campaign.sent_count, campaign.failed_count) == (
        CampaignStatus.FINISHED,
        500,
        497,
        3,
    )
    failed = Delivery.objects.get(campaign=campaign, participant__email="khach7@example.vn")
    assert (failed.attempts, failed.error) == (1, "SMTPServerDisconnected: Connection unexpectedly closed")

    flaky.failing = set()
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_failed(campaign)
    tasks.send_campaign(campaign.pk)  # the job running a second time sends nothing more

    copies = Counter(message.to[0] for message in mail.outbox)
    assert len(copies) == 500
    assert set(copies.values()) == {1}
    assert services.progress(campaign)[DeliveryStatus.SENT] == 500
    assert Delivery.objects.get(pk=failed.pk).attempts == 2


def test_delivery_claimed_by_another_job_is_not_sent_again(event, organizer, django_capture_on_commit_callbacks):
    _crowd(event, 3)
    campaign = _draft(event, organizer)
    services.add_deliveries(campaign)
    claimed = Delivery.objects.filter(campaign=campaign).order_by("pk").first()
    Delivery.objects.filter(pk=claimed.pk).update(status=DeliveryStatus.SENDING)  # another job is on it

    services.send_pending(campaign)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        Delivery.objects.filter(campaign=campaign).exclude(pk=claimed.pk).values_list("participant__email", flat=True)
    )


def test_delivery_left_sending_by_a_crashed_job_can_be_released_then_retried(
    organizer_client, event, organizer, django_capture_on_commit_callbacks
):
    """A job that died mid-send leaves one delivery "sending": never resent by itself; once the
    campaign has finished the organizer marks it failed (the page says it may have arrived) and retries."""
    _crowd(event, 3)
    campaign = _draft(event, organizer)
    services.add_deliveries(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SENDING)
    stuck = Delivery.objects.filter(campaign=campaign).order_by("pk").first()
    Delivery.objects.filter(pk=stuck.pk).update(status=DeliveryStatus.SENDING)  # its job crashed
    campaign.refresh_from_db()
    with pytest.raises(DomainError):  # while a job may still be sending it, it is left alone
        services.release_interrupted(campaign)
    services.send_pending(campaign)
    assert len(mail.outbox) == 2
    detail = reverse("campaigns:detail", args=[event.slug, campaign.pk])
    assert "có thể đã nhận" in organizer_client.get(detail).content.decode()

    answer = organizer_client.post(reverse("campaigns:release", args=[event.slug, campaign.pk]), follow=True)

    stuck.refresh_from_db()
    assert answer.status_code == 200
    assert stuck.status == DeliveryStatus.FAILED and "Interrupted" not in answer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_failed(Campaign.objects.get(pk=campaign.pk))
    assert Counter(message.to[0] for message in mail.outbox)[stuck.participant.email] == 1
    assert services.progress(campaign)[DeliveryStatus.SENT] == 3


def test_bounced_address_is_recorded_and_not_retried(event, organizer, flaky, django_capture_on_commit_callbacks):
    _crowd(event, 2)
    flaky.refused = {"khach1@example.vn"}
    campaign = _send(_draft(event, organizer), django_capture_on_commit_callbacks)

    bounced = Delivery.objects.get(campaign=campaign, participant__email="khach1@example.vn")
    assert bounced.status == DeliveryStatus.BOUNCED
    with pytest.raises(DomainError) as error:
        services.retry_failed(campaign)
    assert error.value.code == "nothing_to_retry"


def test_placeholders_are_filled_in_each_recipients_language(event, organizer, django_capture_on_commit_callbacks):
    vi = make_participant(event, full_name="Trần Thị Phương Thảo", language="vi", email="thao@example.vn")
    en = make_participant(event, full_name="Lê Văn Đạt", language="en", email="dat@example.vn")

    _send(_draft(event, organizer), django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert (
        by_address["thao@example.vn"].subject == "Thông báo thay đổi chương trình Hội nghị KOL toàn quốc lần thứ nhất"
    )
    assert by_address["dat@example.vn"].subject == "Programme change for First National KOL Conference"
    assert by_address["thao@example.vn"].body.startswith("Kính gửi Trần Thị Phương Thảo,\nChương trình đã thay đổi.")
    assert by_address["dat@example.vn"].body.startswith("Dear Lê Văn Đạt,\nThe programme has changed.")
    for participant in (vi, en):
        link = re.search(r"(http\S+/me/login/\S+/)", by_address[participant.email].body).group(1)
        assert link.startswith(f"http://127.0.0.1:8000/e/{event.slug}/me/login/{participant.pk}:")
        response = event_client_get(link)
        assert response.status_code == 302


def event_client_get(link):
    from django.test import Client

    return Client().post(link.removeprefix("http://127.0.0.1:8000"))  # the button on the link's page


def test_english_reader_gets_vietnamese_when_no_english_text(event, organizer, django_capture_on_commit_callbacks):
    make_participant(event, full_name="John Nguyen", language="en", email="john@example.vn")

    _send(_draft(event, organizer, subject_en="", body_en=""), django_capture_on_commit_callbacks)

    assert mail.outbox[0].body.startswith("Kính gửi John Nguyen,")


def test_vietnamese_only_mail_reaches_english_readers_wholly_in_vietnamese(
    event, organizer, django_capture_on_commit_callbacks
):
    make_participant(event, full_name="John Nguyen", language="en", email="john@example.vn")

    _send(_draft(event, organizer, subject_en="", body_en=""), django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == "Thông báo thay đổi chương trình Hội nghị KOL toàn quốc lần thứ nhất"
    footer = message.body.split("\n-- \n", 1)[1]
    assert footer.startswith("Quý vị nhận thư này vì đã đăng ký tham dự Hội nghị KOL toàn quốc lần thứ nhất.")
    assert "First National" not in message.body and "You receive" not in message.body


def test_preview_shows_what_each_reader_gets_in_one_language(organizer_client, event, organizer):
    make_participant(event, full_name="John Nguyen", language="en", email="john@example.vn")
    campaign = _draft(event, organizer, subject_en="", body_en="")

    page = organizer_client.get(reverse("campaigns:detail", args=[event.slug, campaign.pk])).content.decode()

    assert '<article class="card mail-preview" lang="vi">' in page
    assert "Kính gửi John Nguyen," in page and "Quý vị nhận thư này" in page
    assert "You receive" not in page


def test_unknown_placeholder_is_refused(event, organizer):
    with pytest.raises(DomainError) as error:
        _draft(event, organizer, body_en="Dear {full_name}")

    assert (error.value.code, error.value.field) == ("unknown_placeholder", "body_en")
    assert Campaign.objects.count() == 0


def test_filters_pick_category_and_status(event, organizer):
    kol = make_participant(event, category=Category.KOL, status=ParticipantStatus.APPROVED)
    make_participant(event, category=Category.KOL, status=ParticipantStatus.PENDING)
    make_participant(event, category=Category.BUSINESS, status=ParticipantStatus.APPROVED)

    campaign = _draft(event, organizer, filters={"category": "kol", "status": "approved"})

    assert list(services.recipients(campaign)) == [kol]


def test_opt_out_link_works_and_later_non_essential_mail_skips(
    client, event, organizer, django_capture_on_commit_callbacks
):
    reader = make_participant(event, email="ha@example.vn")
    make_participant(event, email="tuan@example.vn")
    Consent.objects.create(
        participant=reader, purpose=ConsentPurpose.UPDATES, text_version="2026-01", text_language="vi", text_sha256="x"
    )
    _send(_draft(event, organizer), django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == ["ha@example.vn"])
    url = re.search(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    path = url.removeprefix("http://127.0.0.1:8000")

    assert client.get(path).status_code == 200
    assert not MailOptOut.objects.exists()  # opening the link (a link scanner) changes nothing
    response = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert MailOptOut.objects.get().participant == reader
    assert reader.consents.get(purpose=ConsentPurpose.UPDATES).withdrawn_at is not None

    mail.outbox.clear()
    _send(_draft(event, organizer, subject_vi="Tin tức"), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["tuan@example.vn"]]


def test_essential_mail_ignores_opt_out_and_has_no_link(event, organizer, django_capture_on_commit_callbacks):
    reader = make_participant(event, email="ha@example.vn")
    services.opt_out(reader)

    _send(_draft(event, organizer, essential=True), django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == ["ha@example.vn"]
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/mail/opt-out/" not in message.body


def test_tampered_opt_out_link_is_refused(client, event):
    reader = make_participant(event)
    path = services.opt_out_url(reader).removeprefix("http://127.0.0.1:8000")

    response = client.post(path[:-3] + "xx/")

    assert response.status_code == 400
    assert not MailOptOut.objects.exists()


def test_only_organizers_reach_the_pages(client, event, organizer, door_staff):
    campaign = _draft(event, organizer)
    pages = [
        ("get", reverse("campaigns:list", args=[event.slug])),
        ("get", reverse("campaigns:compose", args=[event.slug])),
        ("get", reverse("campaigns:detail", args=[event.slug, campaign.pk])),
        ("get", reverse("campaigns:progress", args=[event.slug, campaign.pk])),
        ("post", reverse("campaigns:send", args=[event.slug, campaign.pk])),
        ("post", reverse("campaigns:retry", args=[event.slug, campaign.pk])),
    ]
    make_participant(event)
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 302, url  # to the login page
    client.force_login(door_staff)
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 403, url
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert mail.outbox == []


def test_organizer_composes_previews_and_sends(organizer_client, event, django_capture_on_commit_callbacks):
    make_participant(event, full_name="Đỗ Thị Mai", category=Category.KOL, status=ParticipantStatus.APPROVED)
    make_participant(event, category=Category.BUSINESS, status=ParticipantStatus.APPROVED)
    form = {key: value for key, value in TEXT.items() if key != "essential"}

    response = organizer_client.post(
        reverse("campaigns:compose", args=[event.slug]), {**form, "filter_category": "kol", "filter_status": ""}
    )
    campaign = Campaign.objects.get()
    assert response.url == reverse("campaigns:detail", args=[event.slug, campaign.pk])
    assert campaign.filters == {"category": "kol"}
    page = organizer_client.get(response.url).content.decode()
    assert "1 người nhận" in page
    assert "Kính gửi Đỗ Thị Mai," in page

    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(reverse("campaigns:send", args=[event.slug, campaign.pk]))

    assert [m.subject for m in mail.outbox] == ["Thông báo thay đổi chương trình Hội nghị KOL toàn quốc lần thứ nhất"]
    progress = organizer_client.get(reverse("campaigns:progress", args=[event.slug, campaign.pk])).json()
    assert (progress["status"], progress["counts"]["sent"]) == ("finished", 1)
    again = organizer_client.post(reverse("campaigns:send", args=[event.slug, campaign.pk]), follow=True)
    assert "không thể thay đổi" in again.content.decode()
    assert len(mail.outbox) == 1


def test_compose_with_unknown_placeholder_shows_the_error(organizer_client, event):
    form = {**{k: v for k, v in TEXT.items() if k != "essential"}, "body_vi": "Chào {ten}"}

    response = organizer_client.post(reverse("campaigns:compose", args=[event.slug]), form)

    assert response.status_code == 400
    assert "{ten}" in response.content.decode()
    assert Campaign.objects.count() == 0


@pytest.mark.parametrize("recipients", [1, 3])
def test_detail_page_query_count(
    organizer_client, event, organizer, recipients, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _crowd(event, recipients)
    campaign = _send(_draft(event, organizer), django_capture_on_commit_callbacks)
    url = reverse("campaigns:detail", args=[event.slug, campaign.pk])
    organizer_client.get(url)  # warm the session and the user's groups

    with django_assert_num_queries(8):
        response = organizer_client.get(url)

    assert response.status_code == 200
