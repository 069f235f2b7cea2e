// The JPKI client end to end from JS: a transport written in JS forwards every APDU to a demo virtual
// card, the client runs in onshi's Wasm, and Node's own crypto verifies the signature with the card's
// certificate — an independent check of what the card signed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { X509Certificate, verify } from "node:crypto";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = process.env.ONSHI_NPM_DIR ?? join(here, "../../../target/npm/onshi");
const onshi = await import(join(pkgDir, "onshi_wasm.js"));
onshi.initSync({ module: readFileSync(join(pkgDir, "onshi_wasm_bg.wasm")) });

const card = onshi.VirtualCard.issue(2026n, 0, "20261121");
let apdus = 0;
const transmit = (command) => { apdus += 1; return card.transmit(command); };
const run = (procedure, input) => {
  apdus = 0;
  return JSON.parse(onshi.runCardProcedure(procedure, JSON.stringify(input), transmit));
};
const challenge = Buffer.from("onshi js challenge");

test("probe: a plastic card with 3 tries in 5 APDUs", () => {
  assert.deepStrictEqual(run("probe", {}).ok, { token: "card", pin: { state: "tries_left", tries_left: 3 } });
  assert.equal(apdus, 5);
});

test("a wrong PIN leaves 2 tries and says so in both languages", () => {
  const outcome = run("authenticate", { pin: "9999", challenge: challenge.toString("hex") });
  assert.equal(outcome.error.code, "PIN_WRONG");
  assert.equal(outcome.error.tries_left, 2);
  assert.match(outcome.error.ja, /あと2回/);
  assert.match(outcome.error.en, /2 more/);
});

test("the right PIN signs the challenge; Node verifies it with the card's certificate", () => {
  const outcome = run("authenticate", { pin: "1234", challenge: challenge.toString("hex") });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.ok(apdus <= 13, `${apdus} APDUs`);
  const certificate = new X509Certificate(Buffer.from(outcome.ok.certificate, "hex"));
  assert.match(certificate.issuer, /JPKI-TEST/);
  assert.ok(certificate.verify(new X509Certificate(Buffer.from(card.rootCertificate())).publicKey));
  const signature = Buffer.from(outcome.ok.signature, "hex");
  assert.ok(verify("sha256", challenge, certificate.publicKey, signature));
  assert.ok(!verify("sha256", Buffer.from("another challenge"), certificate.publicKey, signature));
});

test("with the certificate known, 6 APDUs", () => {
  const outcome = run("authenticate", { pin: "1234", challenge: "00", certificate: "known" });
  assert.equal(outcome.ok.certificate, null);
  assert.equal(apdus, 6);
});

test("the awaited CardProcedure reaches the same card through an async transport", async () => {
  const p = onshi.CardProcedure.start("read_basic_info", JSON.stringify({ pin: "1234" }));
  let step = p.next();
  while (step.send) step = p.next(await Promise.resolve(card.transmit(step.send)));
  const outcome = JSON.parse(step.outcome);
  assert.equal(outcome.ok.birth_date, "19500401");
  assert.equal(outcome.ok.sex, "female");
});

test("a card taken out of the field is CARD_REMOVED", () => {
  card.remove();
  const outcome = run("probe", {});
  assert.equal(outcome.error.code, "CARD_REMOVED");
  assert.match(outcome.error.ja, /カードが離れました/);
  card.insert();
  assert.ok(run("probe", {}).ok);
});
