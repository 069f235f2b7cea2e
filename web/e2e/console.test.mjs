// スタッフ画面 (/console) of the demo 訪問看護ステーション on the nurse's tablet: the browser registered
// with the station's device key file, the patient under care (demo card 0's holder, whose consent is
// registered as setup through the service's API and the reader bridge's demo cards), the round planned
// for today (the service's visit plan, shared by the station's devices) and re-inquired, the full
// qualification view, the 薬剤情報 table under consent and the 照会番号; then without signal — the
// re-inquiry waits in the queue and is sent when the connection is back; a 一括照会 of the demo's
// 1,000-row list with three rows that cannot be answered, filtered and saved as CSV; the station's
// URL with its QR, re-issued; 目視確認 at a home visit on this registered tablet; and the console
// reopened with the service down. Run by `cargo xtask test` (or `cargo xtask e2e`).
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { audit, launch, registerConsent, shot, startDemo } from "./harness.mjs";

const TABLET = { width: 1180, height: 820 };
const ITEM_CODES = ["surgery", "care_and_medication", "health_checkups", "specific_disease"];
const BULK_ROWS = 1000;

let demo;
let chromium;
let page;
let station;
let files;

before(async () => {
  demo = await startDemo({ args: ["--reader-bridge", "virtual"] });
  station = demo.institution("訪問看護ステーション");
  // Demo card 0's holder consents to everything at the station: a patient under its care.
  await registerConsent(demo.base, station.urls.find((u) => u.kind === "home_visit"), {
    answers: ITEM_CODES.map((i) => [i, "agree"]),
    pin: demo.cards[0].pin,
  });
  files = mkdtempSync(join(tmpdir(), "onshi-e2e-files-"));
  chromium = await launch({ viewport: TABLET });
  page = chromium.page;
});

after(async () => {
  await chromium?.close();
  await demo?.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

afterEach(() => {
  // Offline, the page's failed fetches are the point of the test, not errors.
  const errors = chromium.errors.splice(0).filter((e) => !/net::ERR_INTERNET_DISCONNECTED|net::ERR_CONNECTION_REFUSED|Failed to fetch/.test(e));
  assert.deepEqual(errors, [], "the page reported errors");
});

const button = (name) => page.getByRole("button", { name, exact: true });
const visitRows = () => page.locator("section[aria-labelledby=visits] table tbody tr");

test("/console asks for the device key file first", async () => {
  await page.goto(`${demo.base}/console`);
  await page.getByRole("heading", { name: "この端末の登録" }).waitFor();
  await shot(page, "console-1-register-device");
  await audit(page, "console: register the device");
});

test("the station's key file registers this browser; the console opens on the visit list", async () => {
  await page.getByLabel("端末鍵ファイル").setInputFiles(station.deviceKey);
  await page.getByRole("heading", { name: "スタッフ画面", level: 1 }).waitFor();
  assert.match(await page.locator(".device-line").textContent(), /登録端末:\s*1360100018 \/ \S+/);
  await visitRows().first().waitFor();
  assert.equal(await visitRows().count(), 1, "one patient under care");
  // The key is in IndexedDB as a non-extractable WebCrypto key: the page cannot read it back.
  const extractable = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("onshi-device");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const get = db.transaction(names[0]).objectStore(names[0]).getAll();
          get.onsuccess = () => resolve(get.result.map((r) => r.key?.extractable ?? r.privateKey?.extractable ?? null));
          get.onerror = () => reject(get.error);
        };
      }),
  );
  assert.ok(extractable.length > 0 && extractable.every((e) => e === false), JSON.stringify(extractable));
  await shot(page, "console-2-visits");
  await audit(page, "console: visits");
});

test("today's round: the patient planned for today and the round re-inquired: 有効, just now", async () => {
  const plannedToday = () => visitRows().first().locator('button[aria-pressed="true"]', { hasText: "今日" });
  await visitRows().first().getByRole("button", { name: "今日", exact: true }).click();
  await plannedToday().waitFor();
  // The plan is the service's, shared by the station's devices: nothing of it needs this browser's storage.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await plannedToday().waitFor();
  await page.getByRole("group", { name: "表示する患者" }).getByRole("button", { name: "今日", exact: true }).click();
  assert.equal(await visitRows().count(), 1);
  await button("表示中の全員を再照会").click();
  const result = visitRows().first().locator("td").nth(3);
  await result.getByText("有効", { exact: true }).waitFor();
  assert.match(await result.textContent(), /有効 \(たった今|有効 \(\d+秒前/);
  // The name comes with the answer.
  assert.ok(demo.cards[0].holder.startsWith((await visitRows().first().locator("td").nth(1).textContent()).trim()));
  await shot(page, "console-3-round-today-reinquired");
  await audit(page, "console: round re-inquired");
});

test("details: the full qualification view and the 薬剤情報 table with the 24-hour viewing limit", async () => {
  await visitRows().first().getByRole("button", { name: "詳細", exact: true }).click();
  const detail = page.locator("section.detail");
  await detail.getByRole("heading", { name: /資格情報の詳細/ }).waitFor();
  for (const label of ["保険者", "一部負担金割合", "記号・番号・枝番"]) {
    await detail.locator("dt", { hasText: label }).first().waitFor();
    assert.notEqual((await detail.locator("dt", { hasText: label }).first().locator("+ dd").textContent()).trim(), "", label);
  }
  // Medical information for licensed staff only: the buttons wait for the statement.
  const medication = detail.getByRole("button", { name: "薬剤情報", exact: true });
  assert.ok(await medication.isDisabled());
  await detail.getByLabel("閲覧するのは有資格者（医師・歯科医師・薬剤師・看護師等）です").check();
  await medication.click();
  await detail.getByText("取得した情報の閲覧期限:").waitFor();
  // デモ　花子 has prescriptions in the seeded history: the table has rows, newest first.
  const table = detail.locator("table", { has: page.locator("caption", { hasText: "薬剤情報" }) });
  await table.waitFor();
  const dates = await table.locator("tbody tr td:first-child").allTextContents();
  assert.ok(dates.length > 0, "no medication rows");
  const day = (text) => {
    const [y, m, d] = text.match(/(\d+)年(\d+)月(\d+)日/).slice(1).map(Number);
    return y * 10000 + m * 100 + d;
  };
  assert.ok(day(dates[0]) > day(dates.at(-1)), `not newest first: ${dates[0]} … ${dates.at(-1)}`);
  await detail.locator("section.medical").evaluate((e) => e.scrollIntoView({ block: "start" }));
  await shot(page, "console-4-details-medication", { fullPage: false });
  await audit(page, "console: qualification details and medication");
  // The station's chart number as the 照会番号: the list shows it from then on.
  assert.equal((await visitRows().first().locator("td").first().textContent()).trim(), "未登録");
  await detail.getByLabel("照会番号").fill("K-0012");
  await detail.getByRole("button", { name: "照会番号を登録" }).click();
  await detail.getByText("照会番号を登録しました").waitFor();
  await page.waitForFunction(
    () => document.querySelector("section[aria-labelledby=visits] tbody tr td")?.textContent.trim() === "K-0012",
  );
  await detail.getByRole("button", { name: "閉じる", exact: true }).click();
});

test("without signal the re-inquiry waits in the queue; back online it is sent", async () => {
  await chromium.context.setOffline(true);
  await visitRows().first().getByRole("button", { name: "再照会", exact: true }).click();
  await page.getByText("通信できないため、再照会を送信待ちにしました（1件）").waitFor();
  await visitRows().first().getByText("送信待ち").waitFor();
  await shot(page, "console-5-offline-queued");
  await audit(page, "console: offline, re-inquiry queued");
  // Kept in the browser's storage: the queue survives until it is sent.
  const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes("1360100018")));
  assert.ok(kept.length > 0, "nothing kept in localStorage");
  // The network comes back; the console tries the queue again on its own (every 10 s: this
  // Chromium, in a namespace with loopback only, never reports being online).
  const sent = page.waitForResponse((r) => r.url().endsWith("/v1/reinquiries") && r.status() === 200, { timeout: 30_000 });
  await chromium.context.setOffline(false);
  await sent;
  await page.getByText("送信待ちの再照会を送信しました（1件）。").waitFor();
  assert.equal(await visitRows().first().getByText("送信待ち").count(), 0);
  await visitRows().first().getByText("有効", { exact: true }).waitFor();
  await shot(page, "console-6-back-online-sent");
});

// The demo's sample list with its last three rows replaced by rows no insurer can answer: an
// insurer number whose check digit does not match, a person no insurer has, an unreadable birth date.
function bulkList() {
  assert.ok(demo.bulkSample, "the demo printed no 一括照会 sample list");
  assert.equal(demo.bulkSample.rows, BULK_ROWS);
  const lines = readFileSync(demo.bulkSample.path, "utf8").trimEnd().split("\n");
  const insurer = lines[1].split(",")[1];
  const wrongDigit = insurer.slice(0, -1) + String((Number(insurer.at(-1)) + 1) % 10);
  const kept = lines.slice(0, 1 + BULK_ROWS - 3);
  kept.push(
    `E0001,${wrongDigit},,1234,,19800401`,
    `E0002,${insurer},,99999999,,19800401`,
    `E0003,${insurer},,1234,,1980年13月40日`,
  );
  const path = join(files, "tomorrow.csv");
  writeFileSync(path, kept.join("\n") + "\n");
  return path;
}

// The pager's "first–last / total" of the rows the filter keeps.
async function shown() {
  const text = await page.locator(".pager [role=status]").textContent();
  const m = text.match(/^(\d+)–(\d+) \/ (\d+)$/);
  assert.ok(m, text);
  return m.slice(1).map(Number);
}

test("一括照会 of 1,000 rows: progress to the end, every row in the table, filters and the CSV", async () => {
  await page.getByRole("tab", { name: "一括照会" }).click();
  const started = Date.now();
  await page.getByLabel("照会するファイル").setInputFiles(bulkList());
  await page.locator("#bulk-progress").waitFor();
  await page.getByText(`照会完了 ${BULK_ROWS}/${BULK_ROWS}`).waitFor({ timeout: 120_000 });
  const table = page.locator("table.bulk-results tbody tr");
  await page.locator(".pager").waitFor();
  // A measurement for BENCHMARKS.md, not a limit: the upload, the progress polls and all rows read.
  console.log(`bulk: ${BULK_ROWS} rows from upload to the results table in ${Date.now() - started} ms`);
  assert.deepEqual(await shown(), [1, 100, BULK_ROWS]);
  assert.equal(await table.count(), 100);
  await shot(page, "console-7-bulk-1000");
  await audit(page, "console: 一括照会 results");
  const summary = await page.locator(".progress p").textContent();
  const counts = summary.match(/有効 (\d+) ・ 無効 (\d+) ・ エラー (\d+)/);
  assert.ok(counts, summary);
  const [valid, invalid, error] = counts.slice(1).map(Number);
  assert.equal(valid + invalid + error, BULK_ROWS);
  assert.ok(valid > BULK_ROWS / 2, `most of the sample is valid: ${summary}`);
  assert.ok(invalid > 0, `the sample has lost qualifications: ${summary}`);
  // The last page holds the last rows.
  for (let i = 0; i < 9; i++) await button("次の100件").click();
  assert.deepEqual(await shown(), [901, 1000, BULK_ROWS]);
  assert.ok(await button("次の100件").isDisabled());
  assert.equal((await table.last().locator("td").first().textContent()).trim(), String(BULK_ROWS + 1));

  const filters = page.getByRole("group", { name: "表示する患者" });
  await filters.getByRole("button", { name: "有効", exact: true }).click();
  assert.deepEqual(await shown(), [1, Math.min(100, valid), valid]);
  await filters.getByRole("button", { name: "エラー", exact: true }).click();
  assert.deepEqual(await shown(), [1, Math.min(100, error), error]);
  while (!(await button("次の100件").isDisabled())) await button("次の100件").click();
  // The three rows made unanswerable are errors, found by their 照会番号, each with its reason.
  for (const reference of ["E0001", "E0002", "E0003"]) {
    const row = table.filter({ has: page.locator("td", { hasText: reference }) });
    assert.equal(await row.count(), 1, reference);
    assert.notEqual((await row.locator("td").nth(5).textContent()).trim(), "", `${reference} has a reason`);
  }
  await shot(page, "console-8-bulk-errors");
  await audit(page, "console: 一括照会, errors only");

  const [download] = await Promise.all([page.waitForEvent("download"), button("結果をCSVで保存").click()]);
  const csv = readFileSync(await download.path(), "utf8");
  assert.equal(csv.trimEnd().split("\n").length, 1 + BULK_ROWS, "a header and one line a row");
  assert.match(download.suggestedFilename(), /^bulk-[0-9a-f]+\.csv$/);
});

test("the station's URL with its QR; re-issued, the old one stops working", async () => {
  await page.getByRole("tab", { name: "医療機関URL・QRコード" }).click();
  const home = page.getByRole("region", { name: "訪問診療・訪問看護用" });
  const url = home.locator(".url");
  await url.waitFor();
  const before = (await url.textContent()).trim();
  assert.equal(before, station.urls[0].url);
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await home.getByRole("img").elementHandle());
  await shot(page, "console-9-urls");
  await audit(page, "console: URLs");
  await home.getByRole("button", { name: "URLを再発行する" }).click();
  await page.waitForFunction(
    ([el, old]) => el.textContent.trim() !== old,
    [await url.elementHandle(), before],
  );
  const after = (await url.textContent()).trim();
  assert.match(after, /\/c\/[A-Za-z0-9_-]+$/);
  const old = await fetch(`${demo.base}/v1/consent-urls/${station.urls[0].token}`);
  assert.equal(old.status, 410, "the old URL still answers");
  assert.equal((await old.json()).error.code, "INSTITUTION_URL_REISSUED");
  await shot(page, "console-10-url-reissued");
});

test("the console in English", async () => {
  await button("English").click();
  await page.getByRole("heading", { name: "Staff console", level: 1 }).waitFor();
  await page.getByRole("tab", { name: "Visits and re-inquiry" }).click();
  await visitRows().first().waitFor();
  await shot(page, "console-11-english");
  await audit(page, "console in English");
});

test("on the station's tablet the consent flow offers 目視確認: the photo checked, no PIN, the receipt says so", async () => {
  await button("日本語").click();
  await page.getByRole("tab", { name: "医療機関URL・QRコード" }).click();
  const url = (await page.getByRole("region", { name: "訪問診療・訪問看護用" }).locator(".url").textContent()).trim();
  await page.goto(url);
  await button("はじめる").click();
  await button("すべての項目に同意する").click();
  await button("次へ").click();
  await button("この内容で本人確認へ進む").click();
  await page.getByRole("heading", { name: "暗証番号の入力" }).waitFor();
  const visual = page.getByRole("region", { name: "暗証番号を使わずに確認する（目視確認）" });
  await visual.waitFor();
  // Staff must say they compared the photo before the button works.
  const go = visual.getByRole("button", { name: "目視確認で進む" });
  assert.ok(await go.isDisabled());
  await visual.getByLabel("カードの顔写真とご本人が同じ方であることを確認しました（職員）").check();
  await shot(page, "console-12-visual-check-offered");
  await audit(page, "consent on the station's tablet: 目視確認 offered");
  const sent = page.waitForResponse((r) => /\/v1\/consent-sessions\/[^/]+\/visual$/.test(r.url()));
  await go.click();
  assert.equal((await sent).status(), 200);
  await page.getByRole("heading", { name: "同意を登録しました" }).waitFor();
  const receipt = page.locator("section.receipt");
  const identity = (await receipt.locator("dt", { hasText: "本人確認" }).locator("+ dd").textContent()).trim();
  assert.equal(identity, "目視確認");
  await shot(page, "console-13-visual-check-receipt");
  await audit(page, "consent by 目視確認: receipt");
});

test("no signal at the patient's home: the console still opens, with the kept list and answers and their age", async () => {
  await page.goto(`${demo.base}/console`);
  await visitRows().first().getByText("有効", { exact: true }).waitFor();
  // The staff app is kept by its service worker (sw.js) once it ran here online.
  for (let i = 0; !(await page.evaluate(async () => !!(await caches.match("/onshi_web_bg.wasm")))); i++) {
    assert.ok(i < 100, "the service worker kept no copy of the app");
    await new Promise((r) => setTimeout(r, 100));
  }
  // Nothing of the API is kept: personal data stays out of the app cache.
  const kept = await page.evaluate(async () => {
    const paths = [];
    for (const name of await caches.keys()) {
      for (const r of await (await caches.open(name)).keys()) paths.push(new URL(r.url).pathname);
    }
    return paths;
  });
  assert.deepEqual(kept.filter((p) => p.startsWith("/v1") || p.startsWith("/bridge")), [], kept.join(" "));
  // No signal: the service cannot be reached at all.
  await demo.stop();
  await page.reload();
  await page.getByRole("heading", { name: "スタッフ画面", level: 1 }).waitFor();
  await page.getByText("通信できません。この端末に保存した一覧と結果を表示しています。").waitFor();
  const row = visitRows().first();
  await row.getByText("有効", { exact: true }).waitFor();
  assert.match(await row.locator("td").nth(3).textContent(), /有効 \((たった今|\d+分前)\)/);
  assert.match(await page.locator("p.age").first().textContent(), /一覧の取得: (たった今|\d+分前)/);
  await shot(page, "console-14-no-signal-reopened");
  await audit(page, "console reopened without signal");
});
