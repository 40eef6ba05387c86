import csv
import hashlib
import io

import pytest
from django.urls import reverse

from events.declarations import services
from events.models import Declaration, DeclarationVersion

pytestmark = pytest.mark.django_db

ONLINE = services.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0")
CHANGELIST = "admin:events_declaration_changelist"


def action(client, name, declaration):
    return client.post(reverse(CHANGELIST), {"action": name, "_selected_action": [declaration.pk]}, follow=True)


def test_csv_export_lists_every_entry_with_its_hashes(organizer_client, declaration, kol, regulator):
    services.sign_declaration(
        declaration=declaration, participant=kol, typed_name=kol.full_name, consent=True, public=True, signing=ONLINE
    )
    services.withdraw_signature(declaration=declaration, participant=kol, signing=ONLINE)
    response = organizer_client.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": [declaration.pk]}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Số thứ tự trong chuỗi", "Thao tác", "Rút lại mục số"]
    assert [(row[0], row[1], row[2], row[4]) for row in rows[1:]] == [
        ("1", "Chữ ký", "", "Nguyễn Tiến Cường"),
        ("2", "Rút chữ ký", "1", "Nguyễn Tiến Cường"),
    ]
    declaration.refresh_from_db()
    assert rows[2][-1] == declaration.chain_head


def test_admin_actions_close_and_seal(organizer_client, declaration, organizer):
    action(organizer_client, "close_signing", declaration)
    declaration.refresh_from_db()
    assert declaration.status == "closed"
    action(organizer_client, "seal", declaration)
    declaration.refresh_from_db()
    assert (declaration.status, declaration.sealed_by) == ("sealed", organizer)


def test_admin_verify_action_reports_an_intact_chain(organizer_client, declaration):
    response = action(organizer_client, "verify", declaration)
    assert "chuỗi toàn vẹn, 0 mục" in response.content.decode()


def test_admin_new_version_is_hashed(organizer_client, declaration):
    response = organizer_client.post(
        reverse("admin:events_declarationversion_add"),
        {
            "declaration": declaration.pk,
            "title_vi": "Tiêu đề",
            "title_en": "Title",
            "body_vi": "Nội dung",
            "body_en": "Body",
        },
    )
    assert response.status_code == 302
    version = DeclarationVersion.objects.get(declaration=declaration, number=2)
    canonical = "Tiêu đề\n\nNội dung\n\n----\n\nTitle\n\nBody\n"
    assert version.text_sha256 == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_admin_cannot_change_or_delete_chain_entries(organizer_client, declaration, kol):
    entry = services.sign_declaration(
        declaration=declaration, participant=kol, typed_name=kol.full_name, consent=True, public=True, signing=ONLINE
    )
    change = organizer_client.post(reverse("admin:events_chainentry_change", args=[entry.pk]), {"public": ""})
    delete = organizer_client.post(reverse("admin:events_chainentry_delete", args=[entry.pk]), {"post": "yes"})
    assert (change.status_code, delete.status_code) == (403, 403)
    assert Declaration.objects.get().chain_length == 1
