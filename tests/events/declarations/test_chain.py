import hashlib
import unicodedata

import pytest
from django.db import connection

from events.declarations import chain, selectors, services
from events.models import ChainEntry, Declaration, SigningMethod

from ..factories import make_participant

pytestmark = pytest.mark.django_db

ONLINE = services.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0 (iPhone)")


def sign(declaration, participant, **overrides):
    values = dict(typed_name=participant.full_name, consent=True, public=True, signing=ONLINE)
    values.update(overrides)
    return services.sign_declaration(declaration=declaration, participant=participant, **values)


@pytest.fixture
def three_signatures(declaration, event):
    people = [
        make_participant(event, full_name=name, status="approved")
        for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Đạt")
    ]
    return [sign(declaration, person) for person in people]


def test_canonical_text_is_nfc_with_lf_and_both_languages():
    text = chain.canonical_text(
        title_vi=unicodedata.normalize("NFD", "Tuyên bố"),
        body_vi="Dòng một  \r\nDòng hai\r\n\r\n",
        title_en="Declaration",
        body_en="Line one\rLine two",
    )
    assert text == "Tuyên bố\n\nDòng một\nDòng hai\n\n----\n\nDeclaration\n\nLine one\nLine two\n"


def test_version_hash_is_sha256_of_the_canonical_text(declaration):
    version = declaration.versions.get()
    expected = hashlib.sha256(chain.version_text(version).encode("utf-8")).hexdigest()
    assert version.text_sha256 == expected


def test_chain_links_each_entry_to_the_previous_one(declaration, three_signatures):
    first, second, third = three_signatures
    assert [e.sequence for e in three_signatures] == [1, 2, 3]
    assert first.previous_hash == chain.GENESIS
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    declaration.refresh_from_db()
    assert (declaration.chain_length, declaration.chain_head) == (3, third.entry_hash)


def test_verify_accepts_an_untouched_chain(declaration, three_signatures):
    result = selectors.verify_chain(declaration)
    assert (result.ok, result.entries, result.head) == (True, 3, three_signatures[-1].entry_hash)


def test_verify_accepts_an_empty_chain(declaration):
    result = selectors.verify_chain(declaration)
    assert (result.ok, result.entries, result.head) == (True, 0, chain.GENESIS)


@pytest.mark.parametrize(
    "field, value",
    [
        ("role", "witness"),
        ("public", False),
        ("method", SigningMethod.KIOSK),
        ("kiosk", "Bàn ký 9"),
        ("category", "business"),
        ("text_sha256", "0" * 64),
        ("signer_commitment", "f" * 64),
        ("ip_sha256", "a" * 64),
    ],
)
def test_verify_names_the_entry_whose_hashed_field_was_edited_by_orm(declaration, three_signatures, field, value):
    ChainEntry.objects.filter(pk=three_signatures[1].pk).update(**{field: value})
    result = selectors.verify_chain(declaration)
    assert (result.ok, result.broken_sequence, result.reason) == (False, 2, "hash_mismatch")
    assert result.broken_entry_id == three_signatures[1].pk


def test_verify_catches_a_changed_time_by_raw_sql(declaration, three_signatures):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_chainentry SET recorded_at = %s WHERE id = %s",
            ["2027-08-14 01:02:03", three_signatures[0].pk],
        )
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (1, "hash_mismatch")


def test_verify_catches_a_swapped_participant_by_raw_sql(declaration, three_signatures):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_chainentry SET participant_id = %s WHERE id = %s",
            [three_signatures[0].participant_id, three_signatures[2].pk],
        )
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (3, "hash_mismatch")


def test_verify_catches_an_edited_display_name(declaration, three_signatures):
    ChainEntry.objects.filter(pk=three_signatures[2].pk).update(display_name="Lê Văn Đạo")
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (3, "signer_mismatch")


def test_verify_catches_an_edited_organization(declaration, three_signatures):
    ChainEntry.objects.filter(pk=three_signatures[0].pk).update(display_organization="Công ty Giả mạo")
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (1, "signer_mismatch")


def test_verify_catches_an_edited_raw_ip_address(declaration, three_signatures):
    ChainEntry.objects.filter(pk=three_signatures[1].pk).update(ip_address="198.51.100.1")
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (2, "ip_mismatch")


def test_verify_catches_an_edited_user_agent(declaration, three_signatures):
    ChainEntry.objects.filter(pk=three_signatures[1].pk).update(user_agent="curl/8")
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (2, "user_agent_mismatch")


def test_verify_catches_an_edited_signed_version_text(declaration, three_signatures):
    version = declaration.versions.get()
    type(version).objects.filter(pk=version.pk).update(body_en="We commit to nothing.")
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (1, "text_mismatch")


def test_verify_catches_a_deleted_middle_entry(declaration, three_signatures):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events_chainentry WHERE id = %s", [three_signatures[1].pk])
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (3, "sequence_gap")


def test_verify_catches_a_deleted_last_entry(declaration, three_signatures):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events_chainentry WHERE id = %s", [three_signatures[2].pk])
    result = selectors.verify_chain(declaration)
    assert (result.ok, result.reason, result.broken_sequence) == (False, "head_mismatch", 3)


def test_verify_catches_a_renumbered_deletion(declaration, three_signatures):
    # Delete entry 2 and renumber entry 3 as 2: the sequence looks whole, the link is broken.
    ChainEntry.objects.filter(pk=three_signatures[1].pk).delete()
    ChainEntry.objects.filter(pk=three_signatures[2].pk).update(sequence=2)
    result = selectors.verify_chain(declaration)
    assert (result.broken_sequence, result.reason) == (2, "broken_link")


def test_verify_catches_a_forged_entry_appended_without_moving_the_head(declaration, three_signatures, event):
    forger = make_participant(event, full_name="Kẻ Giả Mạo", status="approved")
    last = three_signatures[-1]
    forged = ChainEntry(
        declaration=declaration,
        sequence=4,
        previous_hash=last.entry_hash,
        version=last.version,
        text_sha256=last.text_sha256,
        action="sign",
        participant=forger,
        category="kol",
        role="founding_member",
        public=True,
        method="online",
        recorded_at=last.recorded_at,
        display_name=forger.full_name,
    )
    chain.stamp_entry(forged)
    forged.save()
    result = selectors.verify_chain(declaration)
    assert (result.reason, result.broken_sequence) == ("head_mismatch", 3)


def test_verify_catches_a_moved_head(declaration, three_signatures):
    Declaration.objects.filter(pk=declaration.pk).update(chain_head="b" * 64)
    result = selectors.verify_chain(declaration)
    assert result.reason == "head_mismatch"


def test_verify_still_passes_after_personal_data_is_erased(declaration, three_signatures):
    ChainEntry.objects.filter(pk=three_signatures[0].pk).update(
        display_name="", display_organization="", salt="", ip_address=None, user_agent=""
    )
    result = selectors.verify_chain(declaration)
    assert (result.ok, result.entries, result.erased) == (True, 3, [1])


def test_signer_commitment_depends_on_the_salt():
    one = chain.signer_commitment(participant_id=7, name="Lê Văn Đạt", organization="", salt="a")
    two = chain.signer_commitment(participant_id=7, name="Lê Văn Đạt", organization="", salt="b")
    assert one != two
    assert len(one) == 64


def test_entry_content_holds_no_name_in_the_clear(declaration, three_signatures):
    content = chain.entry_content(three_signatures[0])
    assert "Nguyễn Văn An" not in repr(content)
    assert content["signer"] == three_signatures[0].signer_commitment
