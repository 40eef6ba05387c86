"""The bank-transaction webhooks of SePay and Casso: authenticating a delivery and reading its transfer.

Nothing here touches the database; services.transfers applies what this reads.

SePay (developer.sepay.vn, "SePay Webhooks"): a JSON POST per transaction,
authenticated here by the "API Key" method, header `Authorization: Apikey <key>`.
Body fields used: `id` (SePay's transaction id, unique: the idempotency key),
`transferType` ("in" or "out"), `transferAmount`, `content` (the transfer
message), `referenceCode` (the bank's reference, e.g. "MBVCB.3278907687"),
`transactionDate` ("2026-11-27 14:02:37", Vietnam time), `accountNumber`.

Casso (developer.casso.vn, webhook v2): a JSON POST `{"error": 0, "data": {...}}`
with header `X-Casso-Signature: t=<unix ms>,v1=<hex>`, where v1 is
HMAC-SHA512(key, f"{t}.{body}") and body is the JSON document with the keys of
every object sorted, written without spaces (as JSON.stringify writes it).
Fields used: `data.id`, `data.amount` (negative for money out), `data.description`,
`data.reference`, `data.transactionDateTime`, `data.accountNumber`.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

MAX_BODY_BYTES = 64 * 1024
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class InvalidDelivery(Exception):
    """Not from the service (missing or wrong key or signature): answered 401, nothing read."""


class MalformedDelivery(Exception):
    """Authenticated, but not a transaction this code can read: answered 400 so the service shows it."""


@dataclass(frozen=True)
class BankCredit:
    """One line of money on the account, whatever reported it; `incoming` False for money out."""

    transaction_id: str
    amount: int
    content: str
    bank_reference: str = ""
    occurred_at: datetime | None = None
    account: str = ""
    incoming: bool = True


def read_sepay(body: bytes, authorization: str, *, api_key: str) -> BankCredit:
    """Check SePay's API key header, then read the delivery's transaction."""
    if not api_key:
        raise InvalidDelivery("SePay webhook key not configured")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "apikey" or not hmac.compare_digest(given.strip().encode(), api_key.encode()):
        raise InvalidDelivery("wrong SePay API key")
    data = _json_object(body)
    try:
        return BankCredit(
            transaction_id=_text(data["id"], 64),
            amount=_whole_dong(data["transferAmount"]),
            content=_text(data.get("content") or "", 500),
            bank_reference=_text(data.get("referenceCode") or "", 120),
            occurred_at=_local_time(data.get("transactionDate")),
            account=_text(data.get("accountNumber") or "", 40),
            incoming=data["transferType"] == "in",
        )
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedDelivery(f"SePay delivery: {error!r}") from error


def read_casso(body: bytes, signature: str, *, secret: str) -> BankCredit:
    """Check Casso's v2 signature over the sorted body, then read its transaction."""
    if not secret:
        raise InvalidDelivery("Casso webhook key not configured")
    match = re.fullmatch(r"t=(\d{1,16}),v1=([0-9a-fA-F]{128})", (signature or "").strip())
    if match is None:
        raise InvalidDelivery("missing or malformed X-Casso-Signature")
    document = _json_object(body, auth_failure=True)
    if not any(
        hmac.compare_digest(expected, match.group(2).lower())
        for expected in _casso_signatures(match.group(1), document, secret)
    ):
        raise InvalidDelivery("wrong Casso signature")
    try:
        data = document["data"]
        amount = int(data["amount"])
        return BankCredit(
            transaction_id=_text(data["id"], 64),
            amount=abs(amount),
            content=_text(data.get("description") or "", 500),
            bank_reference=_text(data.get("reference") or "", 120),
            occurred_at=_local_time(data.get("transactionDateTime")),
            account=_text(data.get("accountNumber") or "", 40),
            incoming=amount > 0,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedDelivery(f"Casso delivery: {error!r}") from error


def _casso_signatures(timestamp, document, secret):
    # JSON.stringify leaves non-ASCII as is; PHP's json_encode (Casso's PHP sample) escapes it:
    # either rendering of the same sorted document is accepted.
    for ascii_only in (False, True):
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=ascii_only)
        yield hmac.new(secret.encode(), f"{timestamp}.{text}".encode(), hashlib.sha512).hexdigest()


def _json_object(body, *, auth_failure=False):
    if len(body) > MAX_BODY_BYTES:
        raise MalformedDelivery("body too large")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        # Casso's signature covers the parsed document: an unreadable body cannot be authenticated.
        raise (InvalidDelivery if auth_failure else MalformedDelivery)("body is not JSON") from error
    if not isinstance(data, dict):
        raise (InvalidDelivery if auth_failure else MalformedDelivery)("body is not a JSON object")
    return data


def _text(value, limit):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("expected text")
    return str(value).strip()[:limit]


def _whole_dong(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < 0:
        raise ValueError("amount in whole đồng expected")
    return int(value)


def _local_time(value):
    """'2026-11-27 14:02:37' (both services write Vietnam's local time) as an aware datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip()[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=VIETNAM)
    except ValueError:
        return None
