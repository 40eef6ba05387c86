"""The Vietnamese admin is Vietnamese: Django's own catalog lacks some admin phrases, the project's locale adds them."""

import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from events.models import ErasureRequest
from tests.events.factories import make_invitation, make_participant

pytestmark = pytest.mark.django_db

ENGLISH_LEFT = [
    "Skip to main content",
    "Toggle theme",
    "Model name",
    "Add link",
    "Change or view list link",
    "Created by",
    "Participant id",
    "Done by",
    "Show counts",
    "Toggle navigation",
    "Select this object for an action",
    "Xóa các các",
    "Thêm vào ",  # Django's catalog words "Add" / "Add %(name)s" as "add into": "Thêm vào lượt in thẻ"
]


def visible_text(html):
    """What the page says: tag contents and the attributes a screen reader reads (aria-label, title, placeholder)."""
    attributes = re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', html)
    text = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return " ".join([re.sub(r"<[^>]+>", " ", text), *attributes])


@pytest.fixture
def admin_client_vi(client, organizer, event):
    organizer.is_superuser = True
    organizer.save()
    make_invitation(event, note="Cục Phát thanh, truyền hình và thông tin điện tử", created_by=organizer)
    client.force_login(organizer)
    return client


ADMIN_PAGES = [
    "admin:index",
    "admin:events_invitation_changelist",
    "admin:events_erasurerequest_changelist",
    "admin:agenda_reservation_changelist",
    "admin:ticketing_refund_changelist",
    "admin:ticketing_printjob_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page_in_vietnamese_has_no_english_left(admin_client_vi, event, name):
    participant = make_participant(event, full_name="Nguyễn Văn Bình")
    ErasureRequest.objects.create(
        participant=participant, blockers=["Có đơn hàng đã thanh toán; ban tổ chức cần kiểm tra."]
    )

    html = admin_client_vi.get(reverse(name), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    text = visible_text(html)
    left = [phrase for phrase in ENGLISH_LEFT if phrase.lower() in text.lower()]
    assert left == [], name


def test_erasure_requests_show_their_reasons_as_text_not_json(admin_client_vi, event):
    participant = make_participant(event, full_name="Nguyễn Văn Bình")
    ErasureRequest.objects.create(
        participant=participant, blockers=["Có đơn hàng đã thanh toán; ban tổ chức cần kiểm tra."]
    )

    html = admin_client_vi.get(reverse("admin:events_erasurerequest_changelist"), HTTP_ACCEPT_LANGUAGE="vi")

    body = html.content.decode()
    assert "Có đơn hàng đã thanh toán; ban tổ chức cần kiểm tra." in body
    assert '["Có đơn hàng' not in body and "[&quot;" not in body


def test_add_buttons_read_add_not_add_into(admin_client_vi):
    page = admin_client_vi.get(reverse("admin:ticketing_printjob_changelist"), HTTP_ACCEPT_LANGUAGE="vi")

    assert re.search(r"Thêm lượt in thẻ\s*</a>", page.content.decode())


def test_bulk_delete_action_reads_naturally():
    with translation.override("vi"):
        from sessions.models import Reservation

        label = "Xóa các %(verbose_name_plural)s đã chọn"
        assert translation.gettext(label) % {"verbose_name_plural": Reservation._meta.verbose_name_plural} == (
            "Xóa các lượt giữ chỗ đã chọn"
        )


def test_no_admin_list_reads_xoa_cac_cac():
    """Every list's delete action: Django says "Xóa các …", so no Vietnamese plural may start with "các" itself."""
    with translation.override("vi"):
        action = translation.gettext("Delete selected %(verbose_name_plural)s")
        plurals = [str(model._meta.verbose_name_plural) for model in apps.get_models()]
        doubled = [action % {"verbose_name_plural": plural} for plural in plurals]
    assert action == "Xóa các %(verbose_name_plural)s đã chọn"
    assert [text for text in doubled if re.search(r"\b(các|những) (các|những)\b", text, re.IGNORECASE)] == []


def test_the_check_sees_the_phrases_on_the_english_admin(admin_client_vi, event):
    """Control: the same pages in English do carry the phrases the Vietnamese test looks for."""
    make_participant(event, full_name="Nguyễn Văn Bình")
    index = visible_text(admin_client_vi.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    invitations = admin_client_vi.get(reverse("admin:events_invitation_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert all(phrase in index for phrase in ["Skip to main content", "Toggle theme", "Model name", "Add link"])
    assert "Created by" in visible_text(invitations.content.decode())
