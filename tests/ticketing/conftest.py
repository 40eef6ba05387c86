"""Ticketing fixtures: ticket types and quotas of the test event, and a local fake of Stripe's HTTP API."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from .factories import make_business_type

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
