#!/usr/bin/env python3
"""Writes ids.json, the identifier conformance vectors every onshi layer replays.

An independent implementation of the rules in the domain reference (identifiers.md), written apart
from onshi-core on purpose: where the two disagree, a vector fails. Deterministic: run it again and
the file is the same. Usage: python3 tests/vectors/gen_ids.py > tests/vectors/ids.json
"""
import json
import random
import sys

rng = random.Random(20261121)

LISTED_INSURANCE = [1, 2, 3, 4, 6, 7, 31, 32, 33, 34, 39, 63, 67, 72, 73, 74, 75]
PUBLIC_EXPENSE_NAMED = [12, 15, 54]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
TEXT_MAX = 38


def check_digit(body: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(body)):
        p = int(ch) * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return (10 - total % 10) % 10


def full(body: str) -> str:
    return body + str(check_digit(body))


def digits(n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def wrong(valid: str) -> tuple[str, int]:
    expected = int(valid[-1])
    bad = (expected + rng.randrange(1, 10)) % 10
    return valid[:-1] + str(bad), expected


cases = []


def ok(kind, input, canonical, warnings=0, note=""):
    cases.append({"kind": kind, "input": input, "note": note,
                  "expect": {"valid": True, "canonical": canonical, "warnings": warnings}})


def err(kind, input, error, expected_digit=None, note=""):
    expect = {"valid": False, "error": error}
    if expected_digit is not None:
        expect["expected_digit"] = expected_digit
    cases.append({"kind": kind, "input": input, "note": note, "expect": expect})


def pref() -> str:
    return f"{rng.randint(1, 47):02d}"


# 保険者番号 -----------------------------------------------------------------------------
K = "insurer_number"
for v in ["01130012", "33120015", "39131008", "06130017"]:
    ok(K, v, v, note="worked example")
for v in ["131011", "131045"]:
    ok(K, v, v, note="worked example, 国保")
for law in LISTED_INSURANCE:
    for _ in range(2):
        v = full(f"{law:02d}" + pref() + digits(3))
        ok(K, v, v, note=f"法別 {law:02d}")
for _ in range(10):
    v = full(pref() + digits(3))
    ok(K, v, v, note="国保")
for _ in range(8):
    v = full(pref() + digits(3))
    ok(K, v.rjust(8), v, note="XML space-padded 国保")
for _ in range(8):
    v = full(rng.choice(["01", "06", "39"]) + pref() + digits(3))
    ok(K, v.translate(FULL), v, note="full-width digits")
ok(K, "\u3000０１１３００１２\u3000", "01130012", note="全角 spaces around full-width digits")
ok(K, " 01130012\t", "01130012", note="ASCII spaces and tab around")
for law in [5, 8, 12, 50, 99]:
    v = full(f"{law:02d}" + pref() + digits(3))
    ok(K, v, v, warnings=1, note="unlisted 法別: warning, not error")
err(K, "01130013", "check_digit", 2, note="worked example of a wrong digit")
for _ in range(12):
    v = full(rng.choice(["01", "06", "31", "39"]) + pref() + digits(3))
    bad, expected = wrong(v)
    err(K, bad, "check_digit", expected)
for _ in range(6):
    bad, expected = wrong(full(pref() + digits(3)))
    err(K, bad, "check_digit", expected, note="国保")
for s in ["", "   ", "\u3000"]:
    err(K, s, "empty")
for s in ["1", "12345", "1234567", "123456789", "0113001200"]:
    err(K, s, "length")
for s in ["0113001A", "01-130012", "０１１３００１２ｘ", "01 130012", "abc", "O1130012", "01130012号", "-131011"]:
    err(K, s, "characters")
for p in ["00", "48", "99", "50"]:
    err(K, full("01" + p + digits(3)), "prefecture", note="8-digit")
    err(K, full(p + digits(3)), "prefecture", note="6-digit 国保")

# 記号・番号 ------------------------------------------------------------------------------
for K in ["insured_card_symbol", "insured_identification_number"]:
    for v in ["0001", "111111", "北ア", "ｱｲｳ", "12-34", "ABC123", "東京123"]:
        ok(K, v, v)
    ok(K, "０００１", "0001", note="full-width digits normalised")
    ok(K, " 111111 ", "111111", note="surrounding spaces trimmed")
    ok(K, "\u3000北ア１２\u3000", "北ア12", note="全角 spaces trimmed, full-width digits only normalised")
    ok(K, "ＡＢ１", "ＡＢ1", note="full-width letters kept as typed")
    ok(K, "1" * TEXT_MAX, "1" * TEXT_MAX, note="at the length limit")
    err(K, "1" * (TEXT_MAX + 1), "too_long")
    err(K, "あ" * (TEXT_MAX + 5), "too_long")
    for s in ["", "  ", "\u3000\u3000"]:
        err(K, s, "empty")
    for s in ["12\t34", "12\n34", "\u000012", "ab\u007fc"]:
        err(K, s, "characters")

# 枝番 -----------------------------------------------------------------------------------
K = "insured_branch_number"
for v in ["00", "01", "02", "10", "99"]:
    ok(K, v, v)
ok(K, "０１", "01", note="full-width")
ok(K, " 03 ", "03")
for s in ["1", "001", "123"]:
    err(K, s, "length")
for s in ["", " "]:
    err(K, s, "empty")
for s in ["a1", "1-", "一二", "0１ｂ"]:
    err(K, s, "characters")

# 公費負担者番号 ---------------------------------------------------------------------------
K = "public_expense_number"
ok(K, "12130019", "12130019", note="worked example")
for law in PUBLIC_EXPENSE_NAMED:
    for _ in range(5):
        v = full(f"{law:02d}" + pref() + digits(3))
        ok(K, v, v, note=f"法別 {law}")
for law in [10, 21, 51, 79]:
    v = full(f"{law:02d}" + pref() + digits(3))
    ok(K, v, v, warnings=1, note="public-expense program onshi does not handle")
for _ in range(4):
    v = full("12" + pref() + digits(3))
    ok(K, v.translate(FULL), v, note="full-width")
for _ in range(10):
    bad, expected = wrong(full("12" + pref() + digits(3)))
    err(K, bad, "check_digit", expected)
for s in ["1213001", "121300190", "12"]:
    err(K, s, "length")
for s in ["1213001X", "12-30019", ""]:
    err(K, s, "characters" if s else "empty")
for p in ["00", "48", "90"]:
    err(K, full("12" + p + digits(3)), "prefecture")

# 受給者番号 -------------------------------------------------------------------------------
K = "beneficiary_number"
ok(K, "1234566", "1234566", note="worked example")
for _ in range(15):
    v = full(digits(6))
    ok(K, v, v)
for _ in range(3):
    v = full(digits(6))
    ok(K, v.translate(FULL), v, note="full-width")
for _ in range(12):
    bad, expected = wrong(full(digits(6)))
    err(K, bad, "check_digit", expected)
for s in ["123456", "12345667", "1"]:
    err(K, s, "length")
for s in ["123456a", "ＡＢＣ", "123 456"]:
    err(K, s, "characters")
err(K, "", "empty")

# 医療機関コード (7) -------------------------------------------------------------------------
K = "local_institution_code"
for _ in range(8):
    v = digits(7)
    ok(K, v, v, warnings=1, note="form only: the check digit needs prefecture and fee schedule")
ok(K, "０１１３７１９", "0113719", warnings=1, note="full-width")
for s in ["011371", "01137190", "0110113719"]:
    err(K, s, "length")
for s in ["011371a", "01-1371"]:
    err(K, s, "characters")
err(K, "", "empty")

# 医療機関等コード (10) ----------------------------------------------------------------------
K = "medical_institution_code"
for v in ["0110113719", "1341234563", "1361234568"]:
    ok(K, v, v, note="worked example")
for fee in [1, 3, 4, 6]:
    for _ in range(6):
        v = full(pref() + str(fee) + digits(6))
        ok(K, v, v, note=f"点数表 {fee}")
for _ in range(4):
    v = full(pref() + "1" + digits(6))
    ok(K, v.translate(FULL), v, note="full-width")
err(K, "1311111111", "check_digit", check_digit("131111111"), note="the dummy code in public sample code")
for _ in range(12):
    bad, expected = wrong(full(pref() + str(rng.choice([1, 3, 4, 6])) + digits(6)))
    err(K, bad, "check_digit", expected)
for fee in [0, 2, 5, 7, 8, 9]:
    err(K, full(pref() + str(fee) + digits(6)), "fee_schedule")
for p in ["00", "48", "99"]:
    err(K, full(p + "1" + digits(6)), "prefecture")
for s in ["011011371", "01101137190", "0113719"]:
    err(K, s, "length")
for s in ["011011371X", "01-1011371", "", " "]:
    err(K, s, "characters" if s.strip() else "empty")

# One case a line, so a diff of the vectors reads as a list of changed cases.
out = sys.stdout
out.write('{"about": "Identifier conformance vectors, generated by gen_ids.py (see its docstring).",\n "cases": [\n')
out.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
out.write("\n ]}\n")
print(f"{len(cases)} cases", file=sys.stderr)
