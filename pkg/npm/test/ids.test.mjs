// The built npm package, used from JS as an app would: every identifier vector, types of answers,
// and errors. Run by `cargo xtask test` with ONSHI_NPM_DIR pointing at the built package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = process.env.ONSHI_NPM_DIR ?? join(here, "../../../target/npm/onshi");
const vectors = JSON.parse(readFileSync(join(here, "../../../tests/vectors/ids.json"), "utf8"));
const onshi = await import(join(pkgDir, "onshi_wasm.js"));
onshi.initSync({ module: readFileSync(join(pkgDir, "onshi_wasm_bg.wasm")) });

test("every identifier vector", () => {
  assert.ok(vectors.cases.length >= 300);
  const mismatches = [];
  vectors.cases.forEach((c, i) => {
    const r = onshi.checkIdentifier(c.kind, c.input);
    const answer = { valid: r.valid };
    if (r.valid) {
      answer.canonical = r.canonical;
      answer.warnings = r.warningsJa.length;
    } else {
      answer.error = r.errorKind;
      if (r.expectedDigit !== undefined) answer.expected_digit = r.expectedDigit;
    }
    try {
      assert.deepStrictEqual(answer, c.expect);
    } catch {
      mismatches.push(`case ${i} (${c.kind} ${JSON.stringify(c.input)}): ${JSON.stringify(answer)}`);
    }
  });
  assert.deepStrictEqual(mismatches, []);
});

test("details and messages are plain JS values", () => {
  const ok = onshi.checkIdentifier("medical_institution_code", "1361234568");
  assert.equal(ok.valid, true);
  assert.deepEqual(ok.details.map((d) => d.labelJa), ["都道府県", "点数表", "医療機関コード"]);
  const bad = onshi.checkIdentifier("insurer_number", "01130013");
  assert.equal(bad.messageEn, "insurer number 01130013: check digit should be 2");
  assert.equal(bad.canonical, undefined);
});

test("an unknown kind throws", () => {
  assert.throws(() => onshi.checkIdentifier("no_such_kind", "1"), /unknown identifier kind/);
});

test("the kinds are listed", () => {
  assert.ok(onshi.identifierKinds().includes("beneficiary_number"));
});

test("the package ships TypeScript types", () => {
  const dts = readFileSync(join(pkgDir, "onshi_wasm.d.ts"), "utf8");
  assert.match(dts, /export function checkIdentifier\(kind: string, input: string\): IdentifierCheck;/);
});
