"""Fixtures for badges: approved participants with Vietnamese names, and tools to read PDFs back."""

import subprocess
from datetime import date

import pytest
from PIL import Image

from events.enums import Category, EventStatus, ParticipantStatus
from events.models import Event
from tests.events.factories import make_participant


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Each test writes its badge and print files in its own folder (xdist workers share .data/).
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def approved(event):
    return make_participant(
        event,
        full_name="Nguyễn Tiến Cường",
        title="Trung tá",
        organization="Hiệp hội An ninh mạng quốc gia",
        category=Category.REGULATOR,
        status=ParticipantStatus.APPROVED,
    )


@pytest.fixture
def other_event(db):
    return Event.objects.create(
        slug="hoi-thao-2027",
        name_vi="Hội thảo Nền tảng số",
        name_en="Digital Platforms Seminar",
        start_date=date(2027, 9, 1),
        end_date=date(2027, 9, 1),
        status=EventStatus.PUBLISHED,
    )


def pdf_pages(content, tmp_path, dpi=150):
    """Rasterize a PDF with poppler's pdftoppm; returns the pages as PIL images."""
    source = tmp_path / "in.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(tmp_path / "page")], check=True)
    return [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]


def decoded_codes(image):
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


def pdf_text(content, tmp_path):
    source = tmp_path / "text.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True
    ).stdout.decode()


def pdf_page_count(content, tmp_path):
    source = tmp_path / "info.pdf"
    source.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
