import hashlib
import subprocess

import pytest
from django.urls import reverse

from events.declarations import services
from events.models import ChainEntry
from tests.events.factories import sign_in_participant

from ..factories import make_participant

pytestmark = pytest.mark.django_db

ONLINE = services.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0")


def sign(declaration, participant, public=True):
    return services.sign_declaration(
        declaration=declaration,
        participant=participant,
        typed_name=participant.full_name,
        consent=True,
        public=public,
        signing=ONLINE,
    )


def open_personal_page(client, participant):
    sign_in_participant(client, participant)


def public_url(declaration, **query):
    url = reverse("declarations:public", args=[declaration.event.slug, declaration.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def listed_names(response):
    return [entry.display_name for entry in response.context["signatories"]]


def test_personal_page_shows_the_declaration_panel_with_a_sign_link(client, declaration, kol):
    open_personal_page(client, kol)
    response = client.get(reverse("events:personal_page", args=[kol.event.slug]))
    assert response.status_code == 200
    sign_url = reverse("declarations:sign", args=[kol.event.slug, declaration.slug])
    assert sign_url in response.content.decode()


def test_sign_page_shows_both_texts_and_the_hash(client, declaration, kol):
    open_personal_page(client, kol)
    response = client.get(reverse("declarations:sign", args=[kol.event.slug, declaration.slug]))
    body = response.content.decode()
    version = declaration.versions.get()
    assert response.status_code == 200
    assert version.text_sha256 in body
    assert "Chúng tôi cam kết kiểm chứng thông tin" in body and "We commit to checking information" in body
    assert 'name="consent"' in body and "checked" not in body.split('name="consent"')[1].split(">")[0]


def test_sign_online_records_the_signature_with_ip_and_user_agent(client, declaration, kol):
    open_personal_page(client, kol)
    response = client.post(
        reverse("declarations:sign", args=[kol.event.slug, declaration.slug]),
        {"typed_name": "nguyễn tiến cường", "consent": "on", "public": "yes"},
        HTTP_USER_AGENT="Mozilla/5.0 (Android)",
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 302
    entry = ChainEntry.objects.get()
    assert (entry.participant, entry.method, entry.public) == (kol, "online", True)
    assert (entry.ip_address, entry.user_agent) == ("198.51.100.20", "Mozilla/5.0 (Android)")


def test_sign_online_with_a_wrong_name_shows_the_reason(client, declaration, kol):
    open_personal_page(client, kol)
    response = client.post(
        reverse("declarations:sign", args=[kol.event.slug, declaration.slug]),
        {"typed_name": "Nguyễn Văn Cường", "consent": "on", "public": "no"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["typed_name"] == ["Hãy gõ đúng họ tên như khi bạn đăng ký."]
    assert ChainEntry.objects.count() == 0


def test_sign_online_without_the_public_choice_is_refused(client, declaration, kol):
    open_personal_page(client, kol)
    response = client.post(
        reverse("declarations:sign", args=[kol.event.slug, declaration.slug]),
        {"typed_name": kol.full_name, "consent": "on"},
    )
    assert response.status_code == 400
    assert ChainEntry.objects.count() == 0


def test_sign_page_without_a_personal_link_redirects_to_the_personal_page(client, declaration, kol):
    response = client.get(reverse("declarations:sign", args=[kol.event.slug, declaration.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:personal_page", args=[kol.event.slug])


def test_withdraw_online_adds_a_withdrawal(client, declaration, kol):
    sign(declaration, kol)
    open_personal_page(client, kol)
    response = client.post(reverse("declarations:withdraw", args=[kol.event.slug, declaration.slug]))
    assert response.status_code == 302
    assert list(ChainEntry.objects.values_list("action", flat=True)) == ["sign", "withdraw"]


def test_withdraw_online_asks_for_confirmation_first(client, declaration, kol):
    sign(declaration, kol)
    open_personal_page(client, kol)
    response = client.get(reverse("declarations:withdraw", args=[kol.event.slug, declaration.slug]))
    assert response.status_code == 200
    assert "Có, rút lại chữ ký của tôi" in response.content.decode()
    assert list(ChainEntry.objects.values_list("action", flat=True)) == ["sign"]


def test_withdraw_confirmation_without_a_signature_goes_back_to_the_personal_page(client, declaration, kol):
    open_personal_page(client, kol)
    response = client.get(reverse("declarations:withdraw", args=[kol.event.slug, declaration.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("events:personal_page", args=[kol.event.slug])


def test_withdraw_online_without_a_personal_link_is_404(client, declaration, kol):
    sign(declaration, kol)
    response = client.post(reverse("declarations:withdraw", args=[kol.event.slug, declaration.slug]))
    assert response.status_code == 404


def test_public_page_lists_only_public_signatures_in_vietnamese_order(client, declaration, event):
    names = ["Trần Văn Ưng", "Lê Thị Ánh", "Phạm Văn Đạt", "Nguyễn Văn Dũng", "Hồ Thị Ơn", "Bùi Văn Ăn"]
    people = [make_participant(event, full_name=name, status="approved") for name in names]
    for person in people:
        sign(declaration, person, public=person.full_name != "Hồ Thị Ơn")
    response = client.get(public_url(declaration))
    assert response.status_code == 200
    assert listed_names(response) == ["Lê Thị Ánh", "Bùi Văn Ăn", "Nguyễn Văn Dũng", "Phạm Văn Đạt", "Trần Văn Ưng"]
    tally = response.context["tally"]
    assert (tally.total, tally.unlisted) == (6, 1)
    assert [(str(label), count) for label, count in tally.by_role] == [("Thành viên sáng lập", 6)]


def test_public_page_counts_by_category_and_role(client, declaration, kol, regulator):
    sign(declaration, kol)
    sign(declaration, regulator)
    tally = client.get(public_url(declaration)).context["tally"]
    assert [(str(label), count) for label, count in tally.by_category] == [("KOL / KOC", 1), ("Cơ quan quản lý", 1)]
    assert [(str(label), count) for label, count in tally.by_role] == [("Thành viên sáng lập", 1), ("Chứng kiến", 1)]


def test_public_page_search_ignores_accents(client, declaration, kol, regulator):
    sign(declaration, kol)
    sign(declaration, regulator)
    assert listed_names(client.get(public_url(declaration, q="cuong"))) == ["Nguyễn Tiến Cường"]
    assert listed_names(client.get(public_url(declaration, q="a05"))) == ["Trần Thị Bình"]


def test_public_page_leaves_out_withdrawn_signatures(client, declaration, kol):
    sign(declaration, kol)
    services.withdraw_signature(declaration=declaration, participant=kol, signing=ONLINE)
    assert listed_names(client.get(public_url(declaration))) == []


def test_public_page_shows_the_chain_head(client, declaration, kol):
    entry = sign(declaration, kol)
    assert entry.entry_hash in client.get(public_url(declaration)).content.decode()


def test_public_page_in_english(client, declaration, kol):
    sign(declaration, kol)
    client.cookies["conference_language"] = "en"
    body = client.get(public_url(declaration)).content.decode()
    assert "Founding member" in body and "Signatories" in body


@pytest.mark.parametrize("count", [1, 3])
def test_public_page_query_count_does_not_grow_with_signatures(
    client, declaration, event, count, django_assert_max_num_queries
):
    for number in range(count):
        sign(declaration, make_participant(event, full_name=f"Người Ký Số {number}", status="approved"))
    with django_assert_max_num_queries(6):
        assert client.get(public_url(declaration)).status_code == 200


def test_public_page_of_a_draft_declaration_is_404(client, event):
    from ..conftest import make_declaration

    draft = make_declaration(event, "nhap", open=False)
    assert client.get(public_url(draft)).status_code == 404


def test_canonical_text_hashes_to_the_stored_hash(client, declaration):
    version = declaration.versions.get()
    response = client.get(reverse("declarations:canonical_text", args=[declaration.event.slug, declaration.slug, 1]))
    assert hashlib.sha256(response.content).hexdigest() == version.text_sha256


def test_sealed_pdf_holds_text_signatories_and_chain_head(client, declaration, kol, regulator, organizer, tmp_path):
    sign(declaration, kol)
    sign(declaration, regulator)
    services.seal_declaration(declaration=declaration, by=organizer)
    declaration.refresh_from_db()
    response = client.get(reverse("declarations:sealed_pdf", args=[declaration.event.slug, declaration.slug]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    pdf = tmp_path / "sealed.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tuyên bố thành lập Liên minh KOL Việt Nam" in text
    assert "Nguyễn Tiến Cường" in text and "Trần Thị Bình" in text
    assert declaration.chain_head[:32] in text.replace("\n", "")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts.replace("-", "")


def test_sealed_pdf_before_sealing_is_404(client, declaration):
    response = client.get(reverse("declarations:sealed_pdf", args=[declaration.event.slug, declaration.slug]))
    assert response.status_code == 404


def panel_of(client, participant, declaration):
    body = client.get(reverse("events:personal_page", args=[participant.event.slug])).content.decode()
    start = body.index(f'data-declaration="{declaration.slug}"')
    return body[start : body.index("</li>", start)]


def test_panel_offers_withdrawal_until_sealed(client, declaration, kol, organizer):
    sign(declaration, kol)
    open_personal_page(client, kol)
    assert "Rút lại chữ ký của tôi" in panel_of(client, kol, declaration)
    services.seal_declaration(declaration=declaration, by=organizer)
    panel = panel_of(client, kol, declaration)
    assert "Rút lại chữ ký của tôi" not in panel and "Bạn đã ký lúc" in panel


def test_panel_tells_a_pending_kol_they_cannot_sign_yet(client, declaration, event):
    pending = make_participant(event, full_name="Vũ Thị Yến", status="pending")
    open_personal_page(client, pending)
    panel = panel_of(client, pending, declaration)
    assert "Đăng ký của bạn không thuộc diện được ký văn kiện này." in panel
    assert reverse("declarations:sign", args=[event.slug, declaration.slug]) not in panel
