// The identifier checker, served by onshi-server, in headless Chromium: what staff see for a wrong
// check digit, a valid number and English. Screenshots go to $ONSHI_SCREENSHOTS.
// Run by `cargo xtask test`, which builds the app and the server and sets the variables below.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const { ONSHI_SERVER_BIN, ONSHI_WEB_DIR, ONSHI_SCREENSHOTS, CHROMIUM = "/usr/bin/chromium" } = process.env;
let server;
let base;

before(async () => {
  assert.ok(ONSHI_SERVER_BIN && ONSHI_WEB_DIR && ONSHI_SCREENSHOTS, "run through cargo xtask test");
  server = spawn(ONSHI_SERVER_BIN, ["serve", "--addr", "127.0.0.1:0", "--database-url", "sqlite::memory:", "--web-dir", ONSHI_WEB_DIR], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  base = await new Promise((resolve, reject) => {
    let seen = "";
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    server.on("exit", (code) => reject(new Error(`onshi-server exited (${code})`)));
  });
});

after(() => server?.kill("SIGINT"));

// Chromium with the flags that keep it off the closed network, one fresh profile per call.
async function chromium(args, url) {
  const profile = mkdtempSync(join(tmpdir(), "onshi-chromium-"));
  try {
    const { stdout } = await run(CHROMIUM, [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--no-first-run",
      "--disable-sync", "--disable-quic", `--user-data-dir=${profile}`,
      "--virtual-time-budget=5000", ...args, url,
    ], { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const dom = (query) => chromium(["--dump-dom"], `${base}?${query}`);

async function screenshot(name, query) {
  const file = join(ONSHI_SCREENSHOTS, `${name}.png`);
  await chromium([`--screenshot=${file}`, "--window-size=900,760"], `${base}?${query}`);
  assert.ok(statSync(file).size > 10_000, `${file} looks empty`);
}

test("a wrong check digit shows the error and the expected digit", async () => {
  const html = await dom("kind=insurer_number&value=01130013");
  assert.match(html, /data-error="check_digit"/);
  assert.match(html, /保険者番号の検証番号が一致しません（正しい検証番号は 2）/);
  await screenshot("id-checker-wrong-check-digit", "kind=insurer_number&value=01130013");
});

test("a valid insurer number shows its program and prefecture", async () => {
  const html = await dom("kind=insurer_number&value=%EF%BC%90%EF%BC%91%EF%BC%91%EF%BC%93%EF%BC%90%EF%BC%90%EF%BC%91%EF%BC%92");
  assert.match(html, /data-valid="true"/);
  assert.match(html, /01130012/);
  assert.match(html, /全国健康保険協会管掌健康保険/);
  assert.match(html, /東京都/);
  await screenshot("id-checker-valid", "kind=insurer_number&value=01130012");
});

test("English, for an institution code with an unknown fee schedule", async () => {
  const html = await dom("lang=en&kind=medical_institution_code&value=1321234567");
  assert.match(html, /<html lang="en"/);
  assert.match(html, /fee-schedule digit 2 is not 1 \(medical\)/);
  await screenshot("id-checker-english", "lang=en&kind=medical_institution_code&value=1321234567");
});

test("personal numbers are not echoed in the error", async () => {
  const html = await dom("kind=beneficiary_number&value=1234567");
  assert.match(html, /data-error="check_digit"/);
  assert.doesNotMatch(html.replace(/value="[^"]*"/g, ""), /1234567/);
});
