import pytest

from ticketing import codes, pdf

PRIVATE, PUBLIC = codes.new_key_pair()
OTHER_PRIVATE, OTHER_PUBLIC = codes.new_key_pair()


def sign(**fields):
    values = {"event_id": 7, "participant_id": 1234, "version": 1, **fields}
    return codes.sign_code(PRIVATE, **values)


def test_verify_code_returns_the_signed_claim():
    code = sign(event_id=7, participant_id=1234, version=3)

    assert codes.verify_code(PUBLIC, code) == codes.BadgeClaim(event_id=7, participant_id=1234, version=3)


def test_code_is_113_base45_characters():
    code = sign()

    assert len(code) == 113
    assert set(code) <= set(codes.BASE45_ALPHABET)


def test_code_fits_qr_version_5_at_error_correction_m():
    # Measured: 113 alphanumeric characters need version 5 at M (37 × 37 modules)
    # and version 7 at Q. An Ed25519 signature alone is 64 bytes, so 5-M is the floor.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_Q

    code = sign(event_id=2**32 - 1, participant_id=2**32 - 1, version=2**16 - 1)
    at_q = qrcode.QRCode(error_correction=ERROR_CORRECT_Q)
    at_q.add_data(code, optimize=0)
    at_q.make(fit=True)

    assert pdf.qr_version(code) == 5
    assert at_q.version == 7


def test_verify_code_with_one_changed_character_fails_at_every_position():
    code = sign()
    failures = 0
    for position, char in enumerate(code):
        replacement = "A" if char != "A" else "B"
        tampered = code[:position] + replacement + code[position + 1 :]
        with pytest.raises(codes.CodeError):
            codes.verify_code(PUBLIC, tampered)
        failures += 1

    assert failures == 113


def test_verify_code_signed_by_another_events_key_fails():
    code = codes.sign_code(OTHER_PRIVATE, event_id=7, participant_id=1234, version=1)

    with pytest.raises(codes.CodeError) as error:
        codes.verify_code(PUBLIC, code)

    assert error.value.reason == "bad_signature"


@pytest.mark.parametrize(
    "text,reason",
    [("", "malformed"), ("not a code", "malformed"), ("abc", "malformed"), ("00", "malformed"), ("GGW", "malformed")],
)
def test_verify_code_rejects_malformed_text(text, reason):
    with pytest.raises(codes.CodeError) as error:
        codes.verify_code(PUBLIC, text)

    assert error.value.reason == reason


def test_verify_code_rejects_an_unknown_format_version():
    raw = bytearray(codes.b45decode(sign()))
    raw[0] = 2

    with pytest.raises(codes.CodeError) as error:
        codes.verify_code(PUBLIC, codes.b45encode(bytes(raw)))

    assert error.value.reason == "unknown_format"


@pytest.mark.parametrize("data", [b"", b"\x00", b"\xff\xff", b"Hello!!", bytes(range(256))])
def test_base45_round_trip(data):
    assert codes.b45decode(codes.b45encode(data)) == data


def test_base45_matches_rfc_9285_examples():
    assert codes.b45encode(b"AB") == "BB8"
    assert codes.b45encode(b"Hello!!") == "%69 VD92EX0"
    assert codes.b45encode(b"base-45") == "UJCLQE7W581"


def test_private_key_is_stored_encrypted():
    encrypted, public = codes.new_key_pair()

    assert len(public) == 32
    assert encrypted.startswith("gAAAA")  # a Fernet token, not the raw key
    assert len(encrypted) > 100


def test_sign_with_a_key_encrypted_under_another_secret_is_a_server_error_not_a_forgery(settings):
    settings.SECRET_KEY = "another secret key for this test only, long enough to be real"

    with pytest.raises(RuntimeError):
        sign()
