// The harness itself, and how onshi-server serves the app: the demo read from the server's output,
// every app route answered with the app, the service's paths never, the patient URL on a phone
// within its size budget with every file gzip-compressed, an axe audit that does fail, and a demo
// card in pcscd's virtual reader. Run by `cargo xtask test`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { promisify } from "node:util";
import { PATIENT_FLOW_BUDGET_BYTES, audit, budget, launch, shot, startDemo, startPcsc } from "./harness.mjs";

const run = promisify(execFile);
let demo;

before(async () => {
  demo = await startDemo();
});

after(async () => {
  await demo?.stop();
});

test("startDemo reads the demo the server printed, and the server keeps answering", async () => {
  assert.match(demo.base, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(demo.seeded, 2000);
  assert.equal(demo.seed, 1);
  assert.deepEqual(demo.institutions.map((i) => [i.name, i.urls.map((u) => u.kind)]), [
    ["デモ訪問看護ステーション", ["home_visit"]],
    ["デモ整骨院（柔道整復）", []],
    ["デモ内科クリニック", ["home_visit", "online"]],
  ]);
  for (const institution of demo.institutions) {
    assert.ok(institution.deviceKey.startsWith(demo.dir), institution.deviceKey);
    assert.ok(statSync(institution.deviceKey).size > 0, institution.deviceKey);
    for (const url of institution.urls) assert.equal(url.url, `${demo.base}/c/${url.token}`);
  }
  assert.deepEqual(demo.cards.map((c) => [c.index, c.token, c.pin, c.graceOnly]), [
    [0, "Card", "1234", false],
    [1, "Android", "2580", false],
    [2, "Iphone", "1357", false],
    [3, "Card", "4321", true],
  ]);
  assert.equal(demo.cards[0].holder, "デモ　花子 (Hanako Demo)");
  assert.equal(demo.institution("訪問看護").urls[0].kind, "home_visit");
  const health = await fetch(`${demo.base}/healthz`);
  assert.equal(await health.text(), "ok");
});

test("every app route gets the app, the service's paths a JSON error", async () => {
  const chromium = await launch();
  try {
    const { page } = chromium;
    const patient = demo.institution("訪問看護").urls[0].path;
    for (const path of ["/", patient, "/console", "/limited", "/me"]) {
      const response = await page.goto(`${demo.base}${path}`);
      assert.equal(response.status(), 200, path);
      assert.equal(response.headers()["content-encoding"], "gzip", path);
      assert.equal(response.headers()["cache-control"], "no-cache", path);
      await page.locator("main").waitFor({ state: "visible" });
    }
    for (const path of ["/v1/no-such-route", "/bridge/none", "/metrics/none"]) {
      const response = await page.goto(`${demo.base}${path}`);
      assert.equal(response.status(), 404, path);
      assert.equal((await response.json()).error.code, "ROUTE_NOT_FOUND", path);
    }
    const missing = await page.request.get(`${demo.base}/no-such-file.js`);
    assert.equal(missing.status(), 404);
    // The 404s above are logged by the browser; nothing else may be.
    assert.deepEqual(chromium.errors.filter((e) => !/status of 404/.test(e)), []);
  } finally {
    await chromium.close();
  }
});

test("the patient URL on a phone: the patient's bundle only, within the size budget, every file gzip-compressed", async () => {
  const chromium = await launch({ mobile: true });
  try {
    const { page } = chromium;
    const url = demo.institution("訪問看護").urls[0].url;
    const cost = await budget(page, url, { selector: "main", label: "patient URL (app shell)" });
    assert.ok(cost.bytes > 0 && cost.firstRenderMs > 0, JSON.stringify(cost));
    assert.ok(
      cost.bytes <= PATIENT_FLOW_BUDGET_BYTES,
      `${cost.bytes} bytes > ${PATIENT_FLOW_BUDGET_BYTES}:\n${JSON.stringify(cost.resources, null, 1)}`,
    );
    assert.deepEqual(cost.uncompressed, []);
    const wasm = cost.resources.filter((r) => r.url.endsWith(".wasm")).map((r) => [new URL(r.url).pathname, r.encoding]);
    assert.deepEqual(wasm, [["/onshi_patient_bg.wasm", "gzip"]], "no staff code travels to a patient's phone");
    await shot(page, "patient-url-phone");
    await audit(page, "patient URL on a phone");
    assert.deepEqual(chromium.errors, []);
  } finally {
    await chromium.close();
  }
});

test("audit fails on serious violations and names them", async () => {
  const chromium = await launch();
  try {
    const { page } = chromium;
    await page.setContent('<html lang="ja"><title>t</title><main><button></button><input type="text"></main></html>');
    await assert.rejects(audit(page, "a page made wrong on purpose"), (e) => {
      assert.match(e.message, /button-name \(critical\)/);
      assert.match(e.message, /label \(critical\)/);
      assert.match(e.message, /at button/);
      return true;
    });
  } finally {
    await chromium.close();
  }
});

test("startPcsc puts a demo card in pcscd's virtual reader, takes it out and swaps it", async () => {
  const pcsc = await startPcsc({ card: 0, seed: demo.seed });
  const atr = () => run("opensc-tool", ["-r", "0", "-a"]).then((r) => r.stdout);
  try {
    assert.match(await atr(), /3b:e0:00:ff:81:31:fe:45:14/i);
    assert.equal((await run("opensc-tool", ["-r", "0", "-n"])).stdout.trim(), "jpki");
    await pcsc.remove();
    assert.equal(pcsc.card, null);
    await assert.rejects(atr());
    await pcsc.insert(3);
    assert.equal(pcsc.card, 3);
    assert.match(await atr(), /3b:e0:00:ff:81:31:fe:45:14/i);
  } finally {
    await pcsc.stop();
  }
});
