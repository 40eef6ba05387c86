"""VietQR: the NAPAS/EMVCo merchant-presented QR that Vietnamese banking apps scan to prefill a transfer.

The payload is a string of ID-length-value fields (EMV® QRCPS Merchant-Presented
Mode, as profiled by NAPAS for VietQR / "QRIBFTTA", inter-bank transfer to an
account):

  00 "01"                      payload format indicator
  01 "11" static / "12" dynamic (one payment with a fixed amount)
  38 merchant account information (NAPAS):
     00 "A000000727"           NAPAS's GUID
     01 beneficiary: 00 acquirer BIN (6 digits), 01 account number
     02 "QRIBFTTA"             service: fund transfer to an account
  53 "704"                     currency VND (ISO 4217)
  54 amount                    whole đồng
  58 "VN"                      country
  62 additional data: 08 purpose of transaction (the transfer message)
  63 CRC                       CRC-16/CCITT-FALSE over everything before it, including "6304"
"""

import io
import re
import unicodedata

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"


def _field(tag, value):
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as 4 upper-case hex digits (EMVCo §4.7.3)."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def transfer_message(text: str) -> str:
    """The purpose in plain ASCII: banks reject or mangle diacritics in transfer messages."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 .\-]", " ", text).strip()[:25]


def payload(*, bin: str, account: str, amount: int | None = None, purpose: str = "", dynamic: bool | None = None):
    """The VietQR payload string for a transfer to `account` at the bank with NAPAS `bin`.

    With an amount the code is dynamic (point of initiation "12", one payment)
    unless `dynamic` says otherwise.
    """
    if not re.fullmatch(r"\d{6}", bin):
        raise ValueError("The bank BIN has 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account):
        raise ValueError("The account number has 1 to 19 letters or digits")
    if amount is not None and not 0 < amount <= 9_999_999_999_999:
        raise ValueError("The amount must be positive")
    if dynamic is None:
        dynamic = amount is not None
    beneficiary = _field("00", bin) + _field("01", account)
    merchant = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", SERVICE_TRANSFER_TO_ACCOUNT)
    parts = [
        _field("00", "01"),
        _field("01", "12" if dynamic else "11"),
        _field("38", merchant),
        _field("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(_field("54", str(amount)))
    parts.append(_field("58", COUNTRY_VN))
    message = transfer_message(purpose)
    if message:
        parts.append(_field("62", _field("08", message)))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt_false(body)


def parse(text: str) -> dict:
    """Split a payload into {tag: value} (nested templates 38 and 62 as dicts); checks the CRC."""
    if len(text) < 8 or text[-8:-4] != "6304" or crc16_ccitt_false(text[:-4]) != text[-4:].upper():
        raise ValueError("VietQR CRC mismatch")
    return _parse_fields(text[:-8], nested={"38", "62"})


def _parse_fields(text, nested=frozenset()):
    fields, index = {}, 0
    while index < len(text):
        tag, length = text[index : index + 2], int(text[index + 2 : index + 4])
        value = text[index + 4 : index + 4 + length]
        if len(value) != length:
            raise ValueError(f"VietQR field {tag} is truncated")
        fields[tag] = _parse_fields(value, nested={"01"} if tag == "38" else frozenset()) if tag in nested else value
        index += 4 + length
    return fields


def png(text: str, *, box_size=6) -> bytes:
    """The QR code image (PNG) of a payload, for the order page and the receipt."""
    # ~150 ms to import: only processes that draw a payment code pay for it
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()
