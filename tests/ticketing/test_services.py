import pytest
from django.core import mail

from events import services as event_services
from events.enums import Category, ConsentPurpose, ParticipantStatus
from events.errors import DomainError
from tests.events.factories import make_invitation, make_participant
from ticketing import codes, services
from ticketing.errors import BadgeCodeInvalid, NoValidTicket
from ticketing.models import Badge, EventKey
from ticketing.services.payments import mark_transfer_received, refund_order

from .factories import make_business_type, place_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_issue_badge_signs_a_code_for_this_participant_and_emails_the_pdf(approved):
    badge = services.issue_badge(approved)

    key = EventKey.objects.get(event=approved.event)
    assert codes.verify_code(bytes(key.public_key), badge.code) == codes.BadgeClaim(
        event_id=approved.event_id, participant_id=approved.pk, version=1
    )
    (message,) = mail.outbox
    assert message.to == [approved.email]
    assert message.subject == "Hội nghị KOL toàn quốc lần thứ nhất: Thẻ đại biểu của bạn"
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("badge-kol-2027.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")


def test_issue_badge_twice_returns_the_same_badge_and_sends_one_email(approved):
    first = services.issue_badge(approved)
    second = services.issue_badge(approved)

    assert (second.pk, second.code) == (first.pk, first.code)
    assert Badge.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "status", [ParticipantStatus.PENDING, ParticipantStatus.REJECTED, ParticipantStatus.WAITLISTED]
)
def test_issue_badge_without_a_valid_ticket_is_refused(event, status):
    participant = make_participant(event, status=status)

    with pytest.raises(NoValidTicket) as error:
        services.issue_badge(participant)

    assert error.value.code == "no_valid_ticket"
    assert Badge.objects.count() == 0


def test_approving_an_application_issues_and_emails_the_badge(event, organizer):
    participant = make_participant(event, status=ParticipantStatus.PENDING)

    event_services.decide_application(participant=participant, decision=ParticipantStatus.APPROVED, by=organizer)

    badge = Badge.objects.get(participant=participant)
    assert badge.version == 1
    assert sorted(len(message.attachments) for message in mail.outbox) == [0, 1]  # status mail, badge mail


def test_rejecting_an_application_issues_no_badge(event, organizer):
    participant = make_participant(event, status=ParticipantStatus.PENDING)

    event_services.decide_application(participant=participant, decision=ParticipantStatus.REJECTED, by=organizer)

    assert Badge.objects.count() == 0


def test_registering_with_an_invitation_issues_the_badge(event):
    make_invitation(event, code="QUANLY2027", max_uses=5)

    participant = event_services.register_participant(
        event=event,
        category=Category.REGULATOR,
        fields={"full_name": "Đỗ Minh Khôi", "email": "khoi@bocongan.gov.vn", "language": "vi"},
        consents=[ConsentPurpose.PARTICIPATION],
        invitation_code="QUANLY2027",
    )

    assert Badge.objects.get(participant=participant).version == 1


def test_sign_badges_in_bulk_signs_each_holder_and_emails_nobody(event):
    people = [make_participant(event, status=ParticipantStatus.APPROVED) for _ in range(3)]

    badges = services.sign_badges_in_bulk(people)

    assert [services.check_badge_code(badge.code).participant for badge in badges] == people
    assert [bytes(badge.qr_png)[:8] for badge in badges] == [b"\x89PNG\r\n\x1a\n"] * 3
    assert mail.outbox == []


def test_reissue_bumps_the_version_and_revokes_the_old_code(approved):
    old = services.issue_badge(approved)
    old_code = old.code

    new = services.reissue_badge(old)

    assert new.version == 2
    assert services.check_badge_code(new.code) == new
    with pytest.raises(BadgeCodeInvalid) as error:
        services.check_badge_code(old_code)
    assert (error.value.code, error.value.reason) == ("badge_revoked", "revoked")
    assert len(mail.outbox) == 2


def test_reissue_with_a_stale_version_does_not_sign_twice(approved):
    badge = services.issue_badge(approved)
    stale = Badge.objects.get(pk=badge.pk)
    services.reissue_badge(badge)

    again = services.reissue_badge(stale)  # read at version 1, now 2: the conditional update skips it

    assert again.version == 2
    assert len(mail.outbox) == 2


def test_check_badge_code_rejects_a_code_signed_with_another_events_key(approved, other_event):
    services.issue_badge(approved)
    other_key = services.event_key(other_event)
    forged = codes.sign_code(
        other_key.private_key_encrypted, event_id=approved.event_id, participant_id=approved.pk, version=1
    )

    with pytest.raises(BadgeCodeInvalid) as error:
        services.check_badge_code(forged)

    assert error.value.reason == "bad_signature"


def test_check_badge_code_rejects_one_changed_character(approved):
    code = services.issue_badge(approved).code
    tampered = code[:50] + ("X" if code[50] != "X" else "Y") + code[51:]

    with pytest.raises(BadgeCodeInvalid) as error:
        services.check_badge_code(tampered)

    assert error.value.reason in {"bad_signature", "malformed"}


def test_check_badge_code_of_an_unknown_event_fails(approved):
    encrypted, _public = codes.new_key_pair()
    code = codes.sign_code(encrypted, event_id=999999, participant_id=approved.pk, version=1)

    with pytest.raises(BadgeCodeInvalid) as error:
        services.check_badge_code(code)

    assert error.value.reason == "unknown_event"


def test_check_badge_code_fails_once_the_holder_is_rejected(approved, organizer):
    badge = services.issue_badge(approved)
    event_services.decide_application(participant=approved, decision=ParticipantStatus.REJECTED, by=organizer)

    with pytest.raises(BadgeCodeInvalid) as error:
        services.check_badge_code(badge.code)

    assert error.value.reason == "no_valid_ticket"
    assert isinstance(error.value, DomainError)


def test_check_badge_code_fails_once_the_pass_order_is_refunded(event, organizer):
    order = place_order(event, make_business_type(event))
    mark_transfer_received(order=order, by=organizer)
    badge = services.issue_badge(order.positions.get().participant)
    assert services.check_badge_code(badge.code) == badge

    refund_order(order=order, by=organizer)

    with pytest.raises(BadgeCodeInvalid) as error:
        services.check_badge_code(badge.code)
    assert error.value.reason == "no_valid_ticket"
    assert services.participant_for_badge_code(badge.code) is None


def test_issue_badge_in_an_event_with_ticket_types_needs_a_pass(approved):
    make_business_type(approved.event)

    with pytest.raises(NoValidTicket):
        services.issue_badge(approved)
    assert Badge.objects.count() == 0


def test_event_key_is_one_per_event_and_codes_differ_between_events(approved, other_event):
    first = services.event_key(approved.event)

    assert services.event_key(approved.event).pk == first.pk
    assert services.event_key(other_event).public_key != first.public_key
    assert first.key_id == codes.key_id(bytes(first.public_key))
    assert first.private_key_encrypted not in repr(first)


def test_badge_pdf_is_cached_until_the_badge_changes(approved):
    badge = services.issue_badge(approved)
    first = services.badge_pdf_path(badge)
    first_written = first.stat().st_mtime_ns

    assert services.badge_pdf_path(badge) == first
    assert first.stat().st_mtime_ns == first_written

    approved.full_name = "Nguyễn Tiến Cường (Trưởng đoàn)"
    approved.save()
    renamed = services.badge_pdf_path(Badge.objects.select_related("participant__event").get(pk=badge.pk))
    reissued = services.badge_pdf_path(services.reissue_badge(badge))

    assert len({first, renamed, reissued}) == 3
    assert [path.exists() for path in (first, renamed, reissued)] == [False, False, True]
    assert "-v2-" in reissued.name


def test_mark_printed_and_back(approved):
    badge = services.issue_badge(approved)

    services.mark_printed([badge])
    printed_at = Badge.objects.get(pk=badge.pk).printed_at
    services.mark_printed([badge], printed=False)

    assert printed_at is not None
    assert Badge.objects.get(pk=badge.pk).printed_at is None
