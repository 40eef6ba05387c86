import unicodedata

import pytest

from events.enums import Category, ParticipantStatus
from tests.events.factories import make_participant
from ticketing import codes, pdf, selectors, services

from .conftest import decoded_codes, pdf_page_count, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Tiến Cường", "Trần Thị Phương Thảo", "Đặng Quốc Huy", "Lê Thị Ngọc Ánh", "Phạm Đức Mạnh"]
ORG = "Hiệp hội An ninh mạng quốc gia, Chi hội Sáng tạo nội dung số và Truyền thông xã hội khu vực phía Bắc "
LONG_ORG = (ORG * 2)[:120]
AGENCY = "Cục An ninh mạng và Phòng, chống tội phạm sử dụng công nghệ cao"


def issued(event, **fields):
    values = {"status": ParticipantStatus.APPROVED, **fields}
    return services.issue_badge(make_participant(event, **values))


def test_badge_pdf_qr_decodes_to_the_issued_code_and_verifies(approved, tmp_path):
    badge = services.issue_badge(approved)
    content = pdf.render_badges([selectors.badge_print(badge)])

    (page,) = pdf_pages(content, tmp_path)
    (decoded,) = decoded_codes(page)

    assert decoded == badge.code
    key = services.event_key(approved.event)
    assert codes.verify_code(bytes(key.public_key), decoded) == codes.BadgeClaim(
        event_id=approved.event_id, participant_id=approved.pk, version=1
    )


def test_badge_pdf_qr_decodes_at_72_dpi(approved, tmp_path):
    badge = services.issue_badge(approved)

    (page,) = pdf_pages(pdf.render_badges([selectors.badge_print(badge)]), tmp_path, dpi=72)

    assert decoded_codes(page) == [badge.code]


def test_badge_pdf_keeps_vietnamese_names_intact(event, tmp_path):
    badges = [
        issued(event, full_name=name, organization="Cục An ninh mạng và Phòng, chống tội phạm sử dụng công nghệ cao")
        for name in NAMES
    ]

    text = pdf_text(pdf.render_badges([selectors.badge_print(badge) for badge in badges]), tmp_path)

    normalized = unicodedata.normalize("NFC", text)
    for name in NAMES:
        assert name in " ".join(normalized.split())  # large names may wrap onto two lines
    assert AGENCY in " ".join(normalized.split())
    assert "CƠ QUAN QUẢN LÝ" in normalized or "KOL / KOC" in normalized


def test_badge_pdf_shows_the_category_in_both_languages(event, tmp_path):
    badge = issued(event, category=Category.PLATFORM)

    text = pdf_text(pdf.render_badges([selectors.badge_print(badge)]), tmp_path)

    assert "NỀN TẢNG SỐ" in text
    assert "DIGITAL PLATFORM" in text


def test_badge_pdf_embeds_dejavu_sans(approved, tmp_path):
    import subprocess

    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf.render_badges([selectors.badge_print(services.issue_badge(approved))]))

    fonts = subprocess.run(["pdffonts", str(source)], check=True, capture_output=True).stdout.decode()

    assert "DejaVu-Sans" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded


def test_longest_texts_give_exactly_one_page_per_badge(event, tmp_path):
    badges = [
        issued(event, organization=LONG_ORG),
        issued(
            event,
            full_name="Tôn Nữ " + "Hoàng Thị Phương " * 6,
            organization=LONG_ORG + LONG_ORG[:80],
            title="Phó Giám đốc " * 11,
        ),
        issued(event, full_name="An", organization=""),
    ]
    assert len(LONG_ORG) == 120

    content = pdf.render_badges([selectors.badge_print(badge) for badge in badges])

    assert pdf_page_count(content, tmp_path) == 3
    assert LONG_ORG in " ".join(pdf_text(content, tmp_path).split())


def test_sheet_layout_puts_four_badges_on_each_a4_page_and_all_decode(event, tmp_path):
    badges = [issued(event, full_name=NAMES[index % 5], organization=LONG_ORG) for index in range(6)]

    content = pdf.render_badges([selectors.badge_print(badge) for badge in badges], layout="sheet")
    pages = pdf_pages(content, tmp_path, dpi=100)

    assert len(pages) == 2
    assert pages[0].size == (827, 1170)  # A4 at 100 dpi
    assert sorted(decoded_codes(pages[0]) + decoded_codes(pages[1])) == sorted(badge.code for badge in badges)


def test_name_size_class_shrinks_with_length():
    def size(name):
        return selectors.BadgePrint(name, "", "", "kol", "", "", "", "", "").name_size

    assert [size("An"), size("Trần Thị Phương Thảo"), size("Tôn Nữ Hoàng Thị Phương Thảo Nguyên"), size("x" * 120)] == [
        "xxl",
        "xl",
        "m",
        "s",
    ]


PT_PER_MM = 72 / 25.4


def word_boxes(content, tmp_path):
    """Each word on the first page with its box in millimetres from the top left (pdftotext -bbox)."""
    import html
    import re
    import subprocess

    source = tmp_path / "boxes.pdf"
    source.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(source), "-"], check=True, capture_output=True
    )
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out.stdout.decode()
    )
    return [
        (unicodedata.normalize("NFC", html.unescape(text)), *(float(v) / PT_PER_MM for v in box))
        for *box, text in words
    ]


@pytest.mark.parametrize(
    ("name", "smallest_height_mm"),
    [("Đặng Quốc Huy", 9.0), ("Trần Thị Phương Thảo", 7.5), ("Công Tằng Tôn Nữ Thị Phương Thảo Nguyên", 5.5)],
)
def test_badge_name_is_as_large_as_the_box_allows_and_stays_above_the_qr(event, tmp_path, name, smallest_height_mm):
    badge = issued(event, full_name=name, title="Giám đốc sáng tạo nội dung", organization=AGENCY)

    boxes = word_boxes(pdf.render_badges([selectors.badge_print(badge)]), tmp_path)

    person = [box for box in boxes if box[2] > 19]  # below the 19 mm brand band (event name and venue)
    name_words = [box for box in person if box[0] in name.split()][: len(name.split())]
    organization_bottom = max(box[4] for box in person if box[0] in AGENCY.split())
    assert min(box[4] - box[2] for box in name_words) >= smallest_height_mm  # glyph box height ≈ font size
    assert max(box[3] for box in name_words) <= 85  # inside the 90 mm badge's margins
    assert organization_bottom <= 19 + 58  # everything printed stays above the QR code (brand 19 mm + 58 mm)


def test_badge_shows_kol_koc_once(event, tmp_path):
    badge = issued(event, category=Category.KOL)

    text = pdf_text(pdf.render_badges([selectors.badge_print(badge)]), tmp_path)

    assert text.count("KOL / KOC") == 1
