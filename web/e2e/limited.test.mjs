// 資格確認限定型 (/limited) at the demo 整骨院 (柔道整復 施術所) on its PC with a generic reader: the
// browser registered with the 施術所's device key file, demo card 0 read through the service's
// reader bridge (`serve --reader-bridge virtual`: the demo cards in process), the PIN typed on the
// pad and the qualification shown — and nothing medical, neither asked for nor shown; then the next
// patient confirmed by the card's photo (目視確認) without a PIN; then another reader chosen among
// those holding a card. Run by `cargo xtask test`.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { audit, launch, shot, startDemo } from "./harness.mjs";

const PC = { width: 1280, height: 800 };

let demo;
let chromium;
let page;
const requests = [];

before(async () => {
  demo = await startDemo({ args: ["--reader-bridge", "virtual"] });
  chromium = await launch({ viewport: PC });
  page = chromium.page;
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
});

after(async () => {
  await chromium?.close();
  await demo?.stop();
});

afterEach(() => {
  assert.deepEqual(chromium.errors.splice(0), [], "the page reported errors");
});

const button = (name) => page.getByRole("button", { name, exact: true });
const pad = () => page.getByRole("group", { name: "暗証番号の入力" });
const answer = () => page.getByRole("region", { name: "資格情報" });

// Nothing medical in the answer or asked of the service (the screen's intro says so in words).
async function nothingMedical() {
  const text = await answer().textContent();
  for (const word of ["薬剤", "特定健診", "診療情報", "手術"]) assert.ok(!text.includes(word), `${word} in the answer`);
  assert.deepEqual(requests.filter((p) => p.includes("/medical")), [], "medical information was requested");
}

test("/limited asks for the device key file; the 施術所's registers this PC", async () => {
  await page.goto(`${demo.base}/limited`);
  await page.getByRole("heading", { name: "この端末の登録" }).waitFor();
  await page.getByLabel("端末鍵ファイル").setInputFiles(demo.institution("整骨院").deviceKey);
  await page.getByRole("heading", { name: "資格確認（資格確認限定型）", level: 1 }).waitFor();
  assert.match(await page.locator(".device-line").textContent(), /1312000019/);
});

test("the card in the reader: 3 tries, the pad, and 目視確認 offered to staff", async () => {
  await page.getByRole("heading", { name: "暗証番号の入力" }).waitFor();
  assert.equal((await page.locator(".tries").textContent()).trim(), "残り回数: あと3回");
  await page.getByRole("region", { name: "暗証番号を使わずに確認する（目視確認）" }).waitFor();
  await shot(page, "limited-1-card-step");
  await audit(page, "limited: card step");
});

test("the PIN on the pad: the qualification, and nothing medical", async () => {
  for (const digit of demo.cards[0].pin) await pad().getByRole("button", { name: digit, exact: true }).click();
  await button("決定").click();
  await answer().waitFor();
  assert.equal((await answer().locator(".status-valid").textContent()).trim(), "有効");
  const name = (await answer().locator("dt", { hasText: "氏名" }).locator("+ dd").textContent()).trim();
  assert.ok(demo.cards[0].holder.startsWith(name), `${name} is not card 0's holder`);
  await nothingMedical();
  await shot(page, "limited-2-qualification");
  await audit(page, "limited: qualification");
});

test("the next patient by 目視確認: no PIN, the certificate alone, the same answer", async () => {
  await button("次の方").click();
  const visual = page.getByRole("region", { name: "暗証番号を使わずに確認する（目視確認）" });
  await visual.waitFor();
  await visual.getByRole("checkbox").check();
  const checked = page.waitForResponse((r) => r.url().endsWith("/v1/card-checks"));
  await visual.getByRole("button", { name: "目視確認で進む" }).click();
  const response = await checked;
  assert.equal(response.status(), 200);
  // The check carried the certificate only: no signature, so no PIN was used.
  const body = JSON.parse(response.request().postData() ?? "{}");
  assert.ok(body.certificate && !body.signature && !body.challenge_id, JSON.stringify(Object.keys(body)));
  await answer().waitFor();
  assert.equal((await answer().locator(".status-valid").textContent()).trim(), "有効");
  await nothingMedical();
  await shot(page, "limited-3-visual-check");
  await audit(page, "limited: 目視確認");
});

test("several readers with a card: staff choose one, and its card answers", async () => {
  await button("次の方").click();
  // The demo's readers hold its four cards; the first is chosen until staff pick another.
  const reader = page.getByLabel("カードリーダー");
  await reader.waitFor();
  assert.equal(await reader.inputValue(), "onshi demo card 0 (TEST ONLY)");
  await reader.selectOption("onshi demo card 1 (TEST ONLY)");
  await page.locator(".tries", { hasText: "残り回数: あと3回" }).waitFor();
  assert.equal(await reader.inputValue(), "onshi demo card 1 (TEST ONLY)");
  await shot(page, "limited-4-reader-chosen");
  await audit(page, "limited: reader choice");
  for (const digit of demo.cards[1].pin) await pad().getByRole("button", { name: digit, exact: true }).click();
  await button("決定").click();
  await answer().waitFor();
  const name = (await answer().locator("dt", { hasText: "氏名" }).locator("+ dd").textContent()).trim();
  assert.ok(demo.cards[1].holder.startsWith(name), `${name} is not card 1's holder (${demo.cards[1].holder})`);
});

test("a card whose certificate expired (in the 3-month grace): the qualification, and the guidance to renew it", async () => {
  const grace = demo.cards.find((c) => c.graceOnly);
  assert.ok(grace, "the demo has a card in the certificate's grace");
  await button("次の方").click();
  await page.getByLabel("カードリーダー").selectOption(`onshi demo card ${grace.index} (TEST ONLY)`);
  await page.locator(".tries", { hasText: "残り回数: あと3回" }).waitFor();
  // By keyboard this time: the pad takes digits, Backspace and Enter once focused.
  await pad().focus();
  await page.keyboard.type("9");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(grace.pin);
  await page.getByRole("status", { name: "4桁入力済み（4桁中）" }).waitFor();
  await page.keyboard.press("Enter");
  await answer().waitFor();
  assert.equal((await answer().locator(".status-valid").textContent()).trim(), "有効");
  const warning = (await answer().locator(".warning").allTextContents()).join(" ");
  assert.match(warning, /有効期限/, warning);
  await shot(page, "limited-5-certificate-in-grace");
  await audit(page, "limited: certificate in its grace");
});

test("the screen in English", async () => {
  await button("English").click();
  await page.getByRole("heading", { name: "Qualification check (limited type)", level: 1 }).waitFor();
  await shot(page, "limited-6-english");
  await audit(page, "limited in English");
});
