// Every card script through the built npm package: the synchronous runCardProcedure with a JS callback,
// and the step-by-step CardProcedure awaited as a page over a reader bridge would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = process.env.ONSHI_NPM_DIR ?? join(here, "../../../target/npm/onshi");
const { cases } = JSON.parse(readFileSync(join(here, "../../../tests/vectors/card.json"), "utf8"));
const onshi = await import(join(pkgDir, "onshi_wasm.js"));
onshi.initSync({ module: readFileSync(join(pkgDir, "onshi_wasm_bg.wasm")) });

const hex = (bytes) => Buffer.from(bytes).toString("hex").toUpperCase();

/** A card transport written in JS that plays the card's side of one case. */
function scriptTransport(c) {
  let next = 0;
  const problems = [];
  return {
    problems,
    finished: () => next === c.exchanges.length,
    transmit(command) {
      const [expected, response] = c.exchanges[next] ?? ["(none)", "6D00"];
      if (hex(command) !== expected) problems.push(`command ${next}: sent ${hex(command)}, expected ${expected}`);
      next += 1;
      return new Uint8Array(Buffer.from(response, "hex"));
    },
  };
}

function matches(expect, got) {
  if ("ok" in expect) return isDeepStrictEqual(got.ok, expect.ok);
  return got.error?.code === expect.error.code &&
    (expect.error.tries_left === undefined || got.error?.tries_left === expect.error.tries_left);
}

function check(c, transport, outcome) {
  const problems = [...transport.problems];
  if (!matches(c.expect, outcome)) problems.push(`outcome ${JSON.stringify(outcome).slice(0, 200)}`);
  if (!transport.finished() && problems.length === 0) problems.push("stopped early");
  return problems.length ? [`${c.name}: ${problems.join("; ")}`] : [];
}

test("every card script through runCardProcedure and a JS callback", () => {
  assert.ok(cases.length >= 40);
  const mismatches = cases.flatMap((c) => {
    const t = scriptTransport(c);
    const outcome = JSON.parse(onshi.runCardProcedure(c.procedure, JSON.stringify(c.input), (cmd) => t.transmit(cmd)));
    return check(c, t, outcome);
  });
  assert.deepStrictEqual(mismatches, []);
});

test("every card script through CardProcedure, awaited step by step", async () => {
  const mismatches = [];
  for (const c of cases) {
    const t = scriptTransport(c);
    const p = onshi.CardProcedure.start(c.procedure, JSON.stringify(c.input));
    let step = p.next();
    while (step.send) step = p.next(await Promise.resolve(t.transmit(step.send)));
    mismatches.push(...check(c, t, JSON.parse(step.outcome)));
  }
  assert.deepStrictEqual(mismatches, []);
});

test("a transport that throws ends the procedure with TRANSPORT_FAILED", () => {
  const outcome = JSON.parse(onshi.runCardProcedure("probe", "", () => { throw new Error("reader unplugged"); }));
  assert.equal(outcome.error.code, "TRANSPORT_FAILED");
  assert.match(outcome.error.ja, /カードリーダー/);
});

test("a PIN that is not 4 digits never reaches the transport", () => {
  let sent = 0;
  const outcome = JSON.parse(onshi.runCardProcedure("authenticate", JSON.stringify({ pin: "12", challenge: "00" }), () => { sent += 1; }));
  assert.equal(outcome.error.code, "PIN_WRONG_LENGTH");
  assert.equal(sent, 0);
});
