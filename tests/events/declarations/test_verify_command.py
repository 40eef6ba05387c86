import pytest
from django.core.management import CommandError, call_command

from events.declarations import services
from events.models import ChainEntry

pytestmark = pytest.mark.django_db

ONLINE = services.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0")


@pytest.fixture
def signed(declaration, kol, regulator):
    for person in (kol, regulator):
        services.sign_declaration(
            declaration=declaration,
            participant=person,
            typed_name=person.full_name,
            consent=True,
            public=True,
            signing=ONLINE,
        )
    declaration.refresh_from_db()
    return declaration


def test_verify_declarations_prints_ok_and_the_head(signed, capsys):
    call_command("verify_declarations")
    assert capsys.readouterr().out == f"OK      kol-2027/tuyen-bo  2 entries  head {signed.chain_head}\n"


def test_verify_declarations_fails_and_names_the_tampered_entry(signed, capsys):
    entry = ChainEntry.objects.get(sequence=2)
    ChainEntry.objects.filter(pk=entry.pk).update(role="founding_member")
    with pytest.raises(CommandError, match="1 declaration chain"):
        call_command("verify_declarations", "--event", "kol-2027")
    assert f"BROKEN  kol-2027/tuyen-bo  at entry 2 (id {entry.pk}): hash_mismatch" in capsys.readouterr().out
