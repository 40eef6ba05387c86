import unicodedata
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.enums import Category, ConsentPurpose, EventStatus, ParticipantStatus
from events.errors import Conflict, DomainError
from events.models import Channel, Consent, Invitation, Participant

from .factories import make_invitation, make_participant

pytestmark = pytest.mark.django_db(transaction=True)


def fields(**overrides):
    values = {
        "full_name": "Nguyễn Tiến Cường",
        "title": "Trung tá",
        "organization": "Cục A05, Bộ Công an",
        "email": "cuong@example.vn",
        "phone": "+84912345678",
        "language": "vi",
    }
    values.update(overrides)
    return values


CHANNEL = {"platform": "tiktok", "handle": "@cuong", "url": "https://tiktok.com/@cuong", "followers": 1000}


def test_register_kol_waits_for_review_and_is_emailed(event):
    participant = services.register_participant(
        event=event,
        category=Category.KOL,
        fields=fields(),
        channels=[CHANNEL],
        consents=[ConsentPurpose.PARTICIPATION],
    )
    assert participant.status == ParticipantStatus.PENDING
    assert list(Channel.objects.filter(participant=participant).values_list("handle", flat=True)) == ["@cuong"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cuong@example.vn"]
    assert "Đang chờ duyệt" in mail.outbox[0].subject
    assert f"/e/{event.slug}/me/login/" in mail.outbox[0].body


def test_register_records_consent_with_version_and_text_hash(event):
    participant = services.register_participant(
        event=event,
        category=Category.KOL,
        fields=fields(),
        consents=[ConsentPurpose.PARTICIPATION, ConsentPurpose.UPDATES],
    )
    consents = {c.purpose: c for c in Consent.objects.filter(participant=participant)}
    assert set(consents) == {"participation", "updates"}
    assert consents["participation"].text_version == "2026-01"
    assert len(consents["participation"].text_sha256) == 64
    assert consents["participation"].withdrawn_at is None


def test_register_without_required_consent_saves_nothing(event):
    with pytest.raises(DomainError) as error:
        services.register_participant(
            event=event, category=Category.KOL, fields=fields(), consents=[ConsentPurpose.UPDATES]
        )
    assert error.value.code == "consent_required"
    assert Participant.objects.count() == 0


def test_register_regulator_with_code_is_approved_and_uses_the_code(event):
    invitation = make_invitation(event, Category.REGULATOR, max_uses=2)
    participant = services.register_participant(
        event=event,
        category=Category.REGULATOR,
        fields=fields(),
        consents=[ConsentPurpose.PARTICIPATION],
        invitation_code=invitation.code,
    )
    invitation.refresh_from_db()
    assert participant.status == ParticipantStatus.APPROVED
    assert participant.invitation == invitation
    assert invitation.uses == 1


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda inv: None, "invitation_wrong_category"),
        (lambda inv: Invitation.objects.filter(pk=inv.pk).update(revoked=True), "invalid_invitation"),
        (
            lambda inv: Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(minutes=1)),
            "invitation_expired",
        ),
        (lambda inv: Invitation.objects.filter(pk=inv.pk).update(uses=1), "invitation_used_up"),
    ],
    ids=["wrong-category", "revoked", "expired", "used-up"],
)
def test_register_with_unusable_code_is_refused(event, setup, code):
    category = Category.PLATFORM if code == "invitation_wrong_category" else Category.REGULATOR
    invitation = make_invitation(event, Category.REGULATOR, max_uses=1)
    setup(invitation)
    with pytest.raises(DomainError) as error:
        services.register_participant(
            event=event,
            category=category,
            fields=fields(),
            consents=[ConsentPurpose.PARTICIPATION],
            invitation_code=invitation.code,
        )
    assert error.value.code == code
    assert error.value.field == "invitation_code"
    assert Participant.objects.count() == 0


def test_register_with_unknown_code_or_other_events_code_is_refused(event):
    from events.models import Event

    other = Event.objects.create(
        slug="other", name_vi="Khác", start_date=event.start_date, end_date=event.end_date, status=EventStatus.PUBLISHED
    )
    foreign = make_invitation(other, Category.REGULATOR)
    for code in ["NOPE000000", foreign.code, ""]:
        with pytest.raises(DomainError) as error:
            services.register_participant(
                event=event,
                category=Category.REGULATOR,
                fields=fields(),
                consents=[ConsentPurpose.PARTICIPATION],
                invitation_code=code,
            )
        assert error.value.code == "invalid_invitation"


def test_registering_a_known_email_changes_nothing_and_tells_the_owner(event, django_capture_on_commit_callbacks):
    owner = make_participant(event, email="cuong@example.vn", full_name="Nguyễn Tiến Cường")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.register_participant(
            event=event,
            category=Category.KOL,
            fields={**fields(), "full_name": "Kẻ Mạo Danh"},
            consents=[ConsentPurpose.PARTICIPATION],
        )
    owner.refresh_from_db()
    assert (result, Participant.objects.count(), owner.full_name) == (None, 1, "Nguyễn Tiến Cường")
    assert [message.to for message in mail.outbox] == [["cuong@example.vn"]]


def test_register_on_closed_event_is_refused(event):
    event.registration_open = False
    event.save()
    with pytest.raises(DomainError) as error:
        services.register_participant(
            event=event, category=Category.KOL, fields=fields(), consents=[ConsentPurpose.PARTICIPATION]
        )
    assert error.value.code == "registration_closed"


def test_failed_invitation_does_not_consume_a_use_when_a_later_step_fails(event):
    invitation = make_invitation(event, Category.REGULATOR, max_uses=1)
    with pytest.raises(DomainError):
        services.register_participant(
            event=event,
            category=Category.REGULATOR,
            fields=fields(),
            consents=[],  # no consent: fails after the code
            invitation_code=invitation.code,
        )
    invitation.refresh_from_db()
    assert invitation.uses == 0
    assert Participant.objects.count() == 0


def test_decide_application_records_who_when_why_and_emails(event, organizer):
    participant = make_participant(event)
    services.decide_application(participant=participant, decision="approved", reason="Kênh uy tín", by=organizer)
    participant.refresh_from_db()
    assert (participant.status, participant.decided_by, participant.decision_reason) == (
        "approved",
        organizer,
        "Kênh uy tín",
    )
    assert participant.decided_at is not None
    # The status e-mail, then the badge that ticketing issues on approval (events.extensions.on_approved).
    assert [len(message.attachments) for message in mail.outbox] == [0, 1]
    assert "Kênh uy tín" in mail.outbox[0].body
    assert "Đã duyệt" in mail.outbox[0].body


def test_decide_application_twice_is_a_conflict(event, organizer):
    participant = make_participant(event, status=ParticipantStatus.APPROVED)
    with pytest.raises(Conflict):
        services.decide_application(participant=participant, decision="approved", by=organizer)


def test_decide_application_on_stale_copy_is_a_conflict(event, organizer):
    participant = make_participant(event)
    stale = Participant.objects.get(pk=participant.pk)
    services.decide_application(participant=participant, decision="rejected", by=organizer)
    with pytest.raises(Conflict) as error:
        services.decide_application(participant=stale, decision="approved", by=organizer)
    assert error.value.code == "changed_meanwhile"


def test_decide_application_refuses_pending_as_a_decision(event, organizer):
    participant = make_participant(event, status=ParticipantStatus.APPROVED)
    with pytest.raises(DomainError) as error:
        services.decide_application(participant=participant, decision="pending", by=organizer)
    assert error.value.code == "invalid_decision"


def test_email_in_english_for_english_participant(event, organizer):
    participant = make_participant(event, language="en")
    services.decide_application(participant=participant, decision="waitlisted", by=organizer)
    assert "Waitlisted" in mail.outbox[0].subject
    assert "First National KOL Conference" in mail.outbox[0].subject


def test_send_personal_link_is_silent_for_unknown_email(event):
    make_participant(event, email="known@example.vn")
    services.send_personal_link(event=event, email="unknown@example.vn")
    assert mail.outbox == []
    services.send_personal_link(event=event, email=" Known@Example.VN ")
    assert len(mail.outbox) == 1


def test_withdraw_optional_consent_keeps_the_record(event):
    participant = services.register_participant(
        event=event,
        category=Category.KOL,
        fields=fields(),
        consents=[ConsentPurpose.PARTICIPATION, ConsentPurpose.UPDATES],
    )
    services.withdraw_consent(participant=participant, purpose=ConsentPurpose.UPDATES)
    updates = Consent.objects.get(participant=participant, purpose="updates")
    assert updates.withdrawn_at is not None
    with pytest.raises(DomainError):
        services.withdraw_consent(participant=participant, purpose=ConsentPurpose.PARTICIPATION)


def test_names_are_stored_as_given_in_nfc(event):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Tiến Cường")
    from events.forms import RegistrationForm

    form = RegistrationForm(
        {"full_name": decomposed, "email": "a@example.vn", "phone": "0912345678", "consent_participation": "on"},
        category=Category.KOL,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "Nguyễn Tiến Cường"
    assert unicodedata.is_normalized("NFC", form.cleaned_data["full_name"])


def test_html_in_decision_reason_is_escaped_in_the_html_email(event, organizer):
    participant = make_participant(event, full_name="Vũ Minh Ơn")
    services.decide_application(
        participant=participant, decision="rejected", reason="<script>x()</script> & co", by=organizer
    )
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt; &amp; co" in html
    assert "<script>x()</script> & co" in mail.outbox[0].body
    assert "Kính gửi Vũ Minh Ơn," in mail.outbox[0].body


def test_move_event_keeps_its_length_and_is_audited(event):
    from datetime import date

    from events.models import AuditEntry
    from events.services import move_event

    move_event(event=event, start_date=date(2027, 9, 4))
    move_event(event=event, start_date=date(2027, 9, 4))  # already there: nothing to do

    event.refresh_from_db()
    assert (event.start_date, event.end_date) == (date(2027, 9, 4), date(2027, 9, 5))
    assert list(AuditEntry.objects.filter(action="events.event.moved").values_list("details", flat=True)) == [
        {"days": 21}
    ]
