"""Fixtures for badges: approved participants with Vietnamese names, and tools to read PDFs back."""

import json
import subprocess
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import Group, User
from PIL import Image

from events.enums import Category, EventStatus, ParticipantStatus
from events.models import Event
from events.permissions import DOOR_SUPERVISOR
from tests.events.factories import make_participant
from ticketing import services

from .factories import make_business_type


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


STRIPE_KEY = "sk_test_kol2027"
WEBHOOK_SECRET = "whsec_kol2027_test"


@pytest.fixture
def business_type(event):
    return make_business_type(event, seats=10)


@pytest.fixture
def bank_settings(settings):
    settings.VIETQR_BANK = {
        "bin": "970436",
        "account": "0011004239876",
        "account_name": "HIEP HOI AN NINH MANG QUOC GIA",
        "bank_name": "Vietcombank",
    }
    return settings.VIETQR_BANK


class FakeStripe:
    """Stripe's HTTP API as far as we use it: checkout sessions and refunds, honouring Idempotency-Key."""

    def __init__(self):
        self.requests = []  # (method, path, form fields, headers)
        self.replies = {}  # idempotency key -> reply
        self.refunds = 0
        self.fail_with = None  # (status, error body) to simulate a refusal

    def handle(self, method, path, form, headers):
        self.requests.append((method, path, form, headers))
        if self.fail_with:
            return self.fail_with
        key = headers.get("Idempotency-Key")
        if key in self.replies:
            return 200, self.replies[key]
        if path == "/v1/checkout/sessions":
            number = len(self.replies) + 1
            reply = {
                "id": f"cs_test_{number}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/pay/cs_test_{number}",
                "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
                "currency": form["line_items[0][price_data][currency]"],
                "client_reference_id": form["client_reference_id"],
                "payment_status": "unpaid",
            }
        elif path == "/v1/refunds":
            self.refunds += 1
            reply = {
                "id": f"re_test_{self.refunds}",
                "object": "refund",
                "amount": int(form["amount"]),
                "payment_intent": form["payment_intent"],
                "status": "succeeded",
            }
        else:
            return 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}}
        self.replies[key] = reply
        return 200, reply

    def posts(self, path):
        return [request for request in self.requests if request[1] == path]


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            form = {key: values[0] for key, values in parse_qs(body).items()}
            status, reply = fake.handle("POST", self.path, form, dict(self.headers))
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = STRIPE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    yield fake
    server.shutdown()
    server.server_close()


# --- Door check-in ------------------------------------------------------------


@pytest.fixture
def holder(open_event):
    participant = make_participant(
        open_event,
        full_name="Trần Thị Thu Hằng",
        title="Giám đốc",
        organization="Công ty Truyền thông Sao Việt",
        category=Category.KOL,
        status=ParticipantStatus.APPROVED,
    )
    services.issue_badge(participant)
    participant.refresh_from_db()
    return participant


@pytest.fixture
def supervisor(db):
    user = User.objects.create_user(username="truongca", password="pw-truongca")
    user.groups.add(Group.objects.get(name=DOOR_SUPERVISOR))
    return user
