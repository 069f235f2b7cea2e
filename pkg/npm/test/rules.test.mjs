// Every rule vector through the built npm package's callRule, as a JS app would call it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = process.env.ONSHI_NPM_DIR ?? join(here, "../../../target/npm/onshi");
const { cases } = JSON.parse(readFileSync(join(here, "../../../tests/vectors/rules.json"), "utf8"));
const onshi = await import(join(pkgDir, "onshi_wasm.js"));
onshi.initSync({ module: readFileSync(join(pkgDir, "onshi_wasm_bg.wasm")) });

test("every rule vector", () => {
  assert.ok(cases.length >= 400);
  const mismatches = [];
  cases.forEach((c, i) => {
    const answer = JSON.parse(onshi.callRule(c.rule, JSON.stringify(c.request)));
    try {
      if ("ok" in c.expect) assert.deepStrictEqual(answer.ok, c.expect.ok);
      else assert.equal(answer.error?.code, c.expect.error);
    } catch {
      mismatches.push(`case ${i} (${c.rule}): expected ${JSON.stringify(c.expect)}, got ${JSON.stringify(answer)}`);
    }
  });
  assert.deepStrictEqual(mismatches, []);
});

test("a refusal carries Japanese and English", () => {
  const answer = JSON.parse(onshi.callRule("consent.window", JSON.stringify({ setting: "online_consultation", given_at: "20261121100000" })));
  assert.equal(answer.error.code, "CONSENT_PLANNED_DATE_MISSING");
  assert.match(answer.error.ja, /受診予定日/);
  assert.match(answer.error.en, /planned consultation date/);
});

test("the rules are listed", () => {
  assert.ok(onshi.ruleNames().includes("capability"));
});
