// The identifier checker (/tools/ids), served by onshi-server on the demo, in headless Chromium: what
// staff see for a wrong check digit, a valid number, English, and a number typed in after following
// the start page's link, each screenshot to $ONSHI_SCREENSHOTS and audited with axe-core. Run by
// `cargo xtask test`.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { audit, launch, shot, startDemo } from "./harness.mjs";

let demo;
let chromium;

before(async () => {
  demo = await startDemo();
  chromium = await launch({ viewport: { width: 900, height: 760 } });
});

after(async () => {
  await chromium?.close();
  await demo?.stop();
});

afterEach(() => {
  assert.deepEqual(chromium.errors.splice(0), [], "the page reported errors");
});

// Opens the checker pre-filled from the query string and waits for its verdict.
async function open(query) {
  const { page } = chromium;
  await page.goto(`${demo.base}/tools/ids?${query}`);
  await page.locator("#result .result").waitFor();
  return page;
}

test("a wrong check digit shows the error and the expected digit", async () => {
  const page = await open("kind=insurer_number&value=01130013");
  const result = page.locator("#result .result");
  assert.equal(await result.getAttribute("data-error"), "check_digit");
  assert.match(await result.innerText(), /保険者番号の検証番号が一致しません（正しい検証番号は 2）/);
  await shot(page, "id-checker-wrong-check-digit");
  await audit(page, "id checker, wrong check digit");
});

test("a valid insurer number, typed in full-width digits, shows its program and prefecture", async () => {
  const page = await open("kind=insurer_number&value=%EF%BC%90%EF%BC%91%EF%BC%91%EF%BC%93%EF%BC%90%EF%BC%90%EF%BC%91%EF%BC%92");
  const result = page.locator("#result .result");
  assert.equal(await result.getAttribute("data-valid"), "true");
  const text = await result.innerText();
  assert.match(text, /01130012/);
  assert.match(text, /全国健康保険協会管掌健康保険/);
  assert.match(text, /東京都/);
  await shot(page, "id-checker-valid");
  await audit(page, "id checker, valid");
});

test("English, for an institution code with an unknown fee schedule", async () => {
  const page = await open("lang=en&kind=medical_institution_code&value=1321234567");
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.match(await page.locator("#result .result").innerText(), /fee-schedule digit 2 is not 1 \(medical\)/);
  await shot(page, "id-checker-english");
  await audit(page, "id checker, English");
});

test("personal numbers are not echoed in the error", async () => {
  const page = await open("kind=beneficiary_number&value=1234567");
  assert.equal(await page.locator("#result .result").getAttribute("data-error"), "check_digit");
  // The typed value stays in the field only (a field's value is not part of the page's text).
  assert.doesNotMatch(await page.locator("body").innerText(), /1234567/);
});

test("from the start page to the checker; staff choose a kind and type: the verdict follows each key", async () => {
  const { page } = chromium;
  await page.goto(`${demo.base}/`);
  await page.getByRole("heading", { name: "オンライン資格確認 onshi" }).waitFor();
  await shot(page, "start-page");
  await audit(page, "start page");
  await page.getByRole("link", { name: "識別番号チェッカー" }).click();
  await page.waitForURL(`${demo.base}/tools/ids`);
  await page.locator("#kind").selectOption("insurer_number");
  await page.locator("#value").pressSequentially("0113001");
  const result = page.locator("#result .result");
  await result.waitFor();
  assert.equal(await result.getAttribute("data-valid"), "false");
  await page.locator("#value").press("2");
  await page.locator('#result .result[data-valid="true"]').waitFor();
  assert.match(await result.innerText(), /01130012/);
  await shot(page, "id-checker-typed");
});
