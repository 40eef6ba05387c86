import unicodedata

import pytest

from events.declarations import selectors, services
from events.declarations.pins import signing_pin
from events.enums import Category, ParticipantStatus
from events.errors import Conflict, DomainError
from events.models import ChainEntry, DeclarationStatus, SigningMethod

from ..conftest import make_declaration
from ..factories import make_participant

pytestmark = pytest.mark.django_db

ONLINE = services.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0 (iPhone)")
TEXT_V2 = {
    "title_vi": "Tuyên bố thành lập Liên minh KOL Việt Nam",
    "title_en": "Founding Declaration of the Vietnam KOL Alliance",
    "body_vi": "Chúng tôi cam kết kiểm chứng thông tin và bảo vệ trẻ em trên mạng.",
    "body_en": "We commit to checking information and protecting children online.",
}


def sign(declaration, participant, **overrides):
    values = dict(typed_name=participant.full_name, consent=True, public=True, signing=ONLINE)
    values.update(overrides)
    return services.sign_declaration(declaration=declaration, participant=participant, **values)


def error_code(call, *args, **kwargs):
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    return error.value.code


def test_sign_records_role_version_hash_method_ip_and_user_agent(declaration, kol):
    entry = sign(declaration, kol)
    version = declaration.versions.get()
    assert (entry.action, entry.role, entry.category, entry.method) == ("sign", "founding_member", "kol", "online")
    assert (entry.version_id, entry.text_sha256) == (version.pk, version.text_sha256)
    assert (entry.ip_address, entry.user_agent, entry.display_name) == (
        "203.0.113.7",
        "Mozilla/5.0 (iPhone)",
        "Nguyễn Tiến Cường",
    )
    assert entry.public is True


def test_sign_accepts_the_name_in_another_case_form_and_spacing(declaration, kol):
    typed = "  " + unicodedata.normalize("NFD", "NGUYỄN   tiến cường") + " "
    entry = sign(declaration, kol, typed_name=typed)
    assert entry.sequence == 1


def test_sign_refuses_a_different_name(declaration, kol):
    assert error_code(sign, declaration, kol, typed_name="Nguyễn Tiến Cương") == "name_mismatch"
    assert ChainEntry.objects.count() == 0


def test_sign_refuses_without_consent(declaration, kol):
    assert error_code(sign, declaration, kol, consent=False) == "consent_required"


def test_sign_twice_is_refused(declaration, kol):
    sign(declaration, kol)
    assert error_code(sign, declaration, kol) == "already_signed"
    assert ChainEntry.objects.count() == 1


def test_sign_a_closed_declaration_is_refused(declaration, kol):
    services.close_declaration(declaration=declaration)
    assert error_code(sign, declaration, kol) == "declaration_not_open"


def test_sign_a_draft_declaration_is_refused(event, kol):
    draft = make_declaration(event, "nhap", open=False)
    assert error_code(sign, draft, kol) == "declaration_not_open"


def test_sign_a_sealed_declaration_is_refused(declaration, kol, organizer):
    services.seal_declaration(declaration=declaration, by=organizer)
    assert error_code(sign, declaration, kol) == "declaration_sealed"


def test_sign_by_a_kol_not_yet_approved_is_refused(declaration, event):
    pending = make_participant(event, full_name="Phạm Thu Hà", status=ParticipantStatus.PENDING)
    assert error_code(sign, declaration, pending) == "not_eligible"


def test_sign_by_a_category_without_a_rule_is_refused(event, regulator):
    kols_only = make_declaration(event, "chi-kol", rules={Category.KOL: "founding_member"})
    assert error_code(sign, kols_only, regulator) == "not_eligible"


def test_sign_by_a_participant_of_another_event_is_refused(declaration, kol, event):
    from events.models import Event

    other = Event.objects.create(slug="khac", name_vi="Khác", start_date=event.start_date, end_date=event.end_date)
    stranger = make_participant(other, full_name="Hồ Văn Ơn", status=ParticipantStatus.APPROVED)
    assert error_code(sign, declaration, stranger) == "not_eligible"


def test_default_rules_make_regulators_witnesses(declaration, regulator):
    assert sign(declaration, regulator).role == "witness"


def test_configured_rule_sets_the_role(event, regulator):
    custom = make_declaration(event, "tuy-chinh", rules={Category.REGULATOR: "supporting_organization"})
    assert sign(custom, regulator).role == "supporting_organization"


def test_withdraw_adds_an_entry_and_keeps_the_signature(declaration, kol):
    signature = sign(declaration, kol)
    withdrawal = services.withdraw_signature(declaration=declaration, participant=kol, signing=ONLINE)
    assert (withdrawal.sequence, withdrawal.action, withdrawal.withdraws) == (2, "withdraw", signature.sequence)
    assert ChainEntry.objects.filter(pk=signature.pk).exists()
    assert selectors.signatures_in_force(declaration) == []


def test_withdraw_then_sign_again_is_in_force_once(declaration, kol):
    sign(declaration, kol)
    services.withdraw_signature(declaration=declaration, participant=kol, signing=ONLINE)
    again = sign(declaration, kol, public=False)
    assert again.sequence == 3
    assert [entry.pk for entry in selectors.signatures_in_force(declaration)] == [again.pk]
    assert selectors.verify_chain(declaration).ok


def test_withdraw_without_a_signature_is_refused(declaration, kol):
    assert error_code(services.withdraw_signature, declaration=declaration, participant=kol, signing=ONLINE) == (
        "not_signed"
    )


def test_withdraw_after_closing_is_allowed(declaration, kol):
    sign(declaration, kol)
    services.close_declaration(declaration=declaration)
    entry = services.withdraw_signature(declaration=declaration, participant=kol, signing=ONLINE)
    assert entry.action == "withdraw"


def test_withdraw_after_sealing_is_refused(declaration, kol, organizer):
    sign(declaration, kol)
    services.seal_declaration(declaration=declaration, by=organizer)
    code = error_code(services.withdraw_signature, declaration=declaration, participant=kol, signing=ONLINE)
    assert code == "declaration_sealed"


def test_signature_under_version_1_keeps_version_1_hash_after_version_2(declaration, kol, regulator):
    first = sign(declaration, kol)
    v1 = declaration.versions.get(number=1)
    v2 = services.publish_version(declaration=declaration, **TEXT_V2)
    second = sign(declaration, regulator)
    first.refresh_from_db()
    assert v2.text_sha256 != v1.text_sha256
    assert (first.version_id, first.text_sha256) == (v1.pk, v1.text_sha256)
    assert (second.version_id, second.text_sha256) == (v2.pk, v2.text_sha256)
    assert selectors.verify_chain(declaration).ok


def test_update_version_before_signing_recomputes_the_hash(declaration):
    version = declaration.versions.get()
    old = version.text_sha256
    services.update_version(version=version, **TEXT_V2)
    assert version.text_sha256 != old


def test_update_version_after_signing_is_refused(declaration, kol):
    sign(declaration, kol)
    version = declaration.versions.get()
    assert error_code(services.update_version, version=version, **TEXT_V2) == "version_frozen"


def test_open_without_text_is_refused(event):
    empty = services.create_declaration(event=event, slug="trong", title_vi="Trống")
    assert error_code(services.open_declaration, declaration=empty) == "no_text"


def test_seal_records_who_and_when_and_blocks_reopening(declaration, organizer):
    services.seal_declaration(declaration=declaration, by=organizer)
    declaration.refresh_from_db()
    assert (declaration.status, declaration.sealed_by) == (DeclarationStatus.SEALED, organizer)
    assert declaration.sealed_at is not None and declaration.closed_at is not None
    assert error_code(services.open_declaration, declaration=declaration) == "declaration_sealed"
    assert error_code(services.publish_version, declaration=declaration, **TEXT_V2) == "declaration_sealed"


def test_close_a_closed_declaration_is_refused(declaration):
    services.close_declaration(declaration=declaration)
    with pytest.raises(Conflict):
        services.close_declaration(declaration=declaration)


def test_kiosk_signature_records_kiosk_and_staff(declaration, kol, door_staff):
    kiosk = services.Signing(method=SigningMethod.KIOSK, kiosk="Bàn ký 1", staff=door_staff, ip_address="10.0.0.5")
    entry = services.sign_declaration(
        declaration=declaration, participant=kol, pin=signing_pin(kol), consent=True, public=True, signing=kiosk
    )
    assert (entry.method, entry.kiosk, entry.staff_id) == ("kiosk", "Bàn ký 1", door_staff.pk)


def test_set_signing_rules_refuses_unknown_roles(declaration):
    code = error_code(services.set_signing_rules, declaration=declaration, rules={"kol": "king"})
    assert code == "invalid_signing_rule"


def test_names_match_ignores_case_form_and_spaces():
    assert services.names_match("lê  văn ĐẠT", "Lê Văn Đạt")
    assert not services.names_match("Le Van Dat", "Lê Văn Đạt")
    assert not services.names_match("", "")


def test_erase_signer_data_keeps_the_chain_verifiable_and_the_count(declaration, kol, regulator):
    sign(declaration, kol)
    sign(declaration, regulator)
    assert services.erase_signer_data(participant=kol) == 1
    erased = ChainEntry.objects.get(participant=kol)
    assert (erased.display_name, erased.salt, erased.ip_address, erased.user_agent) == ("", "", None, "")
    result = selectors.verify_chain(declaration)
    assert (result.ok, result.erased) == (True, [1])
    signatures = selectors.signatures_in_force(declaration)
    assert [entry.display_name for entry in selectors.public_signatories(signatures)] == ["Trần Thị Bình"]
    assert selectors.tally(signatures).total == 2


def test_reopen_after_closing_allows_signing_again(declaration, kol):
    services.close_declaration(declaration=declaration)
    services.open_declaration(declaration=declaration)
    assert sign(declaration, kol).sequence == 1


def test_seal_a_draft_is_refused(event):
    draft = make_declaration(event, "nhap", open=False)
    assert error_code(services.seal_declaration, declaration=draft, by=None) == "declaration_not_open"
