"""The Vietnamese admin is Vietnamese: Django's own catalog lacks some admin phrases, the project's locale adds them."""

import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from events.models import ErasureRequest
from tests.events.factories import make_invitation, make_participant
from tests.ticketing.factories import make_business_type, place_order
from ticketing.enums import PaymentProvider
from ticketing.models import Payment
from ticketing.services.payments import confirm_payment

pytestmark = pytest.mark.django_db

VIETNAMESE_CATALOG = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PROJECT_APPS = ["events", "ticketing", "agenda"]

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


def translated_msgids():
    catalog = polib.pofile(str(VIETNAMESE_CATALOG))
    return {entry.msgid for entry in catalog if not entry.obsolete and entry.msgstr and "fuzzy" not in entry.flags}


def label_problem(field, vietnamese):
    """Why a field's label would show English in the Vietnamese admin, or None."""
    if not isinstance(field.verbose_name, Promise):
        return f"plain verbose_name {field.verbose_name!r}"
    with translation.override(None):
        msgid = str(field.verbose_name)
    return None if msgid in vietnamese else f"no Vietnamese for {msgid!r}"


def own_fields(model):
    """The fields an admin page may show for this model: concrete ones and many-to-many, not auto ids or links."""
    fields = [*model._meta.local_concrete_fields, *model._meta.local_many_to_many]
    return [field for field in fields if not field.auto_created]


def test_every_model_field_has_a_label_translated_into_vietnamese():
    """Django's default label is the field's name ("Recorded by", "Uid"): shown as is in the Vietnamese admin."""
    vietnamese = translated_msgids()
    offenders = [
        f"{model._meta.label}.{field.name}: {problem}"
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
        for field in own_fields(model)
        if (problem := label_problem(field, vietnamese))
    ]
    assert offenders == [], "\n".join(offenders)


def test_the_label_check_sees_a_default_and_an_untranslated_label():
    """Control: a field left to Django's default label and one whose lazy label has no Vietnamese are both caught."""
    default = models.CharField(max_length=10)
    default.set_attributes_from_name("recorded_by")
    untranslated = models.CharField(gettext_lazy("A label nobody translated"), max_length=10)
    translated = models.CharField(gettext_lazy("participant"), max_length=10)
    vietnamese = translated_msgids()

    assert label_problem(default, vietnamese) == "plain verbose_name 'recorded by'"
    assert label_problem(untranslated, vietnamese) == "no Vietnamese for 'A label nobody translated'"
    assert label_problem(translated, vietnamese) is None


def admin_labels(model_admin, model):
    """(where, label) of what an admin page titles: list columns, read-only and form fields, sections, actions."""
    names = [*getattr(model_admin, "list_display", ()), *model_admin.readonly_fields, *(model_admin.fields or [])]
    for title, options in model_admin.fieldsets or []:
        names += options.get("fields", [])
        if title:
            yield "section", title
    for name in dict.fromkeys(name for name in names if isinstance(name, str) and name != "id"):
        if name in model_admin.form.declared_fields:
            yield name, model_admin.form.declared_fields[name].label
        else:
            yield name, label_for_field(name, model, model_admin)
    for action in getattr(model_admin, "actions", None) or []:
        function = action if callable(action) else getattr(model_admin, action)
        yield f"action {function.__name__}", getattr(function, "short_description", function.__name__)


def test_every_admin_column_field_and_action_is_titled_in_vietnamese():
    """An admin method without @admin.display(description=_(...)) is titled by its name, in English."""
    vietnamese = translated_msgids()
    offenders = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        inlines = [(inline.model, inline(model, admin.site)) for inline in model_admin.inlines]
        for shown, shown_admin in [(model, model_admin), *inlines]:
            for where, label in admin_labels(shown_admin, shown):
                field = models.Field(label)  # label_problem reads a field's verbose_name
                if problem := label_problem(field, vietnamese):
                    offenders.append(f"{type(shown_admin).__name__} {where}: {problem}")
    assert offenders == [], "\n".join(offenders)


class UntitledColumnAdmin(admin.ModelAdmin):
    list_display = ["amount_due", "titled"]

    def amount_due(self, payment):
        return payment.amount

    @admin.display(description=gettext_lazy("amount (VND)"))
    def titled(self, payment):
        return payment.amount


def test_the_admin_check_sees_a_column_method_without_a_description():
    labels = dict(admin_labels(UntitledColumnAdmin(Payment, admin.site), Payment))
    vietnamese = translated_msgids()

    assert label_problem(models.Field(labels["amount_due"]), vietnamese) == "plain verbose_name 'Amount due'"
    assert label_problem(models.Field(labels["titled"]), vietnamese) is None


@pytest.fixture
def paid_order(event, organizer):
    order = place_order(event, make_business_type(event))
    confirm_payment(
        order=order, provider=PaymentProvider.BANK_TRANSFER, amount=order.total, external_id="FT2712", by=organizer
    )
    return order


def order_pages(paid_order):
    return [
        reverse("admin:ticketing_order_change", args=[paid_order.pk]),
        reverse("admin:ticketing_payment_changelist"),
    ]


# The English labels of the order's and payment's fields, and Django's defaults they replaced ("Token", "By").
FIELD_NAMES_LEFT = re.compile(r"\b(Recorded by|Access token|Token|Done by|By)\b")


def test_order_and_payment_pages_in_vietnamese_name_their_fields_in_vietnamese(admin_client_vi, paid_order):
    for url in order_pages(paid_order):
        text = visible_text(admin_client_vi.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode())
        assert FIELD_NAMES_LEFT.findall(text) == [], url
        assert "Người ghi nhận" in text or "người ghi nhận" in text, url


def test_the_field_name_check_sees_them_on_the_english_order_page(admin_client_vi, paid_order):
    """Control: in English the same pages do show the names the Vietnamese test looks for."""
    order_page, payments = order_pages(paid_order)
    order_text = visible_text(admin_client_vi.get(order_page, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    payments_text = visible_text(admin_client_vi.get(payments, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert {"Recorded by", "Access token", "Done by"} <= set(FIELD_NAMES_LEFT.findall(order_text))
    assert "Recorded by" in FIELD_NAMES_LEFT.findall(payments_text)
