// 初回の訪問 (a first home visit) on the nurse's tablet: the visiting-nurse station's URL, すべての項目に
// 同意する, the confirmation, and the card step through the service's reader bridge (`serve
// --reader-bridge pcsc`) to demo card 0 in pcscd's virtual reader — the reader found, 3 tries shown,
// one wrong PIN typed on the pad (2 tries left), then the right one, and the receipt. The PIN step
// also in English at text size L. Run by `cargo xtask test` (pcscd needs its private network).
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { audit, launch, shot, startDemo, startPcsc } from "./harness.mjs";

const TABLET = { width: 820, height: 1180 };
const ITEMS = [
  "手術情報の提供",
  "診療情報および薬剤情報の提供",
  "特定健診等情報の提供（40歳以上対象）",
  "特定疾病療養受療証情報の提供",
];
const WHILE_CARE_CONTINUES = "訪問診療・訪問看護が続く間（取り消すまで）";
// A PIN that is not demo card 0's.
const WRONG_PIN = "9876";

let demo;
let pcsc;
let chromium;
let page;
let card;

before(async () => {
  demo = await startDemo({ args: ["--reader-bridge", "pcsc"] });
  card = demo.cards[0];
  assert.notEqual(card.pin, WRONG_PIN);
  pcsc = await startPcsc({ card: 0, seed: demo.seed });
  chromium = await launch({ viewport: TABLET });
  page = chromium.page;
});

after(async () => {
  await chromium?.close();
  await pcsc?.stop();
  await demo?.stop();
});

afterEach(() => {
  assert.deepEqual(chromium.errors.splice(0), [], "the page reported errors");
});

const button = (name) => page.getByRole("button", { name, exact: true });
const pad = () => page.getByRole("group", { name: "暗証番号の入力" });

// Types `pin` on the pad's keys, as a patient taps them, and checks the pad shows only dots.
async function tap(pin) {
  for (const digit of pin) await pad().getByRole("button", { name: digit, exact: true }).click();
  await page.getByRole("status", { name: `${pin.length}桁入力済み（4桁中）` }).waitFor();
  // The digits are in no element, attribute or field value of the app: only ● per digit.
  const app = await page.evaluate(() =>
    [document.body.innerHTML.replace(/<script[^]*?<\/script>/g, ""), ...[...document.querySelectorAll("input")].map((i) => i.value)].join("\n"));
  assert.ok(!app.includes(pin), "the typed PIN appears in the page");
  assert.equal(await pad().locator(".dot.filled").count(), pin.length);
}

test("the station's home-visit URL on a tablet", async () => {
  const url = demo.institution("訪問看護ステーション").urls.find((u) => u.kind === "home_visit");
  await page.goto(url.url);
  await page.locator("#intro").waitFor();
  assert.equal(await page.locator(".institution .kind").textContent(), "訪問診療・訪問看護の同意");
  assert.equal(await page.locator(".institution .name").textContent(), "デモ訪問看護ステーション");
  await shot(page, "home-visit-1-intro-tablet");
  await audit(page, "home visit: intro on a tablet");
});

test("すべての項目に同意する answers every item, and the confirmation has no planned date", async () => {
  await button("はじめる").click();
  await page.locator("#items").waitFor();
  await button("すべての項目に同意する").click();
  for (const label of ITEMS) {
    assert.ok(await page.getByRole("group", { name: label }).getByRole("radio", { name: "同意する", exact: true }).isChecked(), label);
  }
  await shot(page, "home-visit-2-items-all-agreed");
  await audit(page, "home visit: items, all agreed");
  await button("次へ").click();
  await page.locator("#confirm").waitFor();
  const summary = page.locator("dl.summary");
  const rows = await summary.locator("dt").allTextContents();
  assert.deepEqual(rows, [...ITEMS, "有効期間"]);
  assert.deepEqual(await summary.locator("dd").allTextContents(), [...ITEMS.map(() => "同意する"), WHILE_CARE_CONTINUES]);
  await shot(page, "home-visit-3-confirm");
  await audit(page, "home visit: confirmation");
});

test("the card step finds the reader through the bridge and shows 3 tries", async () => {
  await button("この内容で本人確認へ進む").click();
  await page.getByRole("heading", { name: "暗証番号の入力" }).waitFor();
  assert.equal((await page.locator(".tries").textContent()).trim(), "残り回数: あと3回");
  await page.getByText("マイナンバーカードの利用者証明用電子証明書の暗証番号（数字4桁）").waitFor();
  assert.ok(await button("決定").isDisabled(), "決定 waits for four digits");
  // This tablet is not a registered device of the station: no 目視確認, the PIN only.
  assert.equal(await page.getByText("目視確認で進む").count(), 0);
  await shot(page, "home-visit-4-pin-pad-3-tries");
  await audit(page, "home visit: PIN pad");
});

test("the PIN step in English at text size L", async () => {
  await button("English").click();
  await button("L").click();
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.locator("html").getAttribute("class"), "size-l");
  assert.equal(await page.locator("html").evaluate((e) => getComputedStyle(e).fontSize), "23px");
  await page.getByRole("heading", { name: "Enter your PIN" }).waitFor();
  assert.equal((await page.locator(".tries").textContent()).trim(), "3 tries left");
  assert.equal(await button("L").getAttribute("aria-pressed"), "true");
  // Large text still fits the tablet: no sideways scrolling.
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= TABLET.width);
  await shot(page, "home-visit-5-pin-pad-english-large");
  await audit(page, "home visit: PIN pad in English, text size L");
  await button("日本語").click();
  await button("中").click();
  await page.getByRole("heading", { name: "暗証番号の入力" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("class"), "size-m");
});

test("a wrong PIN typed on the pad: the card says so, 2 tries left", async () => {
  await tap(WRONG_PIN);
  await shot(page, "home-visit-6-pin-typed");
  await button("決定").click();
  await page.locator(".tries", { hasText: "残り回数: あと2回" }).waitFor();
  const wrong = page.getByRole("alert");
  assert.match(await wrong.textContent(), /あと2回/);
  // The pad is empty again for the next try.
  await page.getByRole("status", { name: "0桁入力済み（4桁中）" }).waitFor();
  await shot(page, "home-visit-7-wrong-pin-2-tries");
  await audit(page, "home visit: wrong PIN, 2 tries left");
});

test("the right PIN: the card signs and the receipt shows the consent with its QR", async () => {
  await tap(card.pin);
  const qr = page.waitForResponse((r) => /\/v1\/consent-receipts\/[0-9a-f]+\/qr\.svg$/.test(r.url()));
  await button("決定").click();
  await page.getByRole("heading", { name: "同意を登録しました" }).waitFor();
  assert.equal((await qr).status(), 200);
  const image = page.getByRole("img", { name: "同意の控え（署名付き）のQRコード" });
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
  const receipt = page.locator("section.receipt");
  const row = async (label) => (await receipt.locator("dt", { hasText: label }).locator("+ dd").textContent()).trim();
  assert.equal(await row("医療機関等"), "デモ訪問看護ステーション");
  for (const label of ITEMS) assert.equal(await row(label), "同意する", label);
  assert.equal(await row("有効期間"), WHILE_CARE_CONTINUES);
  assert.equal(await row("本人確認"), "暗証番号");
  await shot(page, "home-visit-8-receipt");
  await audit(page, "home visit: receipt");
  // The PINs went to the card only: the VERIFY commands (digits as ASCII hex) are nowhere in the
  // service's output after its start-up description (which prints the demo PINs on purpose).
  const after = demo.log().slice(demo.log().indexOf(" API: "));
  for (const pin of [WRONG_PIN, card.pin]) {
    assert.ok(!after.includes(Buffer.from(pin).toString("hex")), "a VERIFY command was logged");
  }
});
