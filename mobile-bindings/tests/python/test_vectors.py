"""The identifier conformance vectors replayed through the uniffi Python bindings.

Run with the generated module on the path: ONSHI_VECTORS=tests/vectors python3 -m unittest ...
"""
import json
import os
import unittest

import onshi_mobile

VECTORS = os.path.join(os.environ.get("ONSHI_VECTORS", "tests/vectors"), "ids.json")


class RuleVectors(unittest.TestCase):
    def test_every_rule_vector(self):
        with open(os.path.join(os.environ.get("ONSHI_VECTORS", "tests/vectors"), "rules.json"), encoding="utf-8") as f:
            cases = json.load(f)["cases"]
        self.assertGreaterEqual(len(cases), 400)
        mismatches = []
        for i, case in enumerate(cases):
            answer = json.loads(onshi_mobile.call_rule(case["rule"], json.dumps(case["request"], ensure_ascii=False)))
            expect = case["expect"]
            if "ok" in expect:
                matches = answer.get("ok") == expect["ok"]
            else:
                matches = answer.get("error", {}).get("code") == expect["error"]
            if not matches:
                mismatches.append(f"case {i} ({case['rule']}): expected {expect}, got {answer}")
        self.assertEqual(mismatches, [], "\n".join(mismatches))

    def test_rules_are_listed(self):
        self.assertIn("medaid.pattern", onshi_mobile.rule_names())


class IdentifierVectors(unittest.TestCase):
    def test_every_vector(self):
        with open(VECTORS, encoding="utf-8") as f:
            cases = json.load(f)["cases"]
        self.assertGreaterEqual(len(cases), 300)
        mismatches = []
        for i, case in enumerate(cases):
            got = onshi_mobile.check_identifier(case["kind"], case["input"])
            answer = {"valid": got.valid}
            if got.valid:
                answer.update(canonical=got.canonical, warnings=len(got.warnings_ja))
            else:
                answer["error"] = got.error_kind
                if got.expected_digit is not None:
                    answer["expected_digit"] = got.expected_digit
            if answer != case["expect"]:
                mismatches.append(f"case {i} ({case['kind']} {case['input']!r}): {case['expect']} != {answer}")
        self.assertEqual(mismatches, [], "\n".join(mismatches))

    def test_unknown_kind_raises(self):
        with self.assertRaises(onshi_mobile.IdentifierKindError.Unknown):
            onshi_mobile.check_identifier("no_such_kind", "1")

    def test_message_in_both_languages(self):
        r = onshi_mobile.check_identifier("insurer_number", "01130013")
        self.assertIn("検証番号", r.message_ja)
        self.assertEqual(r.message_en, "insurer number 01130013: check digit should be 2")


if __name__ == "__main__":
    unittest.main()
