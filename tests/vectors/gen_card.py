#!/usr/bin/env python3
"""Card-protocol vectors: APDU scripts for the JPKI client, written from card.md by hand.

This is an independent oracle: it knows the byte sequences of card.md §3 and §5 and the status words of
§3.1, not onshi's Rust code. Each case is a procedure, its input, the exchanges (command the client must
send, response the card gives) and the outcome. Every binding replays the cases through its own card
transport.

    python3 tests/vectors/gen_card.py > tests/vectors/card.json
"""
import hashlib
import json

JPKI_AID = "D392F000260100000001"
KENMEN_AID = "D39210003100010104 08".replace(" ", "")
DIGEST_INFO_PREFIX = "3031300D060960864801650304020105000420"


def select_ap(aid):
    return "00A4040C0A" + aid


def select_ef(ef):
    return "00A4020C02" + ef


def read(offset, le):
    return "00B0%04X%02X" % (offset, le % 256)


VERIFY_EMPTY = "00200080"


def verify(pin):
    return "0020008004" + pin.encode("ascii").hex().upper()


def sign(challenge):
    digest = hashlib.sha256(challenge).hexdigest().upper()
    return "802A008033" + DIGEST_INFO_PREFIX + digest + "00"


OK = "9000"


def label(text, pad=b" "):
    return text.encode("ascii").ljust(32, pad).hex().upper() + OK


def cert(length):
    """A DER-shaped SEQUENCE of `length` bytes in all (the client only reads its header)."""
    body = bytes((i * 7 + 3) % 256 for i in range(length - 4))
    return ("3082%04X" % (length - 4)) + body.hex().upper()


def reads(full_hex, first=256, returned=None):
    """READ BINARY exchanges for a file: first block of `first`, then the rest in 256-byte blocks.

    `returned` caps how many bytes the card gives per READ (cards may return fewer than asked)."""
    data = bytes.fromhex(full_hex)
    out, offset = [], 0
    le = first
    while offset < len(data):
        give = min(le, len(data) - offset, returned or 256)
        out.append([read(offset, le), data[offset:offset + give].hex().upper() + OK])
        offset += give
        le = min(256, len(data) - offset)
    return out


SIGNATURE = bytes((i * 13 + 5) % 256 for i in range(256)).hex().upper()

cases = []


def case(name, procedure, input_, exchanges, expect):
    cases.append({"name": name, "procedure": procedure, "input": input_, "exchanges": exchanges,
                  "expect": expect})


def tries(n):
    return {"state": "tries_left", "tries_left": n}


# --- probe: token label and tries left, without spending one -------------------------------------
PROBE_HEAD = [[select_ap(JPKI_AID), OK], [select_ef("0006"), OK]]
for token, text, pad in [("card", "JPKIAPICCTOKEN2", b" "), ("card", "JPKIAPICCTOKEN", b"\0"),
                         ("android", "JPKIAPGPSETOKEN", b" "), ("iphone", "JPKIAPIOSTOKEN", b" ")]:
    padding = "NUL" if pad == b"\0" else "spaces"
    case(f"probe {text} padded with {padding}", "probe", {},
         PROBE_HEAD + [[read(0, 32), label(text, pad)], [select_ef("0018"), OK], [VERIFY_EMPTY, "63C3"]],
         {"ok": {"token": token, "pin": tries(3)}})
CARD_LABEL = [[read(0, 32), label("JPKIAPICCTOKEN2")], [select_ef("0018"), OK]]
case("probe: 63 C1 is one try left", "probe", {}, PROBE_HEAD + CARD_LABEL + [[VERIFY_EMPTY, "63C1"]],
     {"ok": {"token": "card", "pin": tries(1)}})
case("probe: 63 C0 is locked", "probe", {}, PROBE_HEAD + CARD_LABEL + [[VERIFY_EMPTY, "63C0"]],
     {"ok": {"token": "card", "pin": {"state": "locked"}}})
case("probe: 69 84 is locked too", "probe", {}, PROBE_HEAD + CARD_LABEL + [[VERIFY_EMPTY, "6984"]],
     {"ok": {"token": "card", "pin": {"state": "locked"}}})
case("probe: 90 00 after a VERIFY in the same session", "probe", {},
     PROBE_HEAD + CARD_LABEL + [[VERIFY_EMPTY, OK]], {"ok": {"token": "card", "pin": {"state": "verified"}}})
case("probe: no JPKI application", "probe", {}, [[select_ap(JPKI_AID), "6A82"]],
     {"error": {"code": "CARD_NOT_JPKI"}})
case("probe: an unknown label is not a JPKI token", "probe", {},
     PROBE_HEAD + [[read(0, 32), label("SOMEOTHERTOKEN")]], {"error": {"code": "CARD_NOT_JPKI"}})
case("probe: a one-byte response", "probe", {}, [[select_ap(JPKI_AID), "90"]],
     {"error": {"code": "CARD_MALFORMED_RESPONSE"}})
case("probe: an empty response", "probe", {}, [[select_ap(JPKI_AID), ""]],
     {"error": {"code": "CARD_MALFORMED_RESPONSE"}})
case("probe: unexpected status on the PIN EF", "probe", {},
     PROBE_HEAD + [[read(0, 32), label("JPKIAPICCTOKEN2")], [select_ef("0018"), "6A82"]],
     {"error": {"code": "CARD_UNEXPECTED_STATUS"}})

# --- authenticate: PIN, signature, certificate ------------------------------------------------------
CHALLENGE = b"onshi challenge 0001"
AUTH_INPUT = {"pin": "1234", "challenge": CHALLENGE.hex().upper(), "last_try": "refuse", "certificate": "read"}
AUTH_HEAD = [[select_ap(JPKI_AID), OK], [select_ef("0018"), OK]]
SIGN_OK = [[select_ef("0017"), OK], [sign(CHALLENGE), SIGNATURE + OK]]

for length in (304, 1200, 1536, 1573):
    c = cert(length)
    case(f"authenticate reading a {length}-byte certificate", "authenticate", AUTH_INPUT,
         AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), OK]] + SIGN_OK + [[select_ef("000A"), OK]]
         + reads(c), {"ok": {"signature": SIGNATURE, "certificate": c}})
c = cert(700)
case("authenticate: the card returns fewer bytes than asked", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), OK]] + SIGN_OK + [[select_ef("000A"), OK]]
     + reads(c, returned=100), {"ok": {"signature": SIGNATURE, "certificate": c}})
case("authenticate with the certificate known: 6 APDUs", "authenticate", dict(AUTH_INPUT, certificate="known"),
     AUTH_HEAD + [[VERIFY_EMPTY, "63C2"], [verify("1234"), OK]] + SIGN_OK,
     {"ok": {"signature": SIGNATURE, "certificate": None}})
case("authenticate: empty VERIFY answered 90 00 still sends the PIN", "authenticate",
     dict(AUTH_INPUT, certificate="known"), AUTH_HEAD + [[VERIFY_EMPTY, OK], [verify("1234"), OK]] + SIGN_OK,
     {"ok": {"signature": SIGNATURE, "certificate": None}})
for left in (2, 1, 0):
    case(f"authenticate: wrong PIN, 63 C{left}", "authenticate", dict(AUTH_INPUT, pin="9999", last_try="allow"),
         AUTH_HEAD + [[VERIFY_EMPTY, "63C%d" % (left + 1)], [verify("9999"), "63C%d" % left]],
         {"error": {"code": "PIN_WRONG", "tries_left": left}})
case("authenticate: one try left is not spent unconfirmed", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C1"]], {"error": {"code": "PIN_LAST_TRY"}})
case("authenticate: one try left, confirmed", "authenticate", dict(AUTH_INPUT, last_try="allow", certificate="known"),
     AUTH_HEAD + [[VERIFY_EMPTY, "63C1"], [verify("1234"), OK]] + SIGN_OK,
     {"ok": {"signature": SIGNATURE, "certificate": None}})
case("authenticate: locked PIN, nothing sent", "authenticate", dict(AUTH_INPUT, last_try="allow"),
     AUTH_HEAD + [[VERIFY_EMPTY, "63C0"]], {"error": {"code": "PIN_LOCKED"}})
case("authenticate: locked PIN answered 69 84", "authenticate", dict(AUTH_INPUT, last_try="allow"),
     AUTH_HEAD + [[VERIFY_EMPTY, "6984"]], {"error": {"code": "PIN_LOCKED"}})
case("authenticate: VERIFY answered 69 84", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), "6984"]], {"error": {"code": "PIN_LOCKED"}})
case("authenticate: signature refused 69 82", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), OK], [select_ef("0017"), OK],
                  [sign(CHALLENGE), "6982"]], {"error": {"code": "CARD_SECURITY_STATUS"}})
case("authenticate: a short signature", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), OK], [select_ef("0017"), OK],
                  [sign(CHALLENGE), SIGNATURE[2:] + OK]], {"error": {"code": "CARD_MALFORMED_RESPONSE"}})
case("authenticate: certificate shorter than its header", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), OK]] + SIGN_OK + [[select_ef("000A"), OK],
                  [read(0, 256), cert(1200)[:512] + OK], [read(256, 256), "6B00"]],
     {"error": {"code": "CARD_MALFORMED_RESPONSE"}})
case("authenticate: certificate EF that is not DER", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), OK]] + SIGN_OK + [[select_ef("000A"), OK],
                  [read(0, 256), "FFFF" * 10 + OK]], {"error": {"code": "CARD_MALFORMED_RESPONSE"}})
case("authenticate: an empty read before the end", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), OK]] + SIGN_OK + [[select_ef("000A"), OK],
                  [read(0, 256), OK]], {"error": {"code": "CARD_MALFORMED_RESPONSE"}})
case("authenticate: unknown status on VERIFY", "authenticate", AUTH_INPUT,
     AUTH_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("1234"), "6A80"]], {"error": {"code": "CARD_UNEXPECTED_STATUS"}})

# --- read the certificate alone ----------------------------------------------------------------------
c = cert(1573)
case("read certificate without PIN (plastic card)", "read_certificate", {},
     [[select_ap(JPKI_AID), OK], [select_ef("000A"), OK]] + reads(c), {"ok": {"certificate": c}})
case("read certificate: smartphone token wants the PIN first", "read_certificate", {},
     [[select_ap(JPKI_AID), OK], [select_ef("000A"), OK], [read(0, 256), "6982"]],
     {"error": {"code": "CARD_SECURITY_STATUS"}})


# --- 券面事項入力補助AP: basic four ----------------------------------------------------------------
def tlv(tag, value):
    n = len(value)
    length = bytes([n]) if n < 0x80 else (bytes([0x81, n]) if n < 0x100 else bytes([0x82, n >> 8, n & 0xFF]))
    return tag + length + value


def basic_info(name, address, birth, sex):
    body = (tlv(b"\xDF\x21", bytes(8)) + tlv(b"\xDF\x22", name.encode()) + tlv(b"\xDF\x23", address.encode())
            + tlv(b"\xDF\x24", birth.encode()) + tlv(b"\xDF\x25", sex.encode()))
    return tlv(b"\xFF\x20", body).hex().upper()


KENMEN_HEAD = [[select_ap(KENMEN_AID), OK], [select_ef("0011"), OK]]
info = basic_info("番号　花子", "東京都千代田区霞が関１丁目２番２号" * 3, "19500401", "2")
case("read basic four with the helper PIN", "read_basic_info", {"pin": "4321", "last_try": "refuse"},
     KENMEN_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("4321"), OK], [select_ef("0002"), OK]] + reads(info),
     {"ok": {"name": "番号　花子", "address": "東京都千代田区霞が関１丁目２番２号" * 3, "birth_date": "19500401",
             "sex": "female"}})
case("read basic four: wrong helper PIN", "read_basic_info", {"pin": "0000", "last_try": "refuse"},
     KENMEN_HEAD + [[VERIFY_EMPTY, "63C3"], [verify("0000"), "63C2"]],
     {"error": {"code": "PIN_WRONG", "tries_left": 2}})
case("read basic four: helper AP missing", "read_basic_info", {"pin": "4321", "last_try": "refuse"},
     [[select_ap(KENMEN_AID), "6A82"]], {"error": {"code": "CARD_NOT_JPKI"}})

# --- PINs refused before anything is sent ----------------------------------------------------------
for pin, code in [("123", "PIN_WRONG_LENGTH"), ("12345", "PIN_WRONG_LENGTH"), ("12a4", "PIN_NOT_DIGITS"),
                  ("１２３４", "PIN_NOT_DIGITS"), ("", "PIN_WRONG_LENGTH")]:
    case(f"authenticate: PIN {pin!r} refused before any APDU", "authenticate", dict(AUTH_INPUT, pin=pin), [],
         {"error": {"code": code}})

print(json.dumps({
    "about": "JPKI client APDU scripts (card.md §3, §5); generated by tests/vectors/gen_card.py",
    "cases": cases,
}, ensure_ascii=False, indent=1))
