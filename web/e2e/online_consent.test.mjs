// オンライン診療の同意 on the patient's own phone, in Japanese: the demo clinic's online URL, the items
// (one declined), 受診予定日 (a past day refused, then today), the confirmation, and the card step on a
// phone without a reader bridge, which hands off to onshi's app by an onshi:// link. The test then
// does what the app does — the demo card signs the session's challenge through onshi-core's card
// client in the npm package, and the signature goes to the service — and opens the return URL:
// the receipt with its QR code. Also the return of a session the app never finished, and the size
// of the first screen within the patient-flow budget. Run by `cargo xtask test`.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  PATIENT_FLOW_BUDGET_BYTES, appSignsChallenge, audit, budget, jstDay, launch, shot, startDemo,
} from "./harness.mjs";

const ITEMS = {
  surgery: "手術情報の提供",
  care: "診療情報および薬剤情報の提供",
  checkups: "特定健診等情報の提供（40歳以上対象）",
  disease: "特定疾病療養受療証情報の提供",
};

let demo;
let chromium;
let page;
let online;
// What the hand-off link carried, for the steps after it.
let handoff;

before(async () => {
  demo = await startDemo();
  online = demo.institution("内科クリニック").urls.find((u) => u.kind === "online");
  assert.ok(online, "the demo clinic has an online-consultation URL");
  chromium = await launch({ mobile: true });
  page = chromium.page;
  // A phone has no reader bridge: nothing answers there.
  await page.route("**/bridge/**", (route) => route.abort("connectionrefused"));
});

after(async () => {
  await chromium?.close();
  await demo?.stop();
});

afterEach(() => {
  // The bridge requests fail on purpose (the browser logs them); nothing else may.
  const unexpected = chromium.errors.splice(0).filter((e) => !/\/bridge\/v1\/readers\)$/.test(e));
  assert.deepEqual(unexpected, [], "the page reported errors");
});

// Every screen fits the phone's width: nothing makes the patient scroll sideways.
async function fitsWidth(screen) {
  // A phone's browser widens its layout to fit content that is too wide, so innerWidth would grow
  // with the page: compare with the screen's width instead.
  const { width } = page.viewportSize();
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${screen}: the page is ${scroll} px wide on a ${width} px screen`);
}

const item = (label) => page.getByRole("group", { name: label });
const button = (name) => page.getByRole("button", { name, exact: true });

test("the online URL on a phone: the first screen within the patient-flow budget", async () => {
  const cost = await budget(page, online.url, { label: "patient flow", selector: "#intro" });
  assert.ok(
    cost.bytes <= PATIENT_FLOW_BUDGET_BYTES,
    `${cost.bytes} bytes > ${PATIENT_FLOW_BUDGET_BYTES}:\n${JSON.stringify(cost.resources, null, 1)}`,
  );
  assert.deepEqual(cost.uncompressed, []);
  await assert.doesNotReject(page.getByText("オンライン診療の同意").waitFor());
  await assert.doesNotReject(page.getByText("デモ内科クリニック").waitFor());
  // What to prepare includes the planned date, for an online consultation only.
  await page.getByText("オンライン診療を受ける予定の日").waitFor();
  await shot(page, "online-1-intro-phone");
  await audit(page, "online consent: intro on a phone");
  await fitsWidth("online consent: intro on a phone");
});

test("items: one declined, the others agreed; an unanswered item is named", async () => {
  await button("はじめる").click();
  await page.locator("#items").waitFor();
  await item(ITEMS.surgery).getByRole("radio", { name: "同意しない" }).check();
  await button("次へ").click();
  const missing = page.getByRole("alert");
  await missing.waitFor();
  assert.match(await missing.textContent(), /回答していない項目があります/);
  assert.match(await missing.textContent(), new RegExp(ITEMS.care));
  assert.doesNotMatch(await missing.textContent(), new RegExp(ITEMS.surgery));
  await shot(page, "online-2-items-unanswered");
  await audit(page, "online consent: items with an unanswered-items message");
  await fitsWidth("online consent: items with an unanswered-items message");
  for (const label of [ITEMS.care, ITEMS.checkups, ITEMS.disease]) {
    await item(label).getByRole("radio", { name: "同意する", exact: true }).check();
  }
  assert.ok(await item(ITEMS.surgery).getByRole("radio", { name: "同意しない" }).isChecked());
  await shot(page, "online-3-items-answered");
});

test("受診予定日: a past day is refused with a message, today is taken", async () => {
  await button("次へ").click();
  await page.locator("#planned").waitFor();
  const field = page.getByLabel("オンライン診療を受ける日");
  await field.fill(jstDay(-1));
  await button("次へ").click();
  const refused = page.getByRole("alert");
  await refused.waitFor();
  assert.equal((await refused.textContent()).trim(), "受診予定日は今日以降の日を選んでください");
  await shot(page, "online-4-planned-date-past");
  await audit(page, "online consent: planned date in the past");
  await fitsWidth("online consent: planned date in the past");
  await field.fill(jstDay(0));
  await button("次へ").click();
  await page.locator("#confirm").waitFor();
});

test("confirmation: the answers and the window to the end of today", async () => {
  const summary = page.locator("dl.summary");
  const row = async (label) => (await summary.locator("dt", { hasText: label }).locator("+ dd").textContent()).trim();
  assert.equal(await row(ITEMS.surgery), "同意しない");
  for (const label of [ITEMS.care, ITEMS.checkups, ITEMS.disease]) assert.equal(await row(label), "同意する");
  const [y, m, d] = jstDay(0).split("-").map(Number);
  assert.equal(await row("有効期間"), `${y}年${m}月${d}日 23:59まで`);
  await shot(page, "online-5-confirm");
  await audit(page, "online consent: confirmation");
  await fitsWidth("online consent: confirmation");
});

test("the card step on a phone without a bridge offers the app, with the session in the link", async () => {
  await button("この内容で本人確認へ進む").click();
  const link = page.getByRole("link", { name: "アプリでカードを読み取る" });
  await link.waitFor();
  const href = await link.getAttribute("href");
  const url = new URL(href);
  assert.equal(url.protocol, "onshi:");
  assert.equal(url.host, "consent");
  const params = Object.fromEntries(url.searchParams);
  assert.deepEqual(Object.keys(params).sort(), ["challenge", "return", "service", "session"]);
  assert.equal(params.service, demo.base);
  assert.match(params.session, /^[A-Za-z0-9_-]{16,}$/);
  assert.match(params.challenge, /^[0-9A-Fa-f]{32,}$/);
  assert.equal(params.return, `${demo.base}${online.path}?session=${params.session}`);
  // The link carries the service's own session and challenge, still waiting for the card.
  const state = await (await fetch(`${demo.base}/v1/consent-sessions/${params.session}`)).json();
  assert.equal(state.state, "open");
  assert.equal(state.session, params.session);
  assert.equal(state.challenge, params.challenge);
  assert.deepEqual(state.window, { kind: "until", until: `${jstDay(0).replaceAll("-", "")}235959` });
  handoff = params;
  await shot(page, "online-6-card-step-app-handoff");
  await audit(page, "online consent: app hand-off");
  await fitsWidth("online consent: app hand-off");
});

test("the app's card signs the challenge, and the return URL shows the receipt with its QR", async () => {
  assert.ok(handoff, "the hand-off step ran");
  const signed = await appSignsChallenge({ seed: demo.seed, card: 0, pin: demo.cards[0].pin, challenge: handoff.challenge });
  const sent = await fetch(`${demo.base}/v1/consent-sessions/${handoff.session}/card`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(signed),
  });
  assert.equal(sent.status, 200, await sent.clone().text());
  const registered = await sent.json();

  const qr = page.waitForResponse((r) => r.url().endsWith(`/v1/consent-receipts/${registered.receipt_id}/qr.svg`));
  await page.goto(handoff.return);
  await page.getByRole("heading", { name: "同意を登録しました" }).waitFor();
  const qrAnswer = await qr;
  assert.equal(qrAnswer.status(), 200);
  assert.match(qrAnswer.headers()["content-type"], /^image\/svg\+xml/);
  const image = page.getByRole("img", { name: "同意の控え（署名付き）のQRコード" });
  await page.waitForFunction((img) => img.complete, await image.elementHandle());
  assert.ok((await image.evaluate((img) => img.naturalWidth)) > 0, "the QR code loaded");
  const receipt = page.locator("section.receipt");
  const row = async (label) => (await receipt.locator("dt", { hasText: label }).locator("+ dd").textContent()).trim();
  assert.equal(await row("医療機関等"), "デモ内科クリニック");
  assert.equal(await row(ITEMS.surgery), "同意しない");
  assert.equal(await row(ITEMS.care), "同意する");
  assert.equal(await row("本人確認"), "暗証番号");
  assert.equal(await row("控えの番号"), registered.receipt_id);
  await shot(page, "online-7-receipt-after-app");
  await audit(page, "online consent: receipt after the app");
  await fitsWidth("online consent: receipt after the app");
});

test("a return the app never finished: not finished, the app link again, and start again", async () => {
  // A session as the confirmation step starts it, whose card step never happens.
  const started = await fetch(`${demo.base}/v1/consent-urls/${online.token}/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      answers: [["surgery", "agree"], ["care_and_medication", "agree"], ["health_checkups", "agree"], ["specific_disease", "agree"]],
      planned_date: jstDay(0).replaceAll("-", ""),
      setting: "online_consultation",
    }),
  });
  assert.equal(started.status, 200, await started.clone().text());
  const { session, challenge } = await started.json();

  await page.goto(`${online.url}?session=${session}`);
  await page.getByRole("heading", { name: "カードの読み取りが完了していません" }).waitFor();
  const again = new URL(await page.getByRole("link", { name: "アプリでカードを読み取る" }).getAttribute("href"));
  assert.equal(again.searchParams.get("session"), session);
  assert.equal(again.searchParams.get("challenge"), challenge);
  assert.equal(again.searchParams.get("return"), `${demo.base}${online.path}?session=${session}`);
  const restart = page.getByRole("link", { name: "最初からやり直す" });
  assert.equal(await restart.getAttribute("href"), online.path);
  await shot(page, "online-8-return-not-finished");
  await audit(page, "online consent: return not finished");
  await fitsWidth("online consent: return not finished");

  await restart.click();
  await page.locator("#intro").waitFor();
  assert.equal(new URL(page.url()).search, "");
});
