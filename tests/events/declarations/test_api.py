import pytest
from django.db import connection

from events.declarations import services
from events.models import ChainEntry
from events.services import issue_api_token

from ..factories import make_participant

pytestmark = pytest.mark.django_db

ONLINE = services.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0")
BASE = "/api/v1/events/kol-2027/declarations"


def sign(declaration, participant, public=True):
    return services.sign_declaration(
        declaration=declaration,
        participant=participant,
        typed_name=participant.full_name,
        consent=True,
        public=public,
        signing=ONLINE,
    )


@pytest.fixture
def signed(declaration, kol, regulator, event):
    sign(declaration, kol)
    sign(declaration, regulator, public=False)
    sign(declaration, make_participant(event, full_name="Lê Văn Ánh", status="approved"))
    declaration.refresh_from_db()
    return declaration


def test_list_declarations_shows_the_chain_head(client, signed):
    response = client.get(BASE)
    assert response.status_code == 200
    [item] = response.json()
    assert (item["slug"], item["status"], item["chain_length"], item["chain_head"]) == (
        "tuyen-bo",
        "open",
        3,
        signed.chain_head,
    )
    assert item["text_sha256"] == signed.versions.get().text_sha256


def test_signatures_for_everyone_are_the_listed_ones_in_vietnamese_order(client, signed):
    response = client.get(f"{BASE}/tuyen-bo/signatures")
    assert response.status_code == 200
    rows = response.json()
    assert [row["name"] for row in rows] == ["Lê Văn Ánh", "Nguyễn Tiến Cường"]
    assert rows[0]["participant_id"] is None and rows[0]["entry_hash"] is None


def test_unlisted_signatures_are_refused_to_the_public(client, signed):
    response = client.get(f"{BASE}/tuyen-bo/signatures?unlisted=true")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_unlisted_signatures_are_shown_to_organizers(organizer_client, signed, regulator):
    rows = organizer_client.get(f"{BASE}/tuyen-bo/signatures?unlisted=true").json()
    assert [row["name"] for row in rows] == ["Lê Văn Ánh", "Trần Thị Bình", "Nguyễn Tiến Cường"]
    hidden = next(row for row in rows if row["participant_id"] == regulator.pk)
    assert (hidden["public"], hidden["role"], hidden["category"]) == (False, "witness", "regulator")


def test_unlisted_signatures_need_the_token_scope(client, signed, organizer):
    _token, secret = issue_api_token(user=organizer, name="script", scopes=["participants:read"])
    response = client.get(f"{BASE}/tuyen-bo/signatures?unlisted=true", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    _token, secret = issue_api_token(user=organizer, name="script", scopes=["declarations:read"])
    response = client.get(f"{BASE}/tuyen-bo/signatures?unlisted=true", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert (response.status_code, len(response.json())) == (200, 3)


def test_verification_of_an_intact_chain(client, signed):
    body = client.get(f"{BASE}/tuyen-bo/verification").json()
    assert (body["ok"], body["entries"], body["head"], body["broken_sequence"]) == (True, 3, signed.chain_head, None)


def test_verification_names_the_tampered_entry(client, signed):
    entry = ChainEntry.objects.get(declaration=signed, sequence=2)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_chainentry SET public = %s WHERE id = %s", [True, entry.pk])
    body = client.get(f"{BASE}/tuyen-bo/verification").json()
    assert (body["ok"], body["broken_sequence"], body["reason"]) == (False, 2, "hash_mismatch")
    assert body["message"] == "Nội dung đang lưu của mục này không còn khớp với mã băm của nó."


def test_unknown_declaration_is_404(client, declaration):
    response = client.get(f"{BASE}/khong-co/signatures")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("count", [1, 3])
def test_signatures_query_count_does_not_grow(client, declaration, event, count, django_assert_max_num_queries):
    for number in range(count):
        sign(declaration, make_participant(event, full_name=f"Người Ký {number}", status="approved"))
    with django_assert_max_num_queries(5):
        assert len(client.get(f"{BASE}/tuyen-bo/signatures").json()) == count
