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

# flow.first_visit: sequences of events (flows (a)–(d), (j)) ------------------------------------------
AGREE = {"event": "agree_to_all"}
CONFIRM = {"event": "confirm"}
PIN = {"event": "choose_identity", "method": "pin"}
VISUAL = {"event": "choose_identity", "method": "visual"}
PIN_OK = {"event": "pin", "pin": "verified"}
LOCKED = {"event": "pin", "pin": "locked"}
SEEN = {"event": "visual_confirmed"}
CANCEL = {"event": "cancel"}


def wrong(n):
    return {"event": "pin", "pin": "wrong", "remaining": n}


def card(expiry="20300101", today="20261121", holder="card"):
    return {"event": "card_read", "expiry": expiry, "holder": holder, "today": today}


def central(answer="accepted", at="20261121100000"):
    return {"event": "central", "answer": answer, "at": at}


RETRIEVE = {"event": "retrieve", "at": "20261121100500"}


def visit(facility="home_nursing_station", setting="home_visit", channel="app", device="institution", planned=None):
    c = {"facility": facility, "setting": setting, "channel": channel, "device": device}
    if planned:
        c["planned_date"] = planned
    return c


def flow(ctx, events, state, notices=(), refused=None, note=""):
    ok("flow.first_visit", {"context": ctx, "events": events},
       {"state": state, "notices": list(notices), "refused": refused and {"event": refused[0], "code": refused[1]}}, note=note)


HAPPY = [AGREE, CONFIRM, PIN, PIN_OK, card(), central(), RETRIEVE]
for facility in ["hospital", "medical_clinic", "dental_clinic", "pharmacy", "home_nursing_station"]:
    for setting in ["home_visit", "inpatient_bedside", "fever_clinic", "house_call"]:
        flow(visit(facility, setting), HAPPY, "retrieved")
for facility in ["judo_therapy_clinic", "ahaki_clinic", "health_checkup_provider", "midwifery_home", "workplace_clinic"]:
    err("flow.first_visit", {"context": visit(facility), "events": []}, "FACILITY_NOT_ALLOWED")
for i in range(1, len(HAPPY) + 1):
    names = ["drafting", "drafting", "confirmed", "awaiting_identity", "awaiting_card", "card_verified", "registered", "retrieved"]
    flow(visit(), HAPPY[:i], names[i], note="each step of the happy path")
flow(visit(), [AGREE, CONFIRM, PIN, wrong(2), PIN_OK, card(), central()], "registered", ["CARD_PIN_WRONG"])
flow(visit(), [AGREE, CONFIRM, PIN, wrong(2), wrong(1)], "awaiting_identity", ["CARD_PIN_WRONG", "CARD_PIN_WRONG"])
flow(visit(), [AGREE, CONFIRM, PIN, wrong(2), wrong(1), LOCKED], "pin_locked", ["CARD_PIN_WRONG", "CARD_PIN_WRONG", "CARD_PIN_LOCKED"])
flow(visit(), [AGREE, CONFIRM, PIN, wrong(0)], "pin_locked", ["CARD_PIN_LOCKED"])
flow(visit(), [AGREE, CONFIRM, PIN, LOCKED, VISUAL, SEEN, card(), central()], "registered", ["CARD_PIN_LOCKED"],
     note="the app offers 目視確認 after a lock")
flow(visit(), [AGREE, CONFIRM, PIN, LOCKED, PIN], "pin_locked", ["CARD_PIN_LOCKED"], refused=(4, "CARD_PIN_LOCKED"))
flow(visit(channel="web"), [AGREE, CONFIRM, PIN, LOCKED, VISUAL], "pin_locked", ["CARD_PIN_LOCKED"], refused=(4, "VISUAL_CHECK_NOT_ALLOWED"))
flow(visit(channel="web"), [AGREE, CONFIRM, VISUAL], "confirmed", refused=(2, "VISUAL_CHECK_NOT_ALLOWED"), note="web: PIN only")
flow(visit(device="patient"), [AGREE, CONFIRM, VISUAL], "confirmed", refused=(2, "VISUAL_CHECK_NOT_ALLOWED"),
     note="never on the patient's own phone")
flow(visit(), [AGREE, CONFIRM, VISUAL, SEEN, card(), central(), RETRIEVE], "retrieved")
flow(visit(), [AGREE, CONFIRM, VISUAL, PIN_OK], "awaiting_identity", refused=(3, "ILLEGAL_TRANSITION"))
flow(visit(), [{"event": "answer", "item": "surgery", "answer": "agree"}, CONFIRM], "drafting", refused=(1, "CONSENT_ANSWERS_MISSING"),
     note="not chosen is not 同意しない")
all_declined = [{"event": "answer", "item": i, "answer": "decline"} for i in ["surgery", "care_and_medication", "health_checkups", "specific_disease"]]
flow(visit(), all_declined + [CONFIRM, PIN, PIN_OK, card(), central()], "registered", ["QUALIFICATION_ONLY"])
flow(visit(), [AGREE, CONFIRM, {"event": "edit"}, CONFIRM], "confirmed")
flow(visit(), [AGREE, CONFIRM, PIN, PIN_OK, card("20261015")], "card_verified", ["CARD_CERT_EXPIRED_GRACE"])
flow(visit(), [AGREE, CONFIRM, PIN, PIN_OK, card("20261015"), central()], "registered", ["CARD_CERT_EXPIRED_GRACE", "QUALIFICATION_ONLY"])
flow(visit(), [AGREE, CONFIRM, PIN, PIN_OK, card("20260715")], "stopped", ["CARD_CERT_EXPIRED"])
flow(visit(), [AGREE, CONFIRM, PIN, PIN_OK, card("20261215")], "card_verified", ["CARD_CERT_EXPIRING"])
flow(visit(), [AGREE, CONFIRM, PIN, PIN_OK, card("20261015", holder="smartphone")], "stopped", ["CARD_CERT_EXPIRED"],
     note="smartphone certificates get no grace")
flow(visit(), [AGREE, CONFIRM, PIN, PIN_OK, card(), central("card_not_registered")], "stopped", ["CARD_NOT_REGISTERED"])
flow(visit(), [AGREE, CONFIRM, PIN, PIN_OK, card(), central("certificate_revoked")], "stopped", ["CARD_CERT_REVOKED"])
flow(visit(), [AGREE, CONFIRM, PIN, CANCEL], "abandoned")
flow(visit(), [AGREE, CANCEL, CANCEL], "abandoned", refused=(2, "ILLEGAL_TRANSITION"))
flow(visit(), [RETRIEVE], "drafting", refused=(0, "ILLEGAL_TRANSITION"))
online = visit("medical_clinic", "online_consultation", "web", "patient", "20261125")
flow(online, HAPPY, "retrieved")
flow(visit("medical_clinic", "online_consultation", "web", "patient"), [AGREE, CONFIRM], "drafting",
     refused=(1, "CONSENT_PLANNED_DATE_MISSING"))
flow(visit("medical_clinic", "online_consultation", "web", "patient", "20261120"), [AGREE, CONFIRM, PIN, PIN_OK, card(), central()],
     "card_verified", refused=(5, "CONSENT_DATE_MISMATCH"), note="the planned date passed before registration")
err("flow.first_visit", {"context": visit(), "events": [{"event": "dance"}]}, "BAD_REQUEST")

# flow.limited: 資格確認限定型 (flows (e)) -----------------------------------------------------------------
PRESENT = {"event": "card_presented"}
SHOW = {"event": "show"}
CLEAR = {"event": "clear"}


def lcard(expiry="20300101"):
    return {"event": "card_read", "expiry": expiry, "today": "20261121"}


def lim(facility, events, state, refused=None):
    ok("flow.limited", {"facility": facility, "events": events},
       {"state": {"state": state}, "refused": refused and {"event": refused[0], "code": refused[1]}})


for facility in FACILITIES:
    lim(facility, [PRESENT, lcard(), SHOW, CLEAR], "cleared")
for info in INFO:
    events = [PRESENT, lcard(), {"event": "request", "information": info}]
    if info == "qualification":
        lim("judo_therapy_clinic", events, "verified")
    else:
        lim("judo_therapy_clinic", events, "verified", (2, "FORBIDDEN_FOR_FACILITY_TYPE"))
lim("midwifery_home", [PRESENT, lcard("20261015"), SHOW], "shown", None)
lim("health_checkup_provider", [PRESENT, lcard("20260715")], "reading", (1, "CARD_CERT_EXPIRED"))
lim("ahaki_clinic", [SHOW], "idle", (0, "ILLEGAL_TRANSITION"))
lim("ahaki_clinic", [PRESENT, lcard(), SHOW, CLEAR, PRESENT], "reading")

# medical.access: capability, certificate, consent, disaster (consent.md §6) -------------------------------
INST = "1361234568"


def access(info="medication", facility="home_nursing_station", op="consent_at_home", consent=None, now="20261122100000",
           care=True, certificate=None, birthdate=None, measures=(), disaster_consent="none", licensed=True, card_used=True):
    r = {"capability": {"facility": facility, "operating_type": op, "information": info, "card_used": card_used,
                        "licensed_viewer": licensed},
         "institution": INST, "now": now, "care_continues": care, "disaster_measures": list(measures),
         "disaster_consent": disaster_consent}
    if consent:
        r["consent"] = consent
    if certificate:
        r["certificate"] = certificate
    if birthdate:
        r["birthdate"] = birthdate
    return r


def consent_for(item, window=None, answer="agree", revoked=None, given="20261121100000"):
    c = {"item": item, "answer": answer, "given_at": given, "window": window or {"kind": "while_care_continues"}}
    if revoked:
        c["revoked"] = {"by": revoked, "at": "20261122000000"}
    return c


ITEM = {"medication": "care_and_medication", "diagnosis": "care_and_medication", "surgery": "surgery",
        "health_checkups": "health_checkups", "specific_disease_certificate": "specific_disease"}
GRANTED = {"grant": {"basis": "consent", "warning": None}}
for info in INFO:
    if info in ("qualification", "limit_certificate"):
        ok("medical.access", access(info), {"grant": {"basis": "no_consent_needed"}})
        continue
    ok("medical.access", access(info, consent=consent_for(ITEM[info])), GRANTED)
    err("medical.access", access(info), "CONSENT_NOT_FOUND")
    err("medical.access", access(info, consent=consent_for(ITEM[info], answer="decline")), "CONSENT_NOT_FOUND")
    err("medical.access", access(info, consent=consent_for(ITEM[info]), care=False), "CONSENT_EXPIRED")
    err("medical.access", access(info, consent=consent_for(ITEM[info], revoked="patient")), "CONSENT_REVOKED")
    err("medical.access", access(info, consent=consent_for("surgery" if ITEM[info] != "surgery" else "health_checkups")),
        "CONSENT_NOT_FOUND", note="a consent for another item does not count")
    err("medical.access", access(info, op="qualification_only", facility="judo_therapy_clinic", consent=consent_for(ITEM[info])),
        "FORBIDDEN_FOR_FACILITY_TYPE")
    err("medical.access", access(info, consent=consent_for(ITEM[info]), certificate={"status": "expired_in_grace", "grace_end": "20270131"}),
        "CARD_CERT_EXPIRED_GRACE")
timed_consent = consent_for("care_and_medication", {"kind": "until", "until": "20261122100000"})
ok("medical.access", access(consent=timed_consent, now="20261122100000"), GRANTED, note="last second of the window")
err("medical.access", access(consent=timed_consent, now="20261122100001"), "CONSENT_EXPIRED")
err("medical.access", access(consent=consent_for("care_and_medication"), licensed=False), "VIEWER_NOT_LICENSED")
err("medical.access", access("specific_disease_certificate", consent=consent_for("specific_disease"), card_used=False), "CARD_REQUIRED")
ok("medical.access", access("health_checkups", consent=consent_for("health_checkups"), birthdate="19900101"),
   {"grant": {"basis": "consent", "warning": "特定健診は40歳以上が対象です（36歳） (check-ups are for ages 40 and over; age 36)"}})
ok("medical.access", access("health_checkups", consent=consent_for("health_checkups"), birthdate="19861122"), GRANTED,
   note="40th birthday on the day")
MEASURE = {"id": "2026-能登-01", "prefectures": [13], "from": "20261120000000", "to": "20261130235959"}
OTHER = {"id": "2026-other", "prefectures": [17], "from": "20261120000000", "to": "20261130235959"}
BY_CODE = {"id": "2026-by-code", "institutions": [INST], "from": "20261120000000", "to": "20261130235959"}
for dc in ["given", "cannot_express_vital_need"]:
    ok("medical.access", access(measures=[MEASURE], disaster_consent=dc),
       {"grant": {"basis": "disaster_measure", "measure": "2026-能登-01", "consent": dc}})
    ok("medical.access", access(measures=[BY_CODE], disaster_consent=dc),
       {"grant": {"basis": "disaster_measure", "measure": "2026-by-code", "consent": dc}})
err("medical.access", access(measures=[MEASURE]), "CONSENT_NOT_FOUND", note="consent is still needed under a measure")
err("medical.access", access(measures=[OTHER], disaster_consent="given"), "CONSENT_NOT_FOUND", note="another prefecture")
err("medical.access", access(measures=[MEASURE], disaster_consent="given", now="20261201000000"), "CONSENT_NOT_FOUND",
    note="after the measure's period")
ok("medical.access", access(measures=[MEASURE], disaster_consent="given", now="20261130235959"),
   {"grant": {"basis": "disaster_measure", "measure": "2026-能登-01", "consent": "given"}})
err("medical.access", access(op="qualification_only", facility="judo_therapy_clinic", measures=[MEASURE], disaster_consent="given"),
    "FORBIDDEN_FOR_FACILITY_TYPE", note="a measure never opens medical data to 限定型")

# batch.evaluate: the seed 000 list, with good and bad rows (flows (h)) -------------------------------------
BATCH_HEADER = "患者氏名,保険者番号,記号,番号,枝番,生年月日,住所\n"
BATCH_ROWS = [
    ("オン資 二郎,01130012,,111111,00,19800401,東京都港区xx-x", "valid", "1", "QUAL_VALID"),
    ("厚労 太郎,131011,,222222,00,S30.7.10,東京都板橋区x-x", "valid", "1", "QUAL_VALID"),
    ("番号 花子,01130013,,333333,01,19450101,東京都調布市x-xx", "error", None, "ID_CHECK_DIGIT"),
    ("資格 春子,01130012,,444444,,2010/5/5,東京都新宿区x-xx", "invalid", "5", "QUAL_AMBIGUOUS"),
    ("厚生 夏美,01130012,,444444,02,平成22年5月5日,東京都江東区xx-x", "valid", "1", "QUAL_VALID"),
    ("転職 一郎,01130012,,111111,00,1980-04-01,", "error", None, "BATCH_DUPLICATE"),
    ("未登録 次郎,06130017,,777777,00,19700101,", "invalid", "4", "QUAL_NOT_FOUND"),
    ("空欄 三郎,06130017,,,00,19700101,", "error", None, "BATCH_RECORD_INCOMPLETE"),
    ("日付 四郎,06130017,,888888,00,1970/13/01,", "error", None, "BATCH_BAD_DATE"),
]
csv_text = BATCH_HEADER + "\n".join(r[0] for r in BATCH_ROWS) + "\n"
rows = [{"line": i + 2, "status": r[1], "validity": r[2], "code": r[3]} for i, r in enumerate(BATCH_ROWS)]
count = lambda st: sum(1 for r in rows if r["status"] == st)
ok("batch.evaluate", {"csv": csv_text, "records": records, "date": "20241231"},
   {"valid": count("valid"), "invalid": count("invalid"), "errors": count("error"), "rows": rows},
   note="the expectations written out by hand for one date")


def py_validity(key, date):
    """This file's own reading of flows §0.1 for number queries, used to expect batch rows."""
    ins, num, birth, branch = key
    cands = [i for i, r in enumerate(records)
             if r["qualification"]["insurer_number"] == ins and r["qualification"]["number"] == num
             and r["qualification"]["birthdate"] == birth and (branch is None or r["qualification"]["branch"] == branch)]
    if not cands:
        return "4", "QUAL_NOT_FOUND"
    if len({records[i]["person"] for i in cands}) > 1:
        return "5", "QUAL_AMBIGUOUS"
    covers = lambda q: q["qualification_date"] <= date and ("disqualification_date" not in q or date < q["disqualification_date"])
    if any(covers(records[i]["qualification"]) for i in cands):
        return "1", "QUAL_VALID"
    person = records[cands[0]]["person"]
    newer = any(r["person"] == person and i not in cands and covers(r["qualification"]) for i, r in enumerate(records))
    return ("3", "QUAL_SUPERSEDED") if newer else ("2", "QUAL_INVALID")


KEYS = {2: ("01130012", "111111", "19800401", "00"), 3: ("131011", "222222", "19550710", "00"),
        5: ("01130012", "444444", "20100505", None), 6: ("01130012", "444444", "20100505", "02"),
        8: ("06130017", "777777", "19700101", "00")}
for date in ["20100101", "20150401", "20241231", "20250401", "20250709", "20250710", "20261121"]:
    expect_rows = []
    for r in rows:
        if r["line"] in KEYS:
            v, code = py_validity(KEYS[r["line"]], date)
            expect_rows.append(dict(r, status="valid" if v == "1" else "invalid", validity=v, code=code))
        else:
            expect_rows.append(r)
    ok("batch.evaluate", {"csv": csv_text, "records": records, "date": date},
       {"valid": sum(x["status"] == "valid" for x in expect_rows), "invalid": sum(x["status"] == "invalid" for x in expect_rows),
        "errors": sum(x["status"] == "error" for x in expect_rows), "rows": expect_rows})
err("batch.evaluate", {"csv": "氏名,番号,生年月日\nx,1,19800101\n", "records": [], "date": "20261121"}, "BATCH_MISSING_COLUMN")
err("batch.evaluate", {"csv": "", "records": [], "date": "20261121"}, "BATCH_EMPTY")
err("batch.evaluate", {"csv": BATCH_HEADER + "a,01130012,,1,00,19800101,\n" * 3, "records": [], "date": "20261121", "max_rows": 2},
    "BATCH_TOO_LARGE")
tsv = "保険者番号\t番号\t生年月日\n01130012\t111111\t19800401\n"
ok("batch.evaluate", {"csv": tsv, "records": records, "date": "20241231"},
   {"valid": 1, "invalid": 0, "errors": 0, "rows": [{"line": 2, "status": "valid", "validity": "1", "code": "QUAL_VALID"}]},
   note="tab-separated, as pasted from a spreadsheet")

# oqs.file_name: file name → message kind and its pair (oqs-interface.md §1.2, §2) -----------------------
KNOWN = {
    "OQSsiquc01req": "資格確認要求 (OQS-IF-001)", "OQSsiquc01res": "資格確認結果 (OQS-IF-002)",
    "OQSsiimm01req": "照会番号登録要求 (OQS-IF-003)", "OQSsiimm01res": "照会番号登録結果 (OQS-IF-004)",
    "OQSmuquc01req": "資格確認一括照会要求 (OQS-IF-005)", "OQSmuquc01res": "一括照会アップロード結果 (OQS-IF-006)",
    "OQSmuquc02req": "一括照会ダウンロード要求 (OQS-IF-007)", "OQSmuquc02res": "資格確認一括照会結果 (OQS-IF-008)",
    "OQSmuimm01req": "照会番号一括登録要求 (OQS-IF-009)", "OQSmuimm01res": "照会番号一括登録アップロード結果 (OQS-IF-010)",
    "OQSmuimm02req": "照会番号一括登録ダウンロード要求 (OQS-IF-011)", "OQSmuimm02res": "照会番号一括登録結果 (OQS-IF-012)",
    "OQSmutic01req": "委託先資格情報一括取得要求 (OQS-IF-013)", "OQSmutic01res": "委託先資格情報一括取得アップロード結果 (OQS-IF-014)",
    "OQSmutic02req": "委託先資格情報一括取得ダウンロード要求 (OQS-IF-015)", "OQSmutic02res": "委託先資格情報一括取得結果 (OQS-IF-016)",
    "OQSmuhvq01req": "同意済資格情報一括取得要求（訪問診療等）", "OQSmuonq02res": "同意済資格情報一括取得結果（オンライン診療等）",
    "YZKsiquc01req": "薬剤情報取得要求", "TKKsiquc01res": "特定健診情報取得結果",
    "EPSsipre01req": None, "OQSsihvq01req": None,
}
for api, known in KNOWN.items():
    paired = api[:-3] + ("res" if api.endswith("req") else "req")
    for suffix, ext in [("202611210001", "xml"), ("X_1", "zip")]:
        ok("oqs.file_name", {"name": f"{api}_{suffix}.{ext}"},
           {"api": api, "known_name": known, "paired": f"{paired}_{suffix}.{ext}", "zipped": ext == "zip", "face": None})
ok("oqs.file_name", {"name": "OQSsiquc01res_face_13612345684da5260a16de5a3d3ad7_20260929160112.xml"},
   {"api": "OQSsiquc01res", "known_name": "資格確認結果 (OQS-IF-002)",
    "paired": "OQSsiquc01req_face_13612345684da5260a16de5a3d3ad7_20260929160112.xml", "zipped": False,
    "face": {"institution": "1361234568", "id": "4da5260a16de5a3d3ad7", "read_at": "20260929160112"}})
for bad in ["readme.txt", "OQSsiquc01req.xml", "OQSsiquc01req_.xml", "OQSxxquc01req_1.xml", "ABCsiquc01req_1.xml",
            "OQSsiquc01req_a-b.xml", "OQSsiquc01rex_1.xml", "OQSsiquc1req_1.xml",
            "OQSsiquc01res_face_1311111111abcd_20260929160112.xml", "OQSsiquc01res_face_1361234568zz_20260929160112.xml",
            "OQSsiquc01res_face_1361234568ab_20260931160112.xml"]:
    err("oqs.file_name", {"name": bad}, "OQS_FILE_NAME")

# oqs.write_request / oqs.read_result: the file interface through every binding (oqs-interface.md §3.1–3.2) -------
import os
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))


def request_xml(r):
    """This file's own writer of OQSsiquc01req (element order of §3.1), UTF-8 declaration."""
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>', "<XmlMsg>", "  <MessageHeader>",
             f"    <QualificationConfirmationDate>{r['confirmation_date']}</QualificationConfirmationDate>",
             f"    <MedicalInstitutionCode>{r['institution']}</MedicalInstitutionCode>"]
    if r.get("arbitrary_file_identifier"):
        lines.append(f"    <ArbitraryFileIdentifier>{esc(r['arbitrary_file_identifier'])}</ArbitraryFileIdentifier>")
    lines += ["  </MessageHeader>", "  <MessageBody>", "    <QualificationConfirmSearchInfo>",
              f"      <InsurerNumber>{r['insurer'].rjust(8)}</InsurerNumber>"]
    if r.get("symbol"):
        lines.append(f"      <InsuredCardSymbol>{esc(canon(r['symbol']))}</InsuredCardSymbol>")
    lines.append(f"      <InsuredIdentificationNumber>{esc(canon(r['number']))}</InsuredIdentificationNumber>")
    if r.get("branch"):
        lines.append(f"      <InsuredBranchNumber>{r['branch']}</InsuredBranchNumber>")
    lines += [f"      <Birthdate>{r['birthdate']}</Birthdate>",
              f"      <LimitApplicationCertificateRelatedConsFlg>{r['limit_consent']}</LimitApplicationCertificateRelatedConsFlg>"]
    if r.get("arbitrary_identifier"):
        lines.append(f"      <ArbitraryIdentifier>{esc(r['arbitrary_identifier'])}</ArbitraryIdentifier>")
    lines += ["    </QualificationConfirmSearchInfo>", "  </MessageBody>", "</XmlMsg>", ""]
    return "\n".join(lines)


def canon(t):
    """記号・番号 keep what was typed except full-width digits (identifiers.md §3)."""
    return t.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace('"', "&quot;")


REQS = [
    {"confirmation_date": "20261121", "institution": "1361234568", "insurer": "131011", "number": "222222",
     "birthdate": "19550710", "limit_consent": "1"},
    {"confirmation_date": "20261121", "institution": "0110113719", "insurer": "01130012", "symbol": "0001", "number": "111111",
     "branch": "01", "birthdate": "19800401", "limit_consent": "0", "arbitrary_file_identifier": "onshi-42",
     "arbitrary_identifier": "カルテ<1>&2"},
    {"confirmation_date": "20270101", "institution": "1341234563", "insurer": "39131008", "symbol": "北ア", "number": "ＡＢ１２",
     "birthdate": "19450101", "limit_consent": "1"},
]
for i in range(8):
    REQS.append({"confirmation_date": f"2026112{i}", "institution": "1361234568", "insurer": "06130017",
                 "number": f"{i:06d}", "branch": f"{i:02d}", "birthdate": f"19{50 + i}0{1 + i}0{1 + i}",
                 "limit_consent": str(i % 2), "arbitrary_identifier": f"\"q\" '{i}'" if i % 3 == 0 else None})
for r in REQS:
    ok("oqs.write_request", {"request": r}, {"xml": request_xml(r)})
for bad in [dict(REQS[0], insurer="01130013"), dict(REQS[0], limit_consent="2"), dict(REQS[0], birthdate="1955-07-10"),
            dict(REQS[0], institution="1311111111")]:
    err("oqs.write_request", {"request": bad}, "BAD_REQUEST", note="the request model only holds valid values")

SAMPLE = open(os.path.join(HERE, "oqs", "face_medaid_limit.utf8.xml"), encoding="utf-8").read()
ENTRY_FIELDS = {  # element → model key, for plain text fields
    "InsuredCardClassification": "card_classification", "InsuredCardSymbol": "symbol",
    "InsuredIdentificationNumber": "number", "InsuredBranchNumber": "branch", "PersonalFamilyClassification": "personal_family",
    "InsuredName": "insured_name", "Name": "name", "NameOfOther": "name_of_other", "NameKana": "name_kana",
    "NameOfOtherKana": "name_of_other_kana", "Sex1": "sex1", "Sex2": "sex2", "Birthdate": "birthdate", "Address": "address",
    "PostNumber": "post_number", "QualificationDate": "qualification_date", "DisqualificationDate": "disqualification_date",
    "InsuredCardValidDate": "card_valid_date", "InsuredCardExpirationDate": "card_expiration_date",
    "InsuredPartialContributionRatio": "copay_ratio", "ReasonOfLoss": "reason_of_loss", "InsurerName": "insurer_name",
}
KNOWN_ENTRY = set(ENTRY_FIELDS) | {"InsurerNumber", "PreschoolClassification", "ElderlyRecipientCertificateInfo",
    "LimitApplicationCertificateRelatedInfo", "SpecificDiseasesCertificateList", "ReferenceNumber", "ArbitraryIdentifier",
    "PrescriptionIssueSelect", "PublicExpenseNumber", "BeneficiaryNumber", "WelfareOfficeName", "PublicExpenseResultList",
    "LimitApplicationCertificateRelatedConsFlg", "LimitApplicationCertificateRelatedConsTime", "LimitApplicationCertificateChanged",
    "QualificationConfirmationKey", "InsuredCertificateIssuanceDate"} | {
    f"{p}{s}" for p in ["SpecificHealthCheckupsInfo", "PharmacistsInfo", "DiagnosisInfo", "OperationInfo",
                        "SpecificDiseasesCertificateRelated"] for s in ["ConsFlg", "ConsTime", "AvailableTime"]}


def t(el, name):
    c = el.find(name)
    return c.text if c is not None and c.text else None


def read_result(xml_text):
    """This file's own reader of 資格確認結果 into the shape onshi-core's serde gives."""
    root = ET.fromstring(xml_text.encode("utf-8"))
    h = root.find("MessageHeader")
    header = {"processed_at": t(h, "ProcessExecutionTime"), "confirmation_date": t(h, "QualificationConfirmationDate"),
              "institution": t(h, "MedicalInstitutionCode"), "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"),
              "reference_classification": t(h, "ReferenceClassification"), "segment_of_result": t(h, "SegmentOfResult"),
              "error_code": t(h, "ErrorCode"), "error_message": t(h, "ErrorMessage"),
              "character_code": t(h, "CharacterCodeIdentifier")}
    unknown = []
    b = root.find("MessageBody")
    body = None
    if b is not None:
        results = []
        for e in b.findall("ResultList/ResultOfQualificationConfirmation"):
            unknown += [f"XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation/{c.tag}" for c in e if c.tag not in KNOWN_ENTRY]
            q = {k: t(e, el) for el, k in ENTRY_FIELDS.items()}
            ins = t(e, "InsurerNumber")
            q["insurer_number"] = ins.strip() if ins else None
            q["preschool"] = t(e, "PreschoolClassification") == "1"
            el = e.find("ElderlyRecipientCertificateInfo")
            q["elderly_recipient"] = None if el is None else {
                "valid_from": t(el, "ElderlyRecipientValidStartDate"), "valid_until": t(el, "ElderlyRecipientValidEndDate"),
                "copay_ratio": t(el, "ElderlyRecipientContributionRatio")}
            li = e.find("LimitApplicationCertificateRelatedInfo")
            q["limit_certificate"] = None if li is None else {
                "kind": t(li, "LimitApplicationCertificateClassification"),
                "category": t(li, "LimitApplicationCertificateClassificationFlag"),
                "valid_from": t(li, "LimitApplicationCertificateValidStartDate"),
                "valid_until": t(li, "LimitApplicationCertificateValidEndDate"),
                "long_term_date": t(li, "LimitApplicationCertificateLongTermDate")}
            q["specific_diseases"] = []
            welfare, payer, ben = t(e, "WelfareOfficeName"), t(e, "PublicExpenseNumber"), t(e, "BeneficiaryNumber")
            if welfare or payer or ben:
                tickets = [{"ticket_type": t(m, "TicketType"), "month": t(m, "MedicalTreatmentMonth") + "01",
                            "designated_institution": t(m, "DesignatedMedicalInstitutionCode"),
                            "designated_flag": t(m, "DesignatedMedicalInstitutionFlag"), "treatment_type": t(m, "MedicalTreatmentType"),
                            "single_or_combined": t(m, "SingleOrCombinedUse"), "issue_number": t(m, "IssueNumber"),
                            "valid_from": t(m, "MedicalTicketValidDate"), "valid_until": t(m, "MedicalTicketExpirationDate")}
                           for m in e.findall("PublicExpenseResultList/MedicalTicketInfo")]
                q["medical_assistance"] = {"payer": payer, "beneficiary": ben, "welfare_office_name": welfare or "", "tickets": tickets}
            else:
                q["medical_assistance"] = None
            consents = []
            for prefix, kind in [("SpecificHealthCheckupsInfo", "TKK"), ("PharmacistsInfo", "YZK"), ("DiagnosisInfo", "SRJ"),
                                 ("OperationInfo", "SHJ"), ("SpecificDiseasesCertificateRelated", "TSR")]:
                if t(e, prefix + "ConsFlg"):
                    consents.append({"kind": kind, "status": t(e, prefix + "ConsFlg"), "consented_at": t(e, prefix + "ConsTime"),
                                     "available_until": t(e, prefix + "AvailableTime")})
            results.append({"qualification": q, "reference_number": t(e, "ReferenceNumber"),
                            "arbitrary_identifier": t(e, "ArbitraryIdentifier"),
                            "limit_consent": t(e, "LimitApplicationCertificateRelatedConsFlg"), "consents": consents,
                            "prescription_issue": t(e, "PrescriptionIssueSelect")})
        body = {"processing_result_status": t(b, "ProcessingResultStatus"), "processing_result_code": t(b, "ProcessingResultCode"),
                "processing_result_message": t(b, "ProcessingResultMessage"),
                "qualification_validity": t(b, "QualificationValidity"), "results": results}
    return {"header": header, "body": body, "unknown_elements": unknown}


VARIANTS = [
    ("the hand-written face sample", SAMPLE),
    ("validity 3", SAMPLE.replace("<QualificationValidity>1<", "<QualificationValidity>3<")),
    ("no 限度額 block", SAMPLE.replace(SAMPLE[SAMPLE.index("<LimitApplicationCertificateRelatedInfo>"):
                                             SAMPLE.index("</LimitApplicationCertificateRelatedInfo>") + 41], "")),
    ("未委託: welfare office without the numbers", SAMPLE.replace("<PublicExpenseNumber>12130019</PublicExpenseNumber>", "")
        .replace("<BeneficiaryNumber>1234566</BeneficiaryNumber>", "")),
    ("a supplementary notice on success", SAMPLE.replace("<QualificationValidity>", "<ProcessingResultCode>W001</ProcessingResultCode>"
        "<ProcessingResultMessage>マイナンバーカードの失効期限3か月前</ProcessingResultMessage><QualificationValidity>")),
    ("processing", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><MedicalInstitutionCode>1361234568"
        "</MedicalInstitutionCode><SegmentOfResult>2</SegmentOfResult></MessageHeader></XmlMsg>"),
]
for note, text in VARIANTS:
    ok("oqs.read_result", {"xml": text}, read_result(text), note=note)
for note, text, code in [
    ("not XML", "not xml", "OQS_NOT_A_MESSAGE"),
    ("not an XmlMsg", "<Other/>", "OQS_NOT_A_MESSAGE"),
    ("no header", "<XmlMsg><MessageBody/></XmlMsg>", "OQS_MISSING_ELEMENT"),
    ("no segment", SAMPLE.replace("<SegmentOfResult>1</SegmentOfResult>", ""), "OQS_MISSING_ELEMENT"),
    ("no birth date", SAMPLE.replace("<Birthdate>19550710</Birthdate>", "", 1), "OQS_MISSING_ELEMENT"),
    ("unknown validity", SAMPLE.replace("<QualificationValidity>1<", "<QualificationValidity>9<"), "OQS_INVALID_VALUE"),
    ("wrong check digit", SAMPLE.replace("<MedicalInstitutionCode>1361234568<", "<MedicalInstitutionCode>1361234567<"), "OQS_INVALID_VALUE"),
    ("bad date", SAMPLE.replace("20100101", "20100230"), "OQS_INVALID_VALUE"),
    ("bad month", SAMPLE.replace("<MedicalTreatmentMonth>202611<", "<MedicalTreatmentMonth>202613<"), "OQS_INVALID_VALUE"),
    ("unknown ceiling category", SAMPLE.replace(">B05<", ">B11<"), "OQS_INVALID_VALUE"),
]:
    err("oqs.read_result", {"xml": text}, code, note=note)

# oqs.read_message: any file by its name (oqs-interface.md §1.2, §3.3–3.7) ------------------------------
# This file's own reader of each message, into the shape onshi-core's serde gives: a tagged message
# ("message": kind) under {"api", "message"}. Dates stay as written (YYYYMM becomes YYYYMM01, the first
# day of the month), counts are numbers, identifiers are canonical (insurer without its padding).


def header_of(h):
    """The response header of the bulk and registration files (the 02res list of §3.3)."""
    count = lambda n: int(t(h, n)) if t(h, n) else None
    return {"processed_at": t(h, "ProcessExecutionTime"), "confirmation_date": t(h, "QualificationConfirmationDate"),
            "institution": t(h, "MedicalInstitutionCode"), "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"),
            "reception_number": t(h, "ReceptionNumber"), "segment_of_result": t(h, "SegmentOfResult"),
            "error_code": t(h, "ErrorCode"), "error_message": t(h, "ErrorMessage"),
            "processed_count": count("NumberOfProcessingResult"), "normal_count": count("NumberOfNormalProcessing"),
            "error_count": count("NumberOfError"), "character_code": t(h, "CharacterCodeIdentifier")}


def status_of(el):
    if not any(t(el, n) for n in ["ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage"]):
        return None
    return {"status": t(el, "ProcessingResultStatus"), "code": t(el, "ProcessingResultCode"),
            "message": t(el, "ProcessingResultMessage")}


def key_of(el):
    if not t(el, "InsurerNumber") and (t(el, "PublicExpenseNumber") or t(el, "BeneficiaryNumber")):
        return {"by": "medical_aid", "payer": t(el, "PublicExpenseNumber"), "beneficiary": t(el, "BeneficiaryNumber")}
    sym, br = t(el, "InsuredCardSymbol"), t(el, "InsuredIdentificationNumber")
    return {"by": "insurance", "insurer": t(el, "InsurerNumber").strip(), "symbol": canon(sym) if sym else None,
            "number": canon(br), "branch": t(el, "InsuredBranchNumber")}


def search_of(el):
    return {"key": key_of(el), "birthdate": t(el, "Birthdate"),
            "limit_consent": t(el, "LimitApplicationCertificateRelatedConsFlg"),
            "arbitrary_identifier": t(el, "ArbitraryIdentifier")}


def registration_of(el):
    return {"reference_number": t(el, "ReferenceNumber"), "key": key_of(el)}


def entries_of(unit, path):
    """Each ResultOfQualificationConfirmation, through read_result's own reading of one entry."""
    out, unknown = [], []
    for e in unit.findall("ResultOfQualificationConfirmation"):
        holder = ET.fromstring("<XmlMsg><MessageHeader><MedicalInstitutionCode>1361234568</MedicalInstitutionCode>"
                               "<SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody>"
                               "<ProcessingResultStatus>1</ProcessingResultStatus><ResultList/></MessageBody></XmlMsg>")
        holder.find("MessageBody/ResultList").append(e)
        r = read_result(ET.tostring(holder, encoding="unicode"))
        entry = r["body"]["results"][0]
        if t(e, "LimitApplicationCertificateChanged"):
            entry["limit_certificate_changed"] = t(e, "LimitApplicationCertificateChanged")
        out.append(entry)
        unknown += [u.replace("XmlMsg/MessageBody/ResultList/ResultOfQualificationConfirmation", path + "/ResultOfQualificationConfirmation")
                    for u in r["unknown_elements"]]
    return out, unknown


UNIT_KNOWN = {"QualificationConfirmSearchInfo", "ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage",
              "QualificationValidity", "ResultOfQualificationConfirmation", "ResultList", "ReferenceNumber"}


def once(unknown, paths):
    for p in paths:
        if p not in unknown:
            unknown.append(p)


def bulk_of(root, unit_name, unit_reader):
    unknown = []
    h = root.find("MessageHeader")
    once(unknown, [f"XmlMsg/MessageHeader/{c.tag}" for c in h if c.tag not in
                   {"ProcessExecutionTime", "QualificationConfirmationDate", "MedicalInstitutionCode", "ArbitraryFileIdentifier",
                    "ReceptionNumber", "SegmentOfResult", "ErrorCode", "ErrorMessage", "NumberOfProcessingResult",
                    "NumberOfNormalProcessing", "NumberOfError", "CharacterCodeIdentifier"}])
    b = root.find("MessageBody")
    units = []
    if b is not None:
        for c in b:
            if c.tag == unit_name:
                units.append(unit_reader(c, unknown))
            elif c.tag not in {"ProcessingResultStatus", "ProcessingResultCode", "ProcessingResultMessage"}:
                once(unknown, [f"XmlMsg/MessageBody/{c.tag}"])
    return {"header": header_of(h), "status": status_of(b) if b is not None else None, "units": units,
            "unknown_elements": unknown}


def confirm_unit(u, unknown):
    path = "XmlMsg/MessageBody/BulkConfirmUnit"
    once(unknown, [f"{path}/{c.tag}" for c in u if c.tag not in UNIT_KNOWN])
    s = u.find("QualificationConfirmSearchInfo")
    results, more = entries_of(u, path)
    once(unknown, more)
    return {"search": search_of(s) if s is not None else None,
            "processing_result_status": t(u, "ProcessingResultStatus"), "processing_result_code": t(u, "ProcessingResultCode"),
            "processing_result_message": t(u, "ProcessingResultMessage"),
            "qualification_validity": t(u, "QualificationValidity"), "results": results,
            "reference_number": t(u, "ReferenceNumber")}


def registration_unit(u, unknown):
    i = u.find("ReferenceNumberRegistrationInfo")
    return {"info": registration_of(i) if i is not None else None, "result": status_of(u)}


BULK_FUNCTIONS = {"quc", "imm", "tic", "hvq", "onq"}


def read_message(name, xml_text):
    """This file's own answer for oqs.read_message on the files below."""
    api = name.split("_")[0]
    fam, mu, fn, step, d = api[:3], api[3:5], api[5:8], api[8:10], api[10:]
    root = ET.fromstring(xml_text.encode("utf-8"))
    h, b = root.find("MessageHeader"), root.find("MessageBody")
    if fam == "OQS" and mu == "si" and fn == "quc" and d == "res":
        m = dict(message="qualification_result", **read_result(xml_text))
    elif fam == "OQS" and mu == "si" and fn == "imm" and d == "req":
        m = {"message": "reference_number_request", "institution": t(h, "MedicalInstitutionCode"),
             "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"),
             "info": registration_of(b.find("ReferenceNumberRegistrationInfo"))}
    elif fam == "OQS" and mu == "si" and fn == "imm" and d == "res":
        m = {"message": "reference_number_result", "header": header_of(h),
             "body": registration_unit(b, []) if b is not None else None, "unknown_elements": []}
    elif fam == "OQS" and mu == "mu" and step == "01" and d == "req" and fn == "quc":
        m = {"message": "bulk_qualification_request", "confirmation_date": t(h, "QualificationConfirmationDate"),
             "institution": t(h, "MedicalInstitutionCode"), "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"),
             "persons": [search_of(s) for s in b.findall("QualificationConfirmSearchInfo")]}
    elif fam == "OQS" and mu == "mu" and step == "01" and d == "req" and fn == "imm":
        m = {"message": "bulk_reference_number_request", "institution": t(h, "MedicalInstitutionCode"),
             "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"),
             "entries": [registration_of(i) for i in b.findall("ReferenceNumberRegistrationInfo")]}
    elif fam == "OQS" and mu == "mu" and step == "01" and d == "req" and fn == "tic":
        m = {"message": "medical_aid_bulk_request", "institution": t(h, "MedicalInstitutionCode"),
             "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"),
             "month": t(b, "QualificationConfirmSearchInfo/MedicalTreatmentMonth") + "01"}
    elif fam == "OQS" and mu == "mu" and step == "01" and d == "req":
        s = b.find("QualificationConfirmSearchInfo")
        exam = t(s, "ExaminationDateFrom") and not t(s, "ConsentDateFrom")
        pre = "Examination" if exam else "Consent"
        m = {"message": "consented_bulk_request", "institution": t(h, "MedicalInstitutionCode"),
             "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"),
             "setting": {"2": "home_visit", "3": "online"}[t(s, "MedicalTreatmentFlag")],
             "basis": "examination" if exam else "consent", "from": t(s, pre + "DateFrom"), "to": t(s, pre + "DateTo")}
    elif fam == "OQS" and mu == "mu" and step == "01":
        m = {"message": "upload_result", "function": fn,
             "result": {"header": header_of(h), "body": status_of(b) if b is not None else None, "unknown_elements": []}}
    elif fam == "OQS" and mu == "mu" and step == "02" and d == "req":
        m = {"message": "download_request", "function": fn,
             "request": {"institution": t(h, "MedicalInstitutionCode"), "reception_number": t(b, "ReceptionNumber")}}
    elif fam == "OQS" and mu == "mu" and fn == "imm":
        m = dict(message="bulk_registration_result", **bulk_of(root, "BulkRegistrationUnit", registration_unit))
    elif fam == "OQS" and mu == "mu":
        m = {"message": "bulk_result", "function": fn, "result": bulk_of(root, "BulkConfirmUnit", confirm_unit)}
    elif d == "req":
        sym = t(h, "InsuranceCardSymbol")
        query = ({"kind": "medication", "start_date": t(b, "StartDate"), "end_date": t(b, "EndDate"),
                  "file_category": t(b, "FileCategory")} if fam == "YZK"
                 else {"kind": "health_checkups", "file_category": t(b, "FileCategory")})
        m = {"message": "medical_info_request", "institution": t(h, "MedicalInstitutionCode"),
             "insurer": t(h, "InsurerNumber").strip(), "symbol": canon(sym) if sym else None,
             "number": canon(t(h, "InsuredPersonIdentificationNumber")), "branch": t(h, "BranchNumber"),
             "arbitrary_file_identifier": t(h, "ArbitraryFileIdentifier"), "query": query,
             "classification": t(b, "PrDiInfClassification"), "treatment": t(b, "MedicalTreatmentFlag")}
    else:
        raise ValueError(name)
    return {"api": api, "message": m}


BULK = open(os.path.join(HERE, "oqs", "bulk_result.utf8.xml"), encoding="utf-8").read()
HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><MedicalInstitutionCode>1361234568</MedicalInstitutionCode>"
REG_INFO = ("<ReferenceNumberRegistrationInfo><ReferenceNumber>K000123</ReferenceNumber><InsurerNumber>  131011</InsurerNumber>"
            "<InsuredCardSymbol>北ア</InsuredCardSymbol><InsuredIdentificationNumber>２２２２２２</InsuredIdentificationNumber>"
            "<InsuredBranchNumber>00</InsuredBranchNumber></ReferenceNumberRegistrationInfo>")
REG_AID = ("<ReferenceNumberRegistrationInfo><ReferenceNumber>K&amp;000124</ReferenceNumber><PublicExpenseNumber>12130019"
           "</PublicExpenseNumber><BeneficiaryNumber>1234566</BeneficiaryNumber></ReferenceNumberRegistrationInfo>")
RESULT_HEAD = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><ProcessExecutionTime>20261121093015"
               "</ProcessExecutionTime><MedicalInstitutionCode>1361234568</MedicalInstitutionCode>"
               "<ReceptionNumber>R0042</ReceptionNumber>")
MESSAGES = [
    ("OQSmuquc02res_202611210001.xml", BULK, "the hand-written 一括照会結果"),
    ("OQSmutic02res_202611210002.xml", BULK, "医療扶助 results have the same units"),
    ("OQSmuhvq02res_202611210003.xml", RESULT_HEAD + "<SegmentOfResult>2</SegmentOfResult></MessageHeader></XmlMsg>",
     "処理中: polled too early, no body"),
    ("OQSmuonq02res_X.xml", RESULT_HEAD + "<SegmentOfResult>1</SegmentOfResult><Later>x</Later></MessageHeader><MessageBody>"
     "<ProcessingResultStatus>2</ProcessingResultStatus><ProcessingResultCode>E9</ProcessingResultCode><BulkConfirmUnit>"
     "<ProcessingResultStatus>2</ProcessingResultStatus><Extra/></BulkConfirmUnit><BulkConfirmUnit><Extra/></BulkConfirmUnit>"
     "</MessageBody></XmlMsg>", "body-level status, unknown elements listed once"),
    ("OQSmuquc01res_202611210001.xml", RESULT_HEAD + "<SegmentOfResult>1</SegmentOfResult><CharacterCodeIdentifier>0"
     "</CharacterCodeIdentifier></MessageHeader><MessageBody><ProcessingResultStatus>1</ProcessingResultStatus></MessageBody></XmlMsg>",
     "アップロード結果 with the 受付番号"),
    ("OQSmutic01res_1.xml", RESULT_HEAD + "<SegmentOfResult>9</SegmentOfResult><ErrorCode>E01</ErrorCode><ErrorMessage>"
     "形式エラー</ErrorMessage></MessageHeader></XmlMsg>", "an aborted upload"),
    ("OQSmuimm02req_1.xml", HEAD + "</MessageHeader><MessageBody><ReceptionNumber>R0042</ReceptionNumber></MessageBody></XmlMsg>",
     "ダウンロード要求"),
    ("OQSsiimm01req_1.xml", HEAD + "<ArbitraryFileIdentifier>f1</ArbitraryFileIdentifier></MessageHeader><MessageBody>"
     + REG_INFO + "</MessageBody></XmlMsg>", "照会番号登録要求 (full-width digits in the number)"),
    ("OQSsiimm01req_2.xml", HEAD + "</MessageHeader><MessageBody>" + REG_AID + "</MessageBody></XmlMsg>",
     "照会番号登録要求 for 医療扶助 (onshi's MEDAID_KEY choice)"),
    ("OQSsiimm01res_1.xml", RESULT_HEAD.replace("<ReceptionNumber>R0042</ReceptionNumber>", "") + "<SegmentOfResult>1"
     "</SegmentOfResult></MessageHeader><MessageBody>" + REG_INFO + "<ProcessingResultStatus>1</ProcessingResultStatus>"
     "</MessageBody></XmlMsg>", "照会番号登録結果"),
    ("OQSmuimm01req_1.xml", HEAD + "</MessageHeader><MessageBody>" + REG_INFO + REG_AID + "</MessageBody></XmlMsg>",
     "照会番号一括登録要求"),
    ("OQSmuimm02res_1.xml", RESULT_HEAD + "<SegmentOfResult>1</SegmentOfResult><NumberOfProcessingResult>2"
     "</NumberOfProcessingResult></MessageHeader><MessageBody><BulkRegistrationUnit>" + REG_INFO + "<ProcessingResultStatus>1"
     "</ProcessingResultStatus></BulkRegistrationUnit><BulkRegistrationUnit>" + REG_AID + "<ProcessingResultStatus>2"
     "</ProcessingResultStatus><ProcessingResultMessage>重複</ProcessingResultMessage></BulkRegistrationUnit></MessageBody></XmlMsg>",
     "照会番号一括登録結果"),
    ("OQSmutic01req_1.xml", HEAD + "<ArbitraryFileIdentifier>tic-1</ArbitraryFileIdentifier></MessageHeader><MessageBody>"
     "<QualificationConfirmSearchInfo><MedicalTreatmentMonth>202611</MedicalTreatmentMonth></QualificationConfirmSearchInfo>"
     "</MessageBody></XmlMsg>", "医療扶助 monthly bulk fetch"),
    ("OQSmuhvq01req_1.xml", HEAD + "</MessageHeader><MessageBody><QualificationConfirmSearchInfo><ConsentDateFrom>20261101"
     "</ConsentDateFrom><ConsentDateTo>20261130</ConsentDateTo><MedicalTreatmentFlag>2</MedicalTreatmentFlag>"
     "</QualificationConfirmSearchInfo></MessageBody></XmlMsg>", "home visits by consent date"),
    ("OQSmuonq01req_1.xml", HEAD + "</MessageHeader><MessageBody><QualificationConfirmSearchInfo><ExaminationDateFrom>20261101"
     "</ExaminationDateFrom><ExaminationDateTo>20261101</ExaminationDateTo><MedicalTreatmentFlag>3</MedicalTreatmentFlag>"
     "</QualificationConfirmSearchInfo></MessageBody></XmlMsg>", "online care by examination date"),
    ("OQSmuquc01req_1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader><QualificationConfirmationDate>"
     "20261121</QualificationConfirmationDate><MedicalInstitutionCode>1361234568</MedicalInstitutionCode></MessageHeader>"
     "<MessageBody><QualificationConfirmSearchInfo><InsurerNumber>06130017</InsurerNumber><InsuredIdentificationNumber>7"
     "</InsuredIdentificationNumber><Birthdate>19800101</Birthdate><LimitApplicationCertificateRelatedConsFlg>0"
     "</LimitApplicationCertificateRelatedConsFlg></QualificationConfirmSearchInfo><QualificationConfirmSearchInfo>"
     "<PublicExpenseNumber>12130019</PublicExpenseNumber><BeneficiaryNumber>1234566</BeneficiaryNumber><Birthdate>19550710"
     "</Birthdate><ArbitraryIdentifier>&lt;a&gt;</ArbitraryIdentifier></QualificationConfirmSearchInfo></MessageBody></XmlMsg>",
     "一括照会要求 (onshi's BULK_REQUEST_BODY choice)"),
    ("YZKsiquc01req_1.xml", HEAD + "<InsurerNumber>  131011</InsurerNumber><InsuranceCardSymbol>北ア</InsuranceCardSymbol>"
     "<InsuredPersonIdentificationNumber>222222</InsuredPersonIdentificationNumber><BranchNumber>00</BranchNumber>"
     "</MessageHeader><MessageBody><StartDate>20260801</StartDate><EndDate>20261121</EndDate><FileCategory>4</FileCategory>"
     "<PrDiInfClassification>1</PrDiInfClassification><MedicalTreatmentFlag>1</MedicalTreatmentFlag></MessageBody></XmlMsg>",
     "薬剤情報 request"),
    ("TKKsiquc01req_1.xml", HEAD + "<InsurerNumber>01130012</InsurerNumber><InsuredPersonIdentificationNumber>111111"
     "</InsuredPersonIdentificationNumber></MessageHeader><MessageBody><FileCategory>2</FileCategory>"
     "<MedicalTreatmentFlag>2</MedicalTreatmentFlag></MessageBody></XmlMsg>", "特定健診 request"),
    ("OQSsiquc01res_face_13612345684da5260a16de5a3d3ad7_20260929160112.xml", SAMPLE, "a face result is a 資格確認結果"),
]
for name, text, note in MESSAGES:
    ok("oqs.read_message", {"file_name": name, "xml": text}, read_message(name, text), note=note)
for note, name, text, code in [
    ("not a file name", "readme.txt", BULK, "OQS_FILE_NAME"),
    ("a zip is unzipped by the host", "OQSmuquc02res_1.zip", BULK, "OQS_ZIPPED"),
    ("e-prescription files are not modelled", "EPSsipre01req_1.xml", BULK, "OQS_UNSUPPORTED_MESSAGE"),
    ("single home-visit check is not modelled", "OQSsihvq01req_1.xml", BULK, "OQS_UNSUPPORTED_MESSAGE"),
    ("not XML", "OQSmuquc02res_1.xml", "not xml", "OQS_NOT_A_MESSAGE"),
    ("a completed bulk result needs a body", "OQSmuquc02res_1.xml", RESULT_HEAD + "<SegmentOfResult>1</SegmentOfResult>"
     "</MessageHeader></XmlMsg>", "OQS_MISSING_ELEMENT"),
    ("unknown validity in a unit", "OQSmuquc02res_1.xml", BULK.replace("<QualificationValidity>4<", "<QualificationValidity>8<"),
     "OQS_INVALID_VALUE"),
    ("no reception number", "OQSmuquc02req_1.xml", HEAD + "</MessageHeader><MessageBody/></XmlMsg>", "OQS_MISSING_ELEMENT"),
    ("month 13", "OQSmutic01req_1.xml", HEAD + "</MessageHeader><MessageBody><QualificationConfirmSearchInfo><MedicalTreatmentMonth>"
     "202613</MedicalTreatmentMonth></QualificationConfirmSearchInfo></MessageBody></XmlMsg>", "OQS_INVALID_VALUE"),
    ("a home-visit flag in an online file", "OQSmuonq01req_1.xml", MESSAGES[13][1], "OQS_INVALID_VALUE"),
    ("a range that ends before it starts", "OQSmuhvq01req_1.xml", MESSAGES[13][1].replace("20261130", "20261031"),
     "OQS_INVALID_VALUE"),
    ("a 健診 request cannot ask for 薬剤+診療", "TKKsiquc01req_1.xml", MESSAGES[17][1].replace(">2</FileCategory>", ">4</FileCategory>"),
     "OQS_INVALID_VALUE"),
    ("wrong check digit of a beneficiary", "OQSsiimm01req_1.xml", MESSAGES[8][1].replace("1234566", "1234567"), "OQS_INVALID_VALUE"),
]:
    err("oqs.read_message", {"file_name": name, "xml": text}, code, note=note)

# Rules that do not exist ------------------------------------------------------------------------------
err("no.such.rule", {}, "RULE_UNKNOWN")

out = sys.stdout
out.write('{"about": "Rule conformance vectors, generated by gen_rules.py (see its docstring).",\n "cases": [\n')
out.write(",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in cases))
out.write("\n ]}\n")
print(f"{len(cases)} cases", file=sys.stderr)
