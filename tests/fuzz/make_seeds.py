#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/<target>/ from the layouts in
card-facts.md, the protocol documents and the OASIS PKCS#11 headers. Every
person, number and key in them is made up here; nothing comes from a real
card. Run once and commit the output; the seeds are kept small (a few KB)
so libFuzzer starts from the structure, not from bulk.

    tests/fuzz/make_seeds.py build/share/mynacard/sim/profiles/default/photo.jp2
"""
import datetime
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))


def out(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def length(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    if n < 0x10000:
        return bytes([0x82]) + struct.pack(">H", n)
    return bytes([0x83]) + n.to_bytes(3, "big")


def tlv(tag, value):
    t = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    return t + length(len(value)) + value


def part(data):
    """One Parts element (tests/fuzz/targets/fuzz_target.h)."""
    return struct.pack(">H", len(data)) + data


def my_number(first11):
    """Check digit of 番号法施行規則 §5 (card/records.h)."""
    s = 0
    for n in range(1, 12):
        p = int(first11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        s += p * q
    r = s % 11
    return first11 + str(0 if r <= 1 else 11 - r)


def record_with_offsets(children):
    """FF20 { DF21 offsets, children... } with a true offset table."""
    table_len = 2 * len(children)
    header_guess = tlv(0xFF20, b"\0" * (len(tlv(0xDF21, b"\0" * table_len)) + sum(len(c) for c in children)))
    outer_header = len(header_guess) - (len(tlv(0xDF21, b"\0" * table_len)) + sum(len(c) for c in children))
    pos = outer_header + len(tlv(0xDF21, b"\0" * table_len))
    offsets = b""
    for c in children:
        offsets += struct.pack(">H", pos)
        pos += len(c)
    return tlv(0xFF20, tlv(0xDF21, offsets) + b"".join(children))


# --- tlv ---------------------------------------------------------------------
def tlv_seeds():
    out("tlv", "primitive.bin", tlv(0x02, b"\x05"))
    out("tlv", "constructed_ff20.bin", record_with_offsets([tlv(0xDF22, "試験 花子".encode()), tlv(0xDF24, b"19900101")]))
    out("tlv", "long_length_81.bin", tlv(0xDF22, b"A" * 0x90))
    out("tlv", "long_length_82.bin", tlv(0x30, b"\x00" * 300))
    out("tlv", "ff_filler.bin", tlv(0xFF10, b"123456789012") + b"\xff\xff")
    out("tlv", "invalid_truncated.bin", bytes.fromhex("DF2281FF41"))
    out("tlv", "invalid_indefinite.bin", bytes.fromhex("3080020105 0000".replace(" ", "")))


# --- text AP and its signature (card-facts.md §3.3-3.5) ----------------------
def text_ap_seeds():
    number = my_number("12345678901")
    ef1 = tlv(0xFF10, number.encode()) + b"\xff\xff"
    children = [
        tlv(0xDF22, "試験　花子".encode()),
        tlv(0xDF23, "東京都千代田区試験町一丁目1番1号".encode()),
        tlv(0xDF24, b"19900101"),
        tlv(0xDF25, b"2"),
    ]
    ef2 = record_with_offsets(children)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    digest_part = tlv(0xDF31, hashlib.sha256(ef1).digest())
    # The digest of EF 0002 covers the value from DF22 on.
    outer = ef2
    digest_basic = hashlib.sha256(b"".join(children)).digest()
    digest_part += tlv(0xDF32, digest_basic)
    sig = key.sign(digest_part, padding.PKCS1v15(), hashes.SHA256())
    ef3 = tlv(0xFF30, digest_part + tlv(0xDF33, sig))
    n = key.public_key().public_numbers()
    body = b"\x11" * 16 + b"\x22" * 16 + tlv(0x90, n.e.to_bytes(3, "big")) + tlv(0x91, n.n.to_bytes(256, "big"))
    cv_sig = ca.sign(body, padding.PKCS1v15(), hashes.SHA256())
    ef4 = tlv(0x7F21, tlv(0x5F4E, body) + tlv(0x5F37, cv_sig))
    ca_pub = ca.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    out("text_ap", "valid_signed.bin", part(ef1) + part(ef2) + part(ef3) + part(ef4) + ca_pub)
    out("text_ap", "valid_no_ca_key.bin", part(ef1) + part(ef2) + part(ef3) + part(ef4))
    bad_digit = tlv(0xFF10, (number[:11] + str((int(number[11]) + 1) % 10)).encode()) + b"\xff\xff"
    out("text_ap", "invalid_check_digit.bin", part(bad_digit) + part(ef2))
    wrong_table = tlv(0xFF20, tlv(0xDF21, b"\x00\x00" * 4) + b"".join(children))
    out("text_ap", "invalid_offset_table.bin", part(ef1) + part(wrong_table) + part(ef3) + part(ef4))
    out("text_ap", "invalid_signature.bin", part(ef1) + part(ef2) + part(ef3[:-1] + b"\x00") + part(ef4))
    # The face record target shares the layout family.
    return key


# --- card face record (card-facts.md §4.4) -----------------------------------
def face_seeds(jp2):
    png = bytes.fromhex("89504E470D0A1A0A0000000D4948445200000001000000010806000000")
    children = [
        tlv(0xDF22, b"19900101"),
        tlv(0xDF23, b"2"),
        tlv(0xDF24, b"\x30" * 40),
        tlv(0xDF25, png),
        tlv(0xDF26, png),
        tlv(0xDF27, jp2),
        tlv(0xDF28, b"\x5a" * 256),
        tlv(0xDF29, b"20351231"),
        tlv(0xDF2A, png),
    ]
    out("face_record", "valid.bin", record_with_offsets(children))
    out("face_record", "invalid_missing_photo.bin", record_with_offsets(children[:5] + children[6:]))
    out("face_record", "invalid_repeated_tag.bin", record_with_offsets(children + [tlv(0xDF22, b"19900101")]))
    out("face_record", "invalid_trailing.bin", record_with_offsets(children) + b"\x00")


# --- certificates with JPKI attributes (card-facts.md §8.2) ------------------
def x509_seeds():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Fuzz Seed CA"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "Fuzz Seed Sign CA")])
    now = datetime.datetime(2025, 1, 1)

    def build(subject, issuer, ca, san=None):
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
             .public_key(key.public_key()).serial_number(0x1234567)
             .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1825))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san:
            b = b.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return b.sign(key, hashes.SHA256())

    def other(oid_last, text):
        from cryptography.hazmat.primitives.serialization import Encoding  # noqa: F401
        value = text.encode()
        return x509.OtherName(x509.ObjectIdentifier("1.2.392.200149.8.5.5." + str(oid_last)),
                              tlv(0x0C, value))

    ca = build(ca_name, ca_name, True)
    out("x509", "ca.der", ca.public_bytes(serialization.Encoding.DER))
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                           x509.NameAttribute(NameOID.COMMON_NAME, "FUZZSEED0001")])
    san = [other(1, "試験　花子"), other(2, "00000"), other(3, "2"), other(4, "419900101"),
           other(5, "東京都千代田区試験町一丁目1番1号"), other(6, "0" * 16)]
    sign = build(leaf_name, ca_name, False, san)
    out("x509", "sign_jpki_attributes.der", sign.public_bytes(serialization.Encoding.DER))
    auth = build(leaf_name, ca_name, False)
    out("x509", "auth_no_attributes.der", auth.public_bytes(serialization.Encoding.DER))
    bad = build(leaf_name, ca_name, False, [other(4, "9XXXX")])
    out("x509", "invalid_birth_date.der", bad.public_bytes(serialization.Encoding.DER))
    out("x509", "invalid_truncated.der", sign.public_bytes(serialization.Encoding.DER)[:200])
    out("x509", "pem.txt", auth.public_bytes(serialization.Encoding.PEM))


# --- APDU responses: an operation byte pair, then the card's answers ---------
def apdu_seeds():
    ok = part(b"\x90\x00")
    cert_header = part(bytes.fromhex("30820400") + b"\x90\x00")
    chunk = part(b"\x00" * 255 + b"\x90\x00")
    for op, name, answers in [
        (0, "detect", [ok] * 4),
        (1, "status_tries", [ok, ok, part(b"\x63\xc3"), ok, ok, part(b"\x63\xc5"), ok, ok, part(b"\x63\xca")]),
        (2, "read_auth_cert", [ok, ok, cert_header] + [chunk] * 5),
        (3, "tries_left", [ok, ok, part(b"\x63\xc3")]),
        (4, "sign_auth", [ok, ok, part(b"\x63\xc3"), ok, ok, part(b"\x5a" * 256 + b"\x90\x00"), ok]),
        (6, "verify_text", [ok, ok, part(b"\x63\xc10"[:2]), ok, ok]),
        (7, "change_pin", [ok, ok, part(b"\x63\xc3"), ok, ok, ok]),
        (8, "read_text_ap", [ok, ok, part(b"\x63\xca"), ok, ok, part(b"\xff\x10\x0c" + b"1" * 12 + b"\xff\xff\x90\x00")]),
        (10, "sign_held_pin", [ok, ok, part(b"\x63\xc4"), ok]),
        (11, "verify_last_try_confirmed", [ok, ok, part(b"\x63\xc1"), part(b"\x63\xc0"), ok]),
    ]:
        out("apdu_response", name + ".bin", bytes([op, 1]) + b"".join(answers))
    out("apdu_response", "blocked.bin", bytes([4, 3]) + ok + ok + part(b"\x69\x84") + ok)
    out("apdu_response", "removed_midway.bin", bytes([4, 2]) + ok + ok)
    out("apdu_response", "short_answer.bin", bytes([2, 0]) + part(b"\x90"))


# --- PKCS#11 templates: 4-byte type, flag, then value or length ---------------
def pkcs11_seeds():
    CKA_CLASS, CKA_LABEL, CKA_ID, CKA_VALUE, CKA_MODULUS, CKA_KEY_TYPE, CKA_SUBJECT = 0, 3, 0x102, 0x11, 0x120, 0x100, 0x101
    CKO_CERTIFICATE, CKO_PUBLIC_KEY, CKO_PRIVATE_KEY = 1, 2, 3

    def search(*attrs):
        return b"".join(struct.pack(">IB", t, 1) + part(v) for t, v in attrs)

    def read(*attrs):
        return b"".join(struct.pack(">IBH", t, 1 if n else 0, n) for t, n in attrs)

    ulong = lambda v: struct.pack("<Q", v)  # CK_ULONG on x86-64
    for slot, name, s, r in [
        (0, "certificates", search((CKA_CLASS, ulong(CKO_CERTIFICATE))), read((CKA_VALUE, 0), (CKA_LABEL, 64), (CKA_ID, 2))),
        (0, "private_key", search((CKA_CLASS, ulong(CKO_PRIVATE_KEY))), read((CKA_MODULUS, 256), (CKA_KEY_TYPE, 8), (CKA_VALUE, 16))),
        (1, "sign_public_key", search((CKA_CLASS, ulong(CKO_PUBLIC_KEY)), (CKA_ID, b"\x02")), read((CKA_MODULUS, 1), (CKA_SUBJECT, 0))),
        (0, "everything", b"", read((CKA_CLASS, 8), (CKA_LABEL, 0), (0x80000000, 4))),
        (2, "no_such_slot", b"", b""),
        (0, "wrong_class_size", search((CKA_CLASS, b"\x01")), read((CKA_CLASS, 3))),
    ]:
        out("pkcs11_attributes", name + ".bin", bytes([slot]) + part(s) + part(r) + b"\x00\x00\x00\x01")


def json_seeds():
    out("reference_server", "challenge.json", b"\x00" + json.dumps({"institution_code": "1310000001"}).encode())
    out("reference_server", "challenge_unknown_institution.json", b"\x00" + b'{"institution_code":"9999999999"}')
    check = {"nonce": "NONCE", "institution_code": "1310000001", "time": "2026-01-01T00:00:00Z",
             "consents": ["medication", "checkups"], "certificate": "3082", "signature": "00" * 256}
    out("reference_server", "check_fresh_nonce.json", b"\x01" + json.dumps(check).encode())
    check["nonce"] = "0" * 64
    out("reference_server", "check_unknown_nonce.json", b"\x01" + json.dumps(check).encode())
    out("reference_server", "check_not_json.json", b"\x01{\"nonce\":")
    out("reference_server", "check_wrong_types.json", b"\x01" + b'{"nonce":1,"consents":"x","certificate":[]}')

    out("kiosk_config", "minimal.json", b"{}\n")
    out("kiosk_config", "full.json", json.dumps({
        "reader": "Virtual", "language": "en", "randomise_keypad": True, "pin_timeout_seconds": 60,
        "idle_timeout_seconds": 120, "card_left_alert_seconds": 15,
        "output": {"kind": "unix_socket", "socket_path": "/run/kiosk/app.sock"}, "socket_peer_uid": 1000,
        "text_size": 1.5}, ensure_ascii=False).encode())
    out("kiosk_config", "invalid_unknown_key.json", b'{"langauge":"ja"}')
    out("kiosk_config", "invalid_hash.json", b'{"operator_pin_hash":"pbkdf2-sha256$100000$00$00"}')

    lines = [
        '{"cmd":"ping"}\n{"cmd":"list"}',
        '{"cmd":"insert","reader":0,"profile":"PROFILE"}\n{"cmd":"status","reader":0}\n{"cmd":"remove","reader":0}',
        '{"cmd":"latency","reader":1,"per_apdu_ms":2,"per_byte_us":90,"per_signature_ms":400}\n{"cmd":"latency","reader":1,"clear":true}',
        '{"cmd":"fault","reader":0,"kind":"remove-after","apdus":3}\n{"cmd":"fault","reader":0,"kind":"sw","sw":"6F00","after":1,"times":2}\n{"cmd":"fault","reader":0,"kind":"clear"}',
        '{"cmd":"pinpad","reader":0,"action":"type","pin":"1234"}\n{"cmd":"pinpad","reader":0,"action":"cancel"}\n{"cmd":"pinpad","reader":0,"action":"clear"}',
        '{"cmd":"trace","stats":true}\n{"cmd":"trace","follow":true,"reader":0}\n{"cmd":"trace","clear":true}',
        'not json\n[]\n{"cmd":5}\n{"cmd":"trace","follow":"yes"}',
        '{"cmd":"\xff\xfe"}',
    ]
    for i, text in enumerate(lines):
        out("sim_control", "lines_%d.txt" % i, text.encode("latin-1") if "\xff" in text else text.encode())


def jpeg2000_seeds(photo):
    """From the photo the software card generator draws (mynacard-sim
    profile create: a synthetic face, build/share/mynacard/sim/profiles/
    default/photo.jp2): the JP2 file, its bare codestream, and broken forms."""
    with open(photo, "rb") as f:
        jp2 = f.read()
    out("jpeg2000", "photo.jp2", jp2)
    at = jp2.find(b"jp2c")
    j2k = jp2[at + 4:]
    out("jpeg2000", "photo.j2k", j2k)
    out("jpeg2000", "invalid_truncated.jp2", jp2[: len(jp2) // 2])
    siz = j2k.find(b"\xff\x51")
    if siz >= 0:  # SIZ marker: Xsiz, Ysiz set to 2^31 - 1
        huge = bytearray(j2k)
        huge[siz + 6:siz + 14] = b"\x7f\xff\xff\xff\x7f\xff\xff\xff"
        out("jpeg2000", "invalid_huge_size.j2k", bytes(huge))
    out("jpeg2000", "invalid_not_jpeg2000.bin", b"\x89PNG\r\n\x1a\n")
    return jp2


if __name__ == "__main__":
    tlv_seeds()
    text_ap_seeds()
    if len(sys.argv) != 2:
        sys.exit("usage: make_seeds.py BUILD/share/mynacard/sim/profiles/default/photo.jp2")
    jp2 = jpeg2000_seeds(sys.argv[1])
    face_seeds(jp2)
    x509_seeds()
    apdu_seeds()
    pkcs11_seeds()
    json_seeds()
