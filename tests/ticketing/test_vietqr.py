"""The VietQR payload against published, known-good examples of the format.

Sources (payloads copied verbatim from their documentation):
- subiz/vietqr README.md (github.com/subiz/vietqr): Generate(120000, "970415",
  "0011001932418", "ủng hộ lũ lụt") → the SUBIZ string below.
- cuongnm/viet_qr_pay README (Packagist, PHP): the decoding example for bank BIN
  970416, account 257678859, amount 1000, purpose "Chuyen tien".
- A payOS API response quoted in a public repository (BIN 970422, 2.000 ₫), used
  for the CRC and the parser only.
"""

import io

import pytest
import zxingcpp
from PIL import Image

from ticketing import vietqr

SUBIZ = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)
VIET_QR_PAY = (
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
    "5303704540410005802VN62150811Chuyen tien6304BBB8"
)
PAYOS = (
    "00020101021238570010A000000727012700069704220113VQRQABRLS04480208QRIBFTTA"
    "5303704540420005802VN6224082018f8746b181045f0a2ce63040FC0"
)


def test_payload_matches_the_subiz_example_including_diacritics_stripped():
    assert vietqr.payload(bin="970415", account="0011001932418", amount=120000, purpose="ủng hộ lũ lụt") == SUBIZ


def test_payload_matches_the_viet_qr_pay_example():
    assert vietqr.payload(bin="970416", account="257678859", amount=1000, purpose="Chuyen tien") == VIET_QR_PAY


@pytest.mark.parametrize("published", [SUBIZ, VIET_QR_PAY, PAYOS])
def test_crc_of_published_payloads_checks_out(published):
    assert vietqr.crc16_ccitt_false(published[:-4]) == published[-4:]


def test_crc16_ccitt_false_check_value():
    # The catalogue check value of CRC-16/CCITT-FALSE (a.k.a. CRC-16/IBM-3740) for "123456789".
    assert vietqr.crc16_ccitt_false("123456789") == "29B1"


def test_parse_reads_the_nested_fields_of_a_published_payload():
    fields = vietqr.parse(PAYOS)
    assert fields["38"] == {"00": "A000000727", "01": {"00": "970422", "01": "VQRQABRLS0448"}, "02": "QRIBFTTA"}
    assert (fields["53"], fields["54"], fields["58"]) == ("704", "2000", "VN")
    assert fields["62"] == {"08": "18f8746b181045f0a2ce"}


def test_parse_rejects_a_changed_amount():
    with pytest.raises(ValueError):
        vietqr.parse(SUBIZ.replace("5406120000", "5406920000"))


def test_order_payload_carries_account_exact_amount_and_reference():
    text = vietqr.payload(bin="970436", account="0011004239876", amount=4_500_000, purpose="KOLABC2345")
    fields = vietqr.parse(text)
    assert fields["01"] == "12"  # dynamic: one payment of a fixed amount
    assert fields["38"]["01"] == {"00": "970436", "01": "0011004239876"}
    assert fields["54"] == "4500000"
    assert fields["62"] == {"08": "KOLABC2345"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bin": "97043", "account": "123"},
        {"bin": "970436", "account": "12 34"},
        {"bin": "970436", "account": "123", "amount": 0},
        {"bin": "970436", "account": "123", "amount": -5},
    ],
)
def test_payload_with_bad_input_is_refused(kwargs):
    with pytest.raises(ValueError):
        vietqr.payload(**kwargs)


def test_png_decodes_back_to_the_payload():
    image = Image.open(io.BytesIO(vietqr.png(SUBIZ)))
    [result] = zxingcpp.read_barcodes(image)
    assert result.text == SUBIZ


def top_level_tags(text):
    tags, index = [], 0
    while index < len(text):
        tags.append(text[index : index + 2])
        index += 4 + int(text[index + 2 : index + 4])
    return tags


def test_order_payload_has_its_root_tags_in_ascending_order_with_the_crc_last():
    # EMVCo MPM: root data objects 00–63, "00" first, "63" (CRC) last.
    text = vietqr.payload(bin="970436", account="0011004239876", amount=1_500_000, purpose="KOLABC2345")
    assert top_level_tags(text) == ["00", "01", "38", "53", "54", "58", "62", "63"]


def test_order_reference_fits_the_banking_apps_memo_unchanged():
    from ticketing.models import new_order_code

    codes = [new_order_code() for _ in range(50)]
    # Banking apps keep about 19 unaccented characters of a VietQR message: the reference is 10.
    assert {len(code) for code in codes} == {10}
    assert all(vietqr.transfer_message(code) == code for code in codes)


def test_transfer_message_is_cut_to_the_25_characters_of_tag_62_08():
    assert vietqr.transfer_message("Thanh toán hội nghị KOL toàn quốc 2027") == "Thanh toan hoi nghi KOL t"
