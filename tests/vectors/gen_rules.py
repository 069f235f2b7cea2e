#!/usr/bin/env python3
"""Writes rules.json: conformance vectors for onshi-core's rules, called through the one JSON entry
point (`onshi_core::api::call(rule, request)`) that every binding exposes.

Expected answers come from this file's own reading of the domain reference (consent.md, flows.md,
README.md, oqs-interface.md §4), written apart from onshi-core. Deterministic.
Usage: python3 tests/vectors/gen_rules.py > tests/vectors/rules.json
"""
import calendar
import datetime as dt
import json
import sys

cases = []


def ok(rule, request, answer, note=""):
    cases.append({"rule": rule, "request": request, "expect": {"ok": answer}, "note": note})


def err(rule, request, code, note=""):
    cases.append({"rule": rule, "request": request, "expect": {"error": code}, "note": note})


# code.label: every code of every table (oqs-interface.md §4), and codes no table has --------------
TABLES = {
    "OQSCD001": {"0": "未同意", "1": "同意"},
    "OQSCD002": {"1": "マイナンバーカード", "2": "被保険者証情報"},
    "OQSCD003": {"1": "正常終了", "2": "処理中", "9": "異常終了"},
    "OQSCD004": {"1": "正常終了", "2": "エラー"},
    "OQSCD005": {"0": "UTF-8", "1": "Shift_JIS"},
    "OQSCD006": {"1": "有効", "2": "無効", "3": "無効（新しい資格あり）", "4": "該当資格なし", "5": "複数該当", "6": "有効（未登録）"},
    "OQSCD007": {"1": "男", "2": "女", "3": "未設定"},
    "OQSCD008": {"01": "死亡", "02": "生活保護受給開始", "03": "医療保険等の資格取得", "99": "その他"},
    "OQSCD009": {"1": "本人", "2": "家族"},
    "OQSCD010": {"01": "被保険者証（一般）", "02": "被保険者証（退職）", "03": "短期被保険者証（一般）", "04": "短期被保険者証（退職）",
                 "05": "被保険者資格証明書", "06": "特例退職被保険者証", "07": "自衛官診療証", "A1": "医療扶助"},
    "OQSCD011": {"01": "限度額適用認定証", "02": "限度額適用・標準負担額減額認定証", "03": "標準負担額減額認定証"},
    "OQSCD012": {"A01": "ア", "A02": "イ", "A03": "ウ", "A04": "エ", "A05": "オ", "A06": "オ（境）", "B01": "現役並みⅢ",
                 "B02": "現役並みⅡ", "B03": "現役並みⅠ", "B04": "一般", "B05": "低所得Ⅱ", "B06": "低所得Ⅰ",
                 "B07": "低所得Ⅰ（老福）", "B08": "低所得Ⅰ（境）", "B09": "一般Ⅱ", "B10": "一般Ⅰ"},
    "OQSCD013": {"1": "人工透析を必要とする慢性腎不全", "2": "先天性血液凝固因子障害（第VIII因子障害又は第IX因子障害）",
                 "3": "血液凝固因子製剤の投与に起因するHIV感染症"},
    "OQSCD014": {"0": "変更なし", "1": "変更あり または 判定不能"},
    "OQSCD015": {"1": "未就学該当"},
    "OQSCD016": {"0": "同意なし", "1": "同意あり", "2": "同意有効期限切れ", "3": "同意取得困難"},
    "OQSCD017": {"1": "電子", "2": "紙"},
    "OQSCD018": {"01": "医療券", "02": "調剤券"},
    "OQSCD019": {"01": "入院", "02": "入院外", "03": "歯科", "04": "調剤", "05": "訪問看護"},
    "OQSCD020": {"01": "単独", "02": "併用"},
    "OQSCD021": {"01": "あり", "02": "なし"},
    "OQSCD022": {"1": "不整合あり"},
    "OQSCD023": {"01": "あり", "02": "なし"},
    "OQSCD024": {"01": "あり", "02": "なし"},
    "OQSCD025": {"01": "あり", "02": "なし"},
    "OQSCD026": {"0": "一致", "1": "不一致"},
    "OQSCD027": {"1": "同一個人あり"},
    "OQSCD028": {"1": "外来", "2": "訪問診療等", "3": "オンライン診療等", "4": "救急時"},
    "OQSCD029": {"TKK": "特定健診情報", "YZK": "薬剤情報等"},
    "OQSCD030": {"0": "表示しない", "1": "表示する"},
    "OQSCD031": {"0": "診療形態毎に異なるため、３．コード定義に関する補足を参照", "1": "医療機関による同意取り消し",
                 "2": "患者による同意取り消し", "3": "用途変更による同意取り消し"},
    "OQSCD032": {"0": "一致", "1": "不一致"},
    "OQSCD033": {"2": "訪問診療等", "3": "オンライン診療等"},
    "OQSCD034": {"1": "PDF", "2": "PNG"},
    "OQSCD035": {"0": "変更しない", "1": "変更する"},
    "OQSCD036": {"TSR": "特定疾病療養受療証情報", "TKK": "特定健診情報", "YZK": "薬剤情報", "SRJ": "診療情報", "SHJ": "手術情報"},
    "OQSCD037": {"0": "利用しない", "1": "利用する"},
    "OQSCD038": {"0": "利用しない", "1": "電子のみ", "2": "電子+紙併用", "3": "紙のみ"},
    "OQSCD039": {"1": "資格確認時以外", "2": "資格確認時"},
    "OQSCD040": {"1": "救急用サマリー", "2": "救急用全量版", "3": "電子処方箋+サマリー+全量", "4": "現行の薬剤情報",
                 "5": "現行の診療/薬剤情報", "6": "現行の特定健診情報"},
    "OQSCD041": {"1": "記憶", "2": "生体", "3": "物理媒体"},
    "OQSCD042": {"1-01": "ID/PW", "1-02": "PIN", "1-03": "秘密の質問", "2-01": "指紋", "2-02": "生体02", "2-03": "生体03",
                 "2-04": "生体04", "2-05": "虹彩", "3-01": "ICカード", "3-02": "OTP", "3-03": "その他"},
    "OQSCD043": {"0": "なし", "1": "あり"},
    "OQSCD044": {"01": "医療費助成", "2": "母子保健", "4": "予防接種", "8": "介護保険"},
}
for table, codes in TABLES.items():
    for code, label in codes.items():
        ok("code.label", {"table": table, "code": code}, {"label": label})
for table, code in [("OQSCD006", "7"), ("OQSCD006", "01"), ("OQSCD008", "1"), ("OQSCD010", "a1"), ("OQSCD005", "2"),
                    ("OQSCD016", ""), ("OQSCD036", "tsr"), ("OQSCD044", "1")]:
    err("code.label", {"table": table, "code": code}, "CODE_UNKNOWN", note="no silent default")
for table in ["OQSCD000", "OQSCD045", "oqscd006", ""]:
    err("code.label", {"table": table, "code": "1"}, "CODE_TABLE_UNKNOWN")

# capability: the full matrix (README "who may receive what", consent.md §7) ---------------------------
FACILITIES = ["hospital", "medical_clinic", "dental_clinic", "pharmacy", "home_nursing_station", "judo_therapy_clinic",
              "ahaki_clinic", "health_checkup_provider", "midwifery_home", "workplace_clinic"]
INSURED_CARE = {"hospital", "medical_clinic", "dental_clinic", "pharmacy", "home_nursing_station", "workplace_clinic"}
OPS = ["standard", "consent_at_home", "qualification_only"]
INFO = ["qualification", "limit_certificate", "specific_disease_certificate", "medication", "diagnosis", "surgery", "health_checkups"]
MEDICAL = {"medication", "diagnosis", "surgery", "health_checkups"}


def expected_capability(f, op, info, card, licensed, pharmacy_policy):
    may = {"standard": f in INSURED_CARE, "consent_at_home": f in INSURED_CARE and f != "workplace_clinic",
           "qualification_only": True}[op]
    if not may:
        return {"access": "denied", "reason": "operating_type_not_available"}
    if op == "qualification_only":
        return {"access": "allowed"} if info == "qualification" else {"access": "denied", "reason": "qualification_only_facility"}
    if info in ("qualification", "limit_certificate"):
        return {"access": "allowed"}
    if info == "specific_disease_certificate":
        return {"access": "requires_consent"} if card else {"access": "denied", "reason": "requires_card"}
    if not licensed:
        return {"access": "denied", "reason": "not_licensed"}
    if info == "health_checkups" and f == "pharmacy" and pharmacy_policy == "deny":
        return {"access": "denied", "reason": "pharmacy_checkups_restricted"}
    return {"access": "requires_consent"}


for f in FACILITIES:
    for op in OPS:
        for info in INFO:
            q = {"facility": f, "operating_type": op, "information": info, "card_used": True, "licensed_viewer": True}
            ok("capability", q, expected_capability(f, op, info, True, True, "allow"))
for f in ["hospital", "home_nursing_station", "pharmacy"]:
    for info in ["specific_disease_certificate", "medication", "health_checkups"]:
        for card, licensed in [(False, True), (True, False), (False, False)]:
            q = {"facility": f, "operating_type": "consent_at_home", "information": info, "card_used": card, "licensed_viewer": licensed}
            ok("capability", q, expected_capability(f, "consent_at_home", info, card, licensed, "allow"))
for policy in ["allow", "deny"]:
    for f in ["pharmacy", "hospital"]:
        q = {"facility": f, "operating_type": "standard", "information": "health_checkups", "card_used": True,
             "licensed_viewer": True, "pharmacy_checkups": policy}
        ok("capability", q, expected_capability(f, "standard", "health_checkups", True, True, policy),
           note="特定健診 at pharmacies: sources conflict, named policy")
err("capability", {"facility": "spa", "operating_type": "standard", "information": "qualification", "card_used": True,
                   "licensed_viewer": True}, "BAD_REQUEST")

# consent.window and consent.state at the second around each boundary (consent.md §5) -------------------
FMT = "%Y%m%d%H%M%S"


def ts(t):
    return t.strftime(FMT)


given = dt.datetime(2026, 11, 21, 17, 48, 35)
for setting in ["outpatient", "fever_clinic", "house_call"]:
    ok("consent.window", {"setting": setting, "given_at": ts(given)}, {"kind": "until", "until": ts(given + dt.timedelta(hours=24))})
for setting in ["home_visit", "inpatient_bedside"]:
    ok("consent.window", {"setting": setting, "given_at": ts(given)}, {"kind": "while_care_continues"})
for planned in ["20261121", "20261125", "20270101"]:
    day = dt.datetime.strptime(planned, "%Y%m%d")
    ok("consent.window", {"setting": "online_consultation", "given_at": ts(given), "planned_date": planned},
       {"kind": "until", "until": ts(day.replace(hour=23, minute=59, second=59))})
    ok("consent.window", {"setting": "online_consultation", "given_at": ts(given), "planned_date": planned, "online_end": "end_of_day_after"},
       {"kind": "until", "until": ts(day + dt.timedelta(days=1, hours=23, minutes=59, seconds=59))})
err("consent.window", {"setting": "online_consultation", "given_at": ts(given)}, "CONSENT_PLANNED_DATE_MISSING")
err("consent.window", {"setting": "online_consultation", "given_at": ts(given), "planned_date": "20261120"}, "CONSENT_DATE_MISMATCH")
err("consent.window", {"setting": "outpatient", "given_at": "2026-11-21"}, "BAD_REQUEST")

STATUS = {"absent": "0", "declined": "0", "active": "1", "expired": "2", "revoked": "2"}
REASON = {"expired": "0", "institution": "1", "patient": "2", "usage_change": "3"}


def state_answer(state, by=None):
    s = {"state": state}
    if by:
        s["by"] = by
    reason = REASON.get(by) if state == "revoked" else ("0" if state == "expired" else None)
    return {"state": s, "status": STATUS[state], "expiry_reason": reason}


until = given + dt.timedelta(hours=24)
timed = {"item": "care_and_medication", "answer": "agree", "given_at": ts(given), "window": {"kind": "until", "until": ts(until)}}
for offset, state in [(-1, "absent"), (0, "active"), (1, "active")]:
    ok("consent.state", {"consent": timed, "now": ts(given + dt.timedelta(seconds=offset))}, state_answer(state), note="start boundary")
for offset, state in [(-1, "active"), (0, "active"), (1, "expired"), (86400, "expired")]:
    ok("consent.state", {"consent": timed, "now": ts(until + dt.timedelta(seconds=offset))}, state_answer(state), note="end second is inside")
declined = dict(timed, answer="decline")
ok("consent.state", {"consent": declined, "now": ts(given + dt.timedelta(hours=1))}, state_answer("declined"))
care = {"item": "surgery", "answer": "agree", "given_at": ts(given), "window": {"kind": "while_care_continues"}}
for care_continues, state in [(True, "active"), (False, "expired")]:
    ok("consent.state", {"consent": care, "now": ts(given + dt.timedelta(days=400)), "care_continues": care_continues}, state_answer(state))
revoked_at = given + dt.timedelta(days=3)
for by in ["institution", "patient", "usage_change"]:
    for window in [care, timed]:
        c = dict(window, revoked={"by": by, "at": ts(revoked_at)})
        for offset, st in [(-1, None), (0, "revoked"), (1, "revoked")]:
            now = revoked_at + dt.timedelta(seconds=offset)
            if st is None:
                st = "active" if window is care else "expired"
                ok("consent.state", {"consent": c, "now": ts(now)}, state_answer(st), note="before the revocation")
            else:
                ok("consent.state", {"consent": c, "now": ts(now)}, state_answer("revoked", by), note="revocation wins")

# certificate.status: the 3-month grace at every month end (flows (j)) -----------------------------------


def add_months(d, n):
    i = d.year * 12 + d.month - 1 + n
    y, m = divmod(i, 12)
    return d.replace(year=y, month=m + 1, day=min(d.day, calendar.monthrange(y, m + 1)[1]))


def end_of_month(d, n):
    first = add_months(d.replace(day=1), n)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def cert(expiry, today, holder):
    if today > expiry:
        g = end_of_month(expiry, 3)
        if holder == "card" and today <= g:
            return {"status": {"status": "expired_in_grace", "grace_end": g.strftime("%Y%m%d")}, "qualification": True,
                    "medical": False, "code": "CARD_CERT_EXPIRED_GRACE"}
        return {"status": {"status": "expired_beyond_grace"}, "qualification": False, "medical": False, "code": "CARD_CERT_EXPIRED"}
    if today >= add_months(expiry, -3):
        return {"status": {"status": "expiring_soon"}, "qualification": True, "medical": True, "code": "CARD_CERT_EXPIRING"}
    return {"status": {"status": "valid"}, "qualification": True, "medical": True, "code": None}


for month in range(1, 13):
    expiry = dt.date(2027, month, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    g = end_of_month(expiry, 3)
    for today in [add_months(expiry, -3) - dt.timedelta(days=1), expiry, expiry + dt.timedelta(days=1), g, g + dt.timedelta(days=1)]:
        for holder in ["card", "smartphone"] if today in (expiry + dt.timedelta(days=1), g) else ["card"]:
            req = {"expiry": expiry.strftime("%Y%m%d"), "today": today.strftime("%Y%m%d"), "holder": holder}
            ok("certificate.status", req, cert(expiry, today, holder))

# reinquiry: every combination (flows (b)) ---------------------------------------------------------------
SETTINGS = ["outpatient", "fever_clinic", "house_call", "home_visit", "inpatient_bedside", "online_consultation"]
for setting in SETTINGS:
    for card in [True, False]:
        for cont in [True, False]:
            for revoked in [True, False]:
                req = {"setting": setting, "card_verified_visit": card, "care_continues": cont, "revoked_since_card_visit": revoked}
                if setting not in ("home_visit", "inpatient_bedside"):
                    denied = "setting_not_continuing"
                elif not card:
                    denied = "no_card_visit"
                elif not cont:
                    denied = "care_ended"
                elif revoked:
                    denied = "revoked_since_card_visit"
                else:
                    denied = None
                ok("reinquiry", req, {"allowed": True} if denied is None else
                   {"allowed": False, "denied": denied, "code": "REINQUIRY_NOT_ALLOWED"})

# medaid.pattern: seed 004 figures 2.2.1-10/-11, every combination --------------------------------------
for query in ["card", "ticket", "batch", "entrusted_bulk"]:
    for aid in [True, False]:
        for entrusted in [True, False]:
            for insurance in [True, False]:
                for new in [True, False]:
                    sit = {"aid_valid": aid, "entrusted": entrusted, "insurance_valid": insurance, "new_qualification_exists": new}
                    if query == "entrusted_bulk":
                        p = {"pattern": "valid", "combined": insurance} if aid and entrusted else {"pattern": "not_listed"}
                    elif aid and entrusted:
                        p = {"pattern": "valid", "combined": insurance}
                    elif aid:
                        p = {"pattern": "not_entrusted", "combined": insurance}
                    else:
                        p = {"pattern": "lost", "new_qualification_exists": new and query != "card"}
                    code = {"valid": "MEDAID_VALID", "not_entrusted": "MEDAID_NOT_ENTRUSTED", "not_listed": "MEDAID_NOT_LISTED",
                            "lost": "MEDAID_SUPERSEDED" if p.get("new_qualification_exists") else "MEDAID_LOST"}[p["pattern"]]
                    ok("medaid.pattern", {"query": query, "situation": sit}, {"pattern": p, "code": code})

# qualification.validity: people, job changes, twins, 医療扶助 (flows §0.1) ----------------------------


def person(name_key, insurer, number, birth, acq, loss=None, reason=None, branch="00", card="01", symbol=None):
    q = {"card_classification": card, "insurer_number": insurer, "number": number, "branch": branch, "name": "テスト 患者",
         "sex1": "1", "birthdate": birth, "qualification_date": acq}
    if symbol:
        q["symbol"] = symbol
    if loss:
        q["disqualification_date"] = loss
    if reason:
        q["reason_of_loss"] = reason
    return {"person": name_key, "qualification": q}


records = [
    person("p1", "01130012", "111111", "19800401", "20150401", "20250401", "03"),   # job change ...
    person("p1", "06130017", "900001", "19800401", "20250401"),                     # ... to a health society
    person("p2", "131011", "222222", "19550710", "20100101", "20250710", "99"),     # left 国保 at 70, nothing new
    person("p3", "39131008", "333333", "19450101", "20200101"),                     # 後期高齢
    person("t1", "01130012", "444444", "20100505", "20100505", branch="01"),        # twins under one number
    person("t2", "01130012", "444444", "20100505", "20100505", branch="02"),
    person("p4", "01130012", "555555", "19900101", "20240101", "20260101", "02"),   # assistance started
]


def numbers(insurer, number, birth, branch=None, symbol=None):
    k = {"by": "numbers", "insurer": insurer, "number": number, "birthdate": birth}
    if branch:
        k["branch"] = branch
    if symbol:
        k["symbol"] = symbol
    return k


def validity(code, record, reason, onshi):
    return {"validity": code, "record": record, "reason_of_loss": reason, "code": onshi}


V = [
    (numbers("01130012", "111111", "19800401"), "20241231", validity("1", 0, None, "QUAL_VALID")),
    (numbers("01130012", "111111", "19800401"), "20250331", validity("1", 0, None, "QUAL_VALID")),
    (numbers("01130012", "111111", "19800401"), "20250401", validity("3", 0, "03", "QUAL_SUPERSEDED")),
    (numbers("06130017", "900001", "19800401"), "20250401", validity("1", 1, None, "QUAL_VALID")),
    (numbers("06130017", "900001", "19800401"), "20250331", validity("3", 1, None, "QUAL_SUPERSEDED")),
    (numbers("131011", "222222", "19550710"), "20250709", validity("1", 2, None, "QUAL_VALID")),
    (numbers("131011", "222222", "19550710"), "20250710", validity("2", 2, "99", "QUAL_INVALID")),
    (numbers("131011", "222222", "19550711"), "20250101", validity("4", None, None, "QUAL_NOT_FOUND")),
    (numbers("131011", "222223", "19550710"), "20250101", validity("4", None, None, "QUAL_NOT_FOUND")),
    (numbers("01130012", "444444", "20100505"), "20260101", validity("5", None, None, "QUAL_AMBIGUOUS")),
    (numbers("01130012", "444444", "20100505", branch="02"), "20260101", validity("1", 5, None, "QUAL_VALID")),
    (numbers("01130012", "444444", "20100505", branch="03"), "20260101", validity("4", None, None, "QUAL_NOT_FOUND")),
    (numbers("01130012", "111111", "19800401", symbol="0001"), "20241231", validity("4", None, None, "QUAL_NOT_FOUND")),
    (numbers("01130012", "555555", "19900101"), "20260101", validity("2", 6, "02", "QUAL_INVALID")),
    (numbers("01130012", "555555", "19900101"), "20231231", validity("2", 6, "02", "QUAL_INVALID")),
    ({"by": "card", "person": "p1"}, "20250401", validity("1", 1, None, "QUAL_VALID")),
    ({"by": "card", "person": "p1"}, "20200101", validity("1", 0, None, "QUAL_VALID")),
    ({"by": "card", "person": "p2"}, "20251201", validity("2", 2, "99", "QUAL_INVALID")),
    ({"by": "card", "person": "p3"}, "20261121", validity("1", 3, None, "QUAL_VALID")),
    ({"by": "card", "person": "nobody"}, "20261121", validity("4", None, None, "QUAL_NOT_FOUND")),
]
for key, date, answer in V:
    ok("qualification.validity", {"records": records, "key": key, "date": date}, answer)
err("qualification.validity", {"records": records, "key": numbers("01130013", "111111", "19800401"), "date": "20250101"},
    "BAD_REQUEST", note="a wrong check digit in the key is refused before any matching")

# qualification.check: data that cannot be right ------------------------------------------------------


def q(insurer, birth, copay=None, preschool=False, elderly=None, acq=None, loss=None, card="01"):
    r = {"card_classification": card, "name": "テスト", "sex1": "2", "birthdate": birth, "preschool": preschool}
    if insurer:
        r["insurer_number"] = insurer
    if copay:
        r["copay_ratio"] = copay
    if elderly:
        r["elderly_recipient"] = {"copay_ratio": elderly}
    if acq:
        r["qualification_date"] = acq
    if loss:
        r["disqualification_date"] = loss
    return r


C = [
    (q("01130012", "19800401", "030"), []),
    (q("01130012", "19800401", "020"), [{"warning": "copay_impossible_for_age", "ratio": 20, "age": 46}]),
    (q("01130012", "19800401", "010"), [{"warning": "copay_impossible_for_age", "ratio": 10, "age": 46}]),
    (q("01130012", "20220101", "020", preschool=True), []),
    (q("01130012", "20220101", "030", preschool=True), [{"warning": "copay_impossible_for_age", "ratio": 30, "age": 4}]),
    (q("01130012", "20220101", "020"), [{"warning": "preschool_flag_mismatch"}]),
    (q("01130012", "19550101", elderly="020"), []),
    (q("01130012", "19550101", "010", elderly="010"), [{"warning": "copay_impossible_for_age", "ratio": 10, "age": 71}]),
    (q("39131008", "19450101", "010"), []),
    (q("39131008", "19450101", "030"), []),
    (q("39131008", "19700101", "010"), [{"warning": "late_stage_under65", "age": 56}]),
    (q("01130012", "19400101", "030"), [{"warning": "aged75_outside_late_stage", "age": 86}]),
    (q("01130012", "19800401", "030", elderly="020"), [{"warning": "copay_impossible_for_age", "ratio": 20, "age": 46},
                                                      {"warning": "elderly_certificate_outside_age", "age": 46}]),
    (q("01130012", "19800401", "030", acq="20250101", loss="20240101"), [{"warning": "loss_before_acquisition"}]),
    (q(None, "19400101", card="A1"), []),
]
for record, warnings in C:
    ok("qualification.check", {"qualification": record, "date": "20261121"}, {"warnings": warnings})
err("qualification.check", {"qualification": q("01130012", "19800401", "30"), "date": "20261121"}, "BAD_REQUEST",
    note="copay must be 3 digits")

# Rules that do not exist ------------------------------------------------------------------------------
err("no.such.rule", {}, "RULE_UNKNOWN")

out = sys.stdout
out.write('{"about": "Rule conformance vectors, generated by gen_rules.py (see its docstring).",\n "cases": [\n')
out.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
out.write("\n ]}\n")
print(f"{len(cases)} cases", file=sys.stderr)
