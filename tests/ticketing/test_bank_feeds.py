"""Authenticating and reading SePay and Casso webhook deliveries (no database)."""

import hashlib
import hmac
import json
from datetime import datetime

import pytest

from ticketing.bank_feeds import VIETNAM, InvalidDelivery, MalformedDelivery, read_casso, read_sepay

# Casso's own sample delivery (developer.casso.vn, webhook v2, its PHP verification sample): the
# checksum key, the body and the X-Casso-Signature header it publishes. Verifying it proves the
# signed text is f"{t}.{body with sorted keys}".
CASSO_SAMPLE_KEY = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
CASSO_SAMPLE_BODY = {
    "error": 0,
    "data": {
        "id": 0,
        "reference": "MA_GIAO_DICH_THU_NGHIEM",
        "description": "giao dich thu nghiem",
        "amount": 599000,
        "runningBalance": 25000000,
        "transactionDateTime": "2024-10-03 15:06:37",
        "accountNumber": "88888888",
        "bankName": "VPBank",
        "bankAbbreviation": "VPB",
        "virtualAccountNumber": "",
        "virtualAccountName": "",
        "counterAccountName": "NGUYEN VAN A",
        "counterAccountNumber": "8888888888",
        "counterAccountBankId": "970415",
        "counterAccountBankName": "VietinBank",
    },
}
CASSO_SAMPLE_SIGNATURE = (
    "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e2249"
    "00fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"
)

SEPAY_BODY = {
    "id": 92704,
    "gateway": "Vietcombank",
    "transactionDate": "2026-11-27 14:02:37",
    "accountNumber": "0011004239876",
    "code": None,
    "content": "KOLABC2345 thanh toan the hoi nghi",
    "transferType": "in",
    "transferAmount": 1500000,
    "accumulated": 19077000,
    "subAccount": None,
    "referenceCode": "MBVCB.3278907687",
    "description": "",
}


def casso_signature(body: dict, key: str, timestamp="1764226957000"):
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hmac.new(key.encode(), f"{timestamp}.{text}".encode(), hashlib.sha512).hexdigest()
    return f"t={timestamp},v1={digest}"


def test_casso_published_sample_is_accepted_whatever_the_key_order_on_the_wire():
    wire = json.dumps({"data": dict(reversed(CASSO_SAMPLE_BODY["data"].items())), "error": 0}, indent=2).encode()
    credit = read_casso(wire, CASSO_SAMPLE_SIGNATURE, secret=CASSO_SAMPLE_KEY)
    assert (credit.transaction_id, credit.amount, credit.content, credit.bank_reference, credit.account) == (
        "0",
        599000,
        "giao dich thu nghiem",
        "MA_GIAO_DICH_THU_NGHIEM",
        "88888888",
    )
    assert credit.incoming is True
    assert credit.occurred_at == datetime(2024, 10, 3, 15, 6, 37, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=1727948258788",
        CASSO_SAMPLE_SIGNATURE.replace("v1=ed0a", "v1=ed0b"),
        CASSO_SAMPLE_SIGNATURE.replace("t=1727948258788", "t=1727948258789"),
    ],
)
def test_casso_missing_or_forged_signature_is_refused(signature):
    with pytest.raises(InvalidDelivery):
        read_casso(json.dumps(CASSO_SAMPLE_BODY).encode(), signature, secret=CASSO_SAMPLE_KEY)


def test_casso_body_changed_after_signing_is_refused():
    changed = json.loads(json.dumps(CASSO_SAMPLE_BODY))
    changed["data"]["amount"] = 5_990_000
    with pytest.raises(InvalidDelivery):
        read_casso(json.dumps(changed).encode(), CASSO_SAMPLE_SIGNATURE, secret=CASSO_SAMPLE_KEY)


def test_casso_without_a_configured_key_refuses_everything():
    with pytest.raises(InvalidDelivery):
        read_casso(json.dumps(CASSO_SAMPLE_BODY).encode(), CASSO_SAMPLE_SIGNATURE, secret="")


def test_casso_money_out_is_read_as_outgoing():
    body = json.loads(json.dumps(CASSO_SAMPLE_BODY))
    body["data"]["amount"] = -200000
    credit = read_casso(json.dumps(body).encode(), casso_signature(body, "k"), secret="k")
    assert (credit.incoming, credit.amount) == (False, 200000)


def test_casso_vietnamese_message_signed_either_way_is_accepted():
    body = json.loads(json.dumps(CASSO_SAMPLE_BODY))
    body["data"]["description"] = "Công ty Ánh Dương chuyển tiền KOLABC2345"
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    digest = hmac.new(b"k", f"1.{text}".encode(), hashlib.sha512).hexdigest()
    for signature in (f"t=1,v1={digest}", casso_signature(body, "k", timestamp="1")):
        assert read_casso(json.dumps(body).encode(), signature, secret="k").content == body["data"]["description"]


def test_sepay_delivery_with_the_api_key_is_read():
    credit = read_sepay(json.dumps(SEPAY_BODY).encode(), "Apikey s3cr3t-key", api_key="s3cr3t-key")
    assert (credit.transaction_id, credit.amount, credit.bank_reference, credit.incoming) == (
        "92704",
        1500000,
        "MBVCB.3278907687",
        True,
    )
    assert credit.occurred_at == datetime(2026, 11, 27, 14, 2, 37, tzinfo=VIETNAM)


@pytest.mark.parametrize("header", ["", "Apikey wrong", "Bearer s3cr3t-key", "s3cr3t-key", "Apikey s3cr3t-key2"])
def test_sepay_wrong_or_missing_key_is_refused(header):
    with pytest.raises(InvalidDelivery):
        read_sepay(json.dumps(SEPAY_BODY).encode(), header, api_key="s3cr3t-key")


def test_sepay_without_a_configured_key_refuses_even_an_empty_key():
    with pytest.raises(InvalidDelivery):
        read_sepay(json.dumps(SEPAY_BODY).encode(), "Apikey ", api_key="")


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({**SEPAY_BODY, "transferAmount": "1500000"}).encode(),
        json.dumps({**SEPAY_BODY, "transferAmount": 1500000.5}).encode(),
        json.dumps({**SEPAY_BODY, "transferAmount": -1}).encode(),
        json.dumps({k: v for k, v in SEPAY_BODY.items() if k != "id"}).encode(),
        json.dumps({**SEPAY_BODY, "id": {"$gt": 0}}).encode(),
        b"{" + b" " * (64 * 1024) + b"}",
    ],
)
def test_sepay_authenticated_but_unreadable_delivery_is_malformed(body):
    with pytest.raises(MalformedDelivery):
        read_sepay(body, "Apikey k", api_key="k")
