// 同意の確認・取り消し (/me): the patient signs in with demo card 0 and its PIN through the service's
// reader bridge (`serve --reader-bridge pcsc`, the card in pcscd's virtual reader), sees the consents
// registered beforehand, withdraws them all after the confirmation step (cancelled once first), and
// sees their states change; the 閲覧履歴 section says nobody has looked. The consents are registered as setup
// through the service's API, the same card signing through the bridge. Run by `cargo xtask test`.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { audit, jstDay, launch, registerConsent, shot, startDemo, startPcsc } from "./harness.mjs";

const ITEM_CODES = ["surgery", "care_and_medication", "health_checkups", "specific_disease"];
const ITEMS = {
  surgery: "手術情報の提供",
  care_and_medication: "診療情報および薬剤情報の提供",
  health_checkups: "特定健診等情報の提供（40歳以上対象）",
  specific_disease: "特定疾病療養受療証情報の提供",
};
const STATION = "デモ訪問看護ステーション";
const CLINIC = "デモ内科クリニック";

let demo;
let pcsc;
let chromium;
let page;
let card;

// Registers a consent of demo card 0 at `url` through the API and the bridge.
const register = (url, answers, plannedDate = null) =>
  registerConsent(demo.base, url, { answers, plannedDate, pin: card.pin });

before(async () => {
  demo = await startDemo({ args: ["--reader-bridge", "pcsc"] });
  card = demo.cards[0];
  pcsc = await startPcsc({ card: 0, seed: demo.seed });
  const station = demo.institution("訪問看護ステーション").urls.find((u) => u.kind === "home_visit");
  const online = demo.institution("内科クリニック").urls.find((u) => u.kind === "online");
  await register(station, ITEM_CODES.map((i) => [i, "agree"]));
  await register(online, ITEM_CODES.map((i) => [i, i === "surgery" ? "decline" : "agree"]), jstDay(0).replaceAll("-", ""));
  chromium = await launch();
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
const consents = () => page.locator("section[aria-labelledby=me] table").first();

// The consents table as { "<institution> / <item>": "<state>" }.
async function states() {
  const rows = await consents().locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())));
  return Object.fromEntries(rows.map(([institution, item, state]) => [`${institution} / ${item}`, state]));
}

test("/me asks for the card: the bridge finds it and the PIN counter shows", async () => {
  await page.goto(`${demo.base}/me`);
  await page.getByRole("heading", { name: "同意の確認・変更・取り消し", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "暗証番号の入力" }).waitFor();
  assert.equal((await page.locator(".tries").textContent()).trim(), "残り回数: あと3回");
  await shot(page, "my-consents-1-sign-in");
  await audit(page, "my consents: sign in with the card");
});

test("signed in with the card and PIN: every registered consent with its state", async () => {
  const pad = page.getByRole("group", { name: "暗証番号の入力" });
  for (const digit of card.pin) await pad.getByRole("button", { name: digit, exact: true }).click();
  await button("決定").click();
  await page.getByRole("heading", { name: "登録されている同意" }).waitFor();
  const expected = {};
  for (const [code, label] of Object.entries(ITEMS)) {
    expected[`${STATION} / ${label}`] = "同意中";
    expected[`${CLINIC} / ${label}`] = code === "surgery" ? "同意しない" : "同意中";
  }
  assert.deepEqual(await states(), expected);
  // 閲覧履歴: no institution has looked at this patient's information in this demo yet.
  await page.getByRole("heading", { name: "閲覧履歴（あなたの情報を見た医療機関等）" }).waitFor();
  const history = page.locator("h2", { hasText: "閲覧履歴" }).locator("+ p");
  assert.equal((await history.textContent()).trim(), "閲覧された記録はありません。");
  await shot(page, "my-consents-2-signed-in");
  await audit(page, "my consents: the consents and 閲覧履歴");
});

test("withdraw all asks first; cancelling changes nothing", async () => {
  const before = await states();
  await button("すべての同意を取り消す").click();
  const ask = page.getByRole("alert").filter({ hasText: "すべての医療機関等への同意を取り消します" });
  await ask.waitFor();
  await shot(page, "my-consents-3-withdraw-all-confirm");
  await audit(page, "my consents: withdraw-all confirmation");
  await ask.getByRole("button", { name: "やめる" }).click();
  await ask.waitFor({ state: "detached" });
  assert.deepEqual(await states(), before);
});

test("withdraw all, confirmed: every agreed consent is withdrawn by the patient", async () => {
  const before = await states();
  await button("すべての同意を取り消す").click();
  await page.getByRole("alert").getByRole("button", { name: "取り消す", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "すべての同意を取り消しました" }).waitFor();
  const after = await states();
  // The declined item too: withdrawing all ends every consent at every institution.
  assert.deepEqual(after, Object.fromEntries(Object.keys(before).map((row) => [row, "取り消し済み（ご本人）"])));
  // Each withdrawn item can be agreed to again, one by one; nothing is left to withdraw.
  assert.equal(await button("この項目に同意する").count(), Object.keys(after).length);
  assert.equal(await button("この項目の同意を取り消す").count(), 0);
  assert.equal(await button("すべての同意を取り消す").count(), 0);
  await page.getByRole("heading", { name: "閲覧履歴（あなたの情報を見た医療機関等）" }).waitFor();
  await shot(page, "my-consents-4-all-withdrawn");
  await audit(page, "my consents: all withdrawn");
});
