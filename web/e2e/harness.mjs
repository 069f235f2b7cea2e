// The browser test harness: the real onshi-server on a fresh demo, Debian's Chromium driven by
// playwright-core, axe-core audits, screenshots, transfer and first-render numbers, and — for the
// card — pcscd with the vpcd driver and onshi-virtual-card in its reader.
//
// `cargo xtask test` builds everything and sets the variables below; node's test runner imports
// this module from the *.test.mjs files beside it.
//
//   ONSHI_SERVER_BIN        the onshi-server binary
//   ONSHI_WEB_DIR           the built web app (index.html, onshi_web.js, the Wasm module, .gz twins)
//   ONSHI_SCREENSHOTS       where shot() writes <name>.png
//   ONSHI_E2E_MODULES       node_modules holding playwright-core and axe-core (.tools/e2e/node_modules)
//   ONSHI_VIRTUAL_CARD_BIN  onshi-virtual-card (default: beside onshi-server)
//   ONSHI_NPM_DIR           the built npm package `onshi` (target/npm/onshi): its card client and virtual card
//   CHROMIUM                the browser (default /usr/bin/chromium)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const {
  ONSHI_SERVER_BIN,
  ONSHI_WEB_DIR,
  ONSHI_SCREENSHOTS,
  ONSHI_E2E_MODULES = join(ROOT, ".tools/e2e/node_modules"),
  ONSHI_NPM_DIR = join(ROOT, "target/npm/onshi"),
  CHROMIUM = "/usr/bin/chromium",
} = process.env;
const VIRTUAL_CARD_BIN =
  process.env.ONSHI_VIRTUAL_CARD_BIN ?? (ONSHI_SERVER_BIN && join(dirname(ONSHI_SERVER_BIN), "onshi-virtual-card"));

// The size budget of the patient's consent flow: what a phone downloads, compressed (≤ 250 KB).
export const PATIENT_FLOW_BUDGET_BYTES = 250_000;

// Chromium's flags on this closed network: without the background-networking ones it keeps
// trying hosts it cannot reach.
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

// Guards against a process that never answers; they bound waiting and are not assertions on speed.
const SERVER_START_LIMIT_MS = 180_000;
const PCSC_START_LIMIT_MS = 30_000;

function required(name, value) {
  assert.ok(value, `${name} is not set: run the browser tests through \`cargo xtask test\``);
  return value;
}

const tools = createRequire(join(ONSHI_E2E_MODULES, "..", "package.json"));
function tool(name) {
  try {
    return tools(name);
  } catch (e) {
    throw new Error(`${name} is not installed in ${ONSHI_E2E_MODULES}: run \`cargo xtask setup\` (${e.message})`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A child process whose output is read as it comes (a process whose pipe fills blocks on its next
// write) and kept for parsing and for the failure message.
class Child {
  constructor(name, program, args, options = {}) {
    this.name = name;
    this.text = "";
    this.exited = null;
    this.process = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    this.done = new Promise((resolve) => {
      this.process.on("error", (e) => {
        this.text += `\n${name}: ${e.message}\n`;
        this.exited = { code: null, signal: null, error: e };
        resolve(this.exited);
      });
      this.process.on("exit", (code, signal) => {
        this.exited ??= { code, signal };
        resolve(this.exited);
      });
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk) => {
        // Colour codes removed; only the last megabyte is kept.
        this.text = (this.text + chunk.replace(/\x1b\[[0-9;]*m/g, "")).slice(-1_000_000);
      });
    }
    // A test that dies early still takes its processes with it.
    this.onExit = () => this.process.kill("SIGKILL");
    process.on("exit", this.onExit);
  }

  // Resolves with the first match of `pattern` in the output; rejects if the process exits or
  // `limitMs` passes first.
  async waitFor(pattern, limitMs) {
    const until = Date.now() + limitMs;
    for (;;) {
      const m = this.text.match(pattern);
      if (m) return m;
      if (this.exited) throw new Error(`${this.name} exited (${JSON.stringify(this.exited)}) before ${pattern}:\n${this.tail()}`);
      if (Date.now() > until) throw new Error(`${this.name}: no ${pattern} after ${limitMs} ms:\n${this.tail()}`);
      await sleep(50);
    }
  }

  tail(lines = 40) {
    return this.text.split("\n").slice(-lines).join("\n");
  }

  // SIGINT (or `signal`), then SIGKILL if it has not exited within 10 s.
  async stop(signal = "SIGINT") {
    process.off("exit", this.onExit);
    if (!this.exited) {
      this.process.kill(signal);
      const timer = setTimeout(() => this.process.kill("SIGKILL"), 10_000);
      await this.done;
      clearTimeout(timer);
    }
  }
}

const URL_KINDS = { "訪問診療等": "home_visit", "オンライン診療等": "online" };

// Reads the demo description onshi-server prints (server/src/demo.rs `describe`).
export function parseDemo(text) {
  const base = text.match(/^onshi service: (http:\/\/\S+?)\/?$/m)?.[1];
  assert.ok(base, `no "onshi service:" line in:\n${text}`);
  const start = text.indexOf("── onshi demo");
  assert.ok(start >= 0, `no demo description in:\n${text}`);
  const lines = text.slice(start).split("\n");
  const institutions = [];
  const cards = [];
  for (const [i, line] of lines.entries()) {
    let m;
    if (/^\S/.test(line) && lines[i + 1]?.startsWith("  device key: ")) {
      institutions.push({ name: line.trim(), deviceKey: null, urls: [] });
    } else if ((m = line.match(/^  device key: (.+)$/))) {
      institutions.at(-1).deviceKey = m[1];
    } else if ((m = line.match(/^  (\S+) URL: (\S+)$/))) {
      const url = new URL(m[2]);
      const token = url.pathname.match(/^\/c\/([A-Za-z0-9_-]+)$/)?.[1];
      assert.ok(token, `an institution URL without /c/{token}: ${m[2]}`);
      institutions.at(-1).urls.push({ kind: URL_KINDS[m[1]] ?? m[1], label: m[1], url: m[2], path: url.pathname, token });
    } else if ((m = line.match(/^  card (\d+): (.*?)\s+(\w+)  PIN (\d+)(.*)$/))) {
      cards.push({ index: Number(m[1]), holder: m[2], token: m[3], pin: m[4], graceOnly: m[5].includes("grace") });
    }
  }
  const sample = text.match(/^一括照会 sample list \((\d+) rows\): (.+)$/m);
  const seed = text.match(/onshi-virtual-card --card N --seed (\d+)/)?.[1];
  assert.ok(institutions.length > 0 && cards.length > 0 && seed, `an incomplete demo description:\n${text}`);
  return {
    base,
    seed: Number(seed),
    seeded: Number(text.match(/seeded (\d+) synthetic people/)?.[1] ?? 0),
    institutions,
    cards,
    bulkSample: sample ? { rows: Number(sample[1]), path: sample[2] } : null,
  };
}

// Starts onshi-server on a fresh demo in a temporary folder:
//   serve --addr 127.0.0.1:0 --database-url sqlite://<tmp>/onshi.db --demo <tmp>
//         --demo-people <people> --web-dir $ONSHI_WEB_DIR <args…>
// and resolves, once the demo is printed, with
//   { base, seed, seeded, institutions: [{ name, deviceKey, urls: [{ kind, label, url, path, token }] }],
//     cards: [{ index, holder, token, pin, graceOnly }], bulkSample: { rows, path }, dir,
//     institution(name), log(), stop() }
// `args` are more `serve` flags (`["--reader-bridge", "virtual"]`). The server's output is read
// until stop(), which ends it (SIGINT) and removes the folder.
export async function startDemo({ args = [], people = 2000 } = {}) {
  const bin = required("ONSHI_SERVER_BIN", ONSHI_SERVER_BIN);
  const web = required("ONSHI_WEB_DIR", ONSHI_WEB_DIR);
  const dir = mkdtempSync(join(tmpdir(), "onshi-e2e-"));
  const server = new Child(
    "onshi-server",
    bin,
    ["serve", "--addr", "127.0.0.1:0", "--database-url", `sqlite://${join(dir, "onshi.db")}`,
      "--demo", dir, "--demo-people", String(people), "--web-dir", web, ...args],
    { env: { ...process.env, NO_COLOR: "1" } },
  );
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The description ends with the line naming the service, the metrics and the API.
    await server.waitFor(/^service: .* API: \S+\/v1\/openapi\.json$/m, SERVER_START_LIMIT_MS);
    const demo = parseDemo(server.text);
    return {
      ...demo,
      dir,
      // The demo institution whose name contains `name`.
      institution(name) {
        const found = demo.institutions.find((i) => i.name.includes(name));
        assert.ok(found, `no demo institution named ${name}: ${demo.institutions.map((i) => i.name).join(", ")}`);
        return found;
      },
      // All the server printed so far (personal data is the demo's made-up people only).
      log: () => server.text,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

// Whether this process's network has no interface but loopback (`unshare -n`): then nothing
// listening on "every interface" is reachable from anywhere else.
function onlyLoopback() {
  try {
    const interfaces = readFileSync("/proc/self/net/dev", "utf8").split("\n").slice(2).filter((l) => l.trim());
    return interfaces.every((l) => l.trim().startsWith("lo:"));
  } catch {
    return false;
  }
}

function pcscdRunning() {
  return readdirSync("/proc").some((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "pcscd";
    } catch {
      return false;
    }
  });
}

// Starts pcscd (`--foreground`, with Debian's vpcd driver: readers "Virtual PCD 00 00/01") and
// puts demo card `card` into the first reader with onshi-virtual-card, as reader/tests/pcsc-suite.sh
// does. `seed` must be the server's population seed (demo.seed) for the card to chain to its TEST
// root; `date` (YYYYMMDD) issues the certificates as of that day. Only inside a private network
// namespace (vpcd listens on every interface): `cargo xtask test` runs node under `unshare -n`.
// Resolves with { card, insert(n), remove(), log(), stop() } once the card is in the reader.
export async function startPcsc({ card = 0, seed, date } = {}) {
  assert.ok(Number.isInteger(seed), "startPcsc needs the population seed: startPcsc({ seed: demo.seed })");
  if (!onlyLoopback()) {
    throw new Error(
      "PC/SC tests need a private network namespace (vpcd listens on every interface): run them through " +
        "`cargo xtask test` as root, which starts node under `unshare -n`; here the network has more than loopback",
    );
  }
  const cardBin = required("ONSHI_VIRTUAL_CARD_BIN", VIRTUAL_CARD_BIN);
  assert.ok(existsSync(cardBin), `no ${cardBin}: cargo build -p onshi-reader --bin onshi-virtual-card`);
  assert.ok(!pcscdRunning(), "another pcscd is running; only one can (stop it first)");
  const pcscd = new Child("pcscd", "pcscd", ["--foreground"]);
  let inserted = null;
  let inReader = null;
  // pcscd polls vpcd every 400 ms and may report the previous state for one poll: two polls.
  const settle = () => sleep(1000);
  const remove = async () => {
    if (inserted) {
      await inserted.stop("SIGTERM");
      inserted = null;
      inReader = null;
      await settle();
    }
  };
  const stop = async () => {
    await remove();
    await pcscd.stop("SIGTERM");
  };
  const insert = async (index) => {
    await remove();
    const args = ["--card", String(index), "--seed", String(seed), ...(date ? ["--date", date] : [])];
    inserted = new Child(`onshi-virtual-card --card ${index}`, cardBin, args);
    await inserted.waitFor(/connected to vpcd/, PCSC_START_LIMIT_MS);
    await settle();
    inReader = index;
  };
  try {
    const until = Date.now() + PCSC_START_LIMIT_MS;
    while (!existsSync("/run/pcscd/pcscd.comm")) {
      if (pcscd.exited || Date.now() > until) throw new Error(`pcscd did not start:\n${pcscd.tail()}`);
      await sleep(50);
    }
    await insert(card);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    // The demo card in the reader now (null when none is).
    get card() {
      return inReader;
    },
    // Takes the card out and puts demo card `index` in.
    insert,
    // Takes the card out of the reader.
    remove,
    log: () => `${pcscd.text}\n${inserted?.text ?? ""}`,
    stop,
  };
}

// Launches Debian's Chromium through playwright-core. `mobile` gives a phone (390×844, touch,
// 2× pixels); `viewport` overrides the size. Pages speak Japanese in Tokyo time.
// Resolves with { browser, context, page, errors, close() }: `errors` collects every uncaught
// page error and console error, for tests to assert empty.
export async function launch({ viewport, mobile = false, locale = "ja-JP" } = {}) {
  const { chromium } = tool("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({
    viewport: viewport ?? (mobile ? { width: 390, height: 844 } : { width: 1024, height: 768 }),
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: mobile ? 2 : 1,
    locale,
    timezoneId: "Asia/Tokyo",
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console error: ${m.text()} (${m.location().url})`);
  });
  return { browser, context, page, errors, close: () => browser.close() };
}

// Writes a screenshot to $ONSHI_SCREENSHOTS/<name>.png and returns its path: the full page, or
// with `{ fullPage: false }` what the viewport shows now (for pages too long to read whole).
export async function shot(page, name, { fullPage = true } = {}) {
  const path = join(required("ONSHI_SCREENSHOTS", ONSHI_SCREENSHOTS), `${name}.png`);
  await page.screenshot({ path, fullPage });
  assert.ok(statSync(path).size > 1000, `${path} looks empty`);
  return path;
}

let onshiPackage;

// The npm package `onshi` ($ONSHI_NPM_DIR), loaded once.
async function onshi() {
  if (!onshiPackage) {
    const entry = join(ONSHI_NPM_DIR, "onshi_wasm.js");
    assert.ok(existsSync(entry), `no npm package in ${ONSHI_NPM_DIR}: cargo xtask npm`);
    const loaded = await import(entry);
    loaded.initSync({ module: readFileSync(join(ONSHI_NPM_DIR, "onshi_wasm_bg.wasm")) });
    onshiPackage = loaded;
  }
  return onshiPackage;
}

// The JST calendar day `days` from today, as the date field takes it (YYYY-MM-DD).
export function jstDay(days = 0) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date(Date.now() + days * 86_400_000));
}

// Runs card procedure `procedure` (`probe`, `authenticate`, …) of onshi-core's card client in the npm
// package, carrying each command APDU with `transmit(command: Uint8Array): Promise<Uint8Array>`.
// Resolves with the outcome's `ok` and fails on its `error`.
async function runCard(procedure, input, transmit) {
  const { CardProcedure } = await onshi();
  const p = CardProcedure.start(procedure, JSON.stringify(input));
  let step = p.next();
  while (step.send) step = p.next(await transmit(step.send));
  const outcome = JSON.parse(step.outcome);
  assert.ok(outcome.ok, `${procedure}: ${JSON.stringify(outcome.error)}`);
  return outcome.ok;
}

// Probes the card, then has it verify `pin` and sign `challenge` (hex): the body of
// POST /v1/consent-sessions/{id}/card and /v1/patient/sessions: { certificate, signature, holder }.
async function signChallenge(transmit, pin, challenge) {
  const { token } = await runCard("probe", {}, transmit);
  const { certificate, signature } = await runCard("authenticate", { pin, challenge, last_try: "refuse" }, transmit);
  // As core's TokenKind::holder: the plastic card, or a smartphone's certificate.
  return { certificate, signature, holder: token === "card" ? "card" : "smartphone" };
}

// What onshi's phone app does after the hand-off link, with the card read over NFC: the card
// signs `challenge` through onshi-core's card client in the npm package. The card is the package's
// VirtualCard: demo card `card` issued from the server's population `seed` as of `date` (YYYYMMDD,
// JST today by default) — the same card onshi-virtual-card puts into pcscd, chaining to the TEST
// root the service trusts.
export async function appSignsChallenge({ seed, card = 0, pin, challenge, date = jstDay().replaceAll("-", "") }) {
  assert.ok(Number.isInteger(seed), "appSignsChallenge needs the population seed (demo.seed)");
  const virtual = (await onshi()).VirtualCard.issue(BigInt(seed), card, date);
  return signChallenge(async (command) => virtual.transmit(command), pin, challenge);
}

// A program on the reader's machine using the service's reader bridge (`serve --reader-bridge`):
// the card in the first reader that has one signs `challenge`, each APDU through
// /bridge/v1/connections/{id}/apdu, as the web page does.
export async function bridgeSignsChallenge(base, { pin, challenge }) {
  const call = async (method, path, body) => {
    const answer = await fetch(`${base}/bridge/v1${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body && JSON.stringify(body),
    });
    const text = await answer.text();
    assert.ok(answer.ok, `${method} /bridge/v1${path}: ${answer.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const { readers } = await call("GET", "/readers");
  const reader = readers.find((r) => r.card);
  assert.ok(reader, `no card in the bridge's readers: ${JSON.stringify(readers)}`);
  const { connection } = await call("POST", "/connections", { reader: reader.name });
  try {
    return await signChallenge(async (command) => {
      const { response } = await call("POST", `/connections/${connection}/apdu`, {
        command: Buffer.from(command).toString("hex").toUpperCase(),
      });
      return new Uint8Array(Buffer.from(response, "hex"));
    }, pin, challenge);
  } finally {
    await call("DELETE", `/connections/${connection}`);
  }
}

// Registers a consent at institution URL `url` ({ kind, token } of the demo) as the consent page
// does: a session with `answers` ([[item, answer], …]) and, for online URLs, `plannedDate`
// (YYYYMMDD); then the card in the bridge's first reader signs its challenge with `pin`.
// Resolves with the service's answer (the receipt).
export async function registerConsent(base, url, { answers, plannedDate = null, pin }) {
  const post = async (path, body) => {
    const answer = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(answer.status, 200, `${path}: ${await answer.clone().text()}`);
    return answer.json();
  };
  const setting = url.kind === "online" ? "online_consultation" : "home_visit";
  const started = await post(`/v1/consent-urls/${url.token}/sessions`, { answers, planned_date: plannedDate, setting });
  const signed = await bridgeSignsChallenge(base, { pin, challenge: started.challenge });
  return post(`/v1/consent-sessions/${started.session}/card`, signed);
}

let axeSource;

// Runs axe-core on the page as it is now and fails listing every serious or critical violation
// (rule id, impact, what to fix, the elements); lesser ones are printed. Returns all violations.
export async function audit(page, name) {
  axeSource ??= readFileSync(tools.resolve("axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ content: axeSource });
  }
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const describe = (v) =>
    `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    at ${n.target.join(" ")}`).join("\n")}`;
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const lesser = violations.filter((v) => !blocking.includes(v));
  console.log(`axe: ${name}: ${blocking.length} serious or critical, ${lesser.length} other` +
    (lesser.length ? ` (${lesser.map((v) => `${v.id}/${v.impact}`).join(", ")})` : ""));
  assert.equal(blocking.length, 0, `axe: ${name}: serious or critical violations:\n${blocking.map(describe).join("\n")}`);
  return violations;
}

// Loads `url` in `page` with the cache off and measures what it costs: every byte the network
// delivered for the page and all it loaded (CDP `Network.loadingFinished` encodedDataLength:
// compressed bodies and headers), and the first render — from navigation start to the first
// frame in which `selector` is visible. Waits for the network to go quiet, so late loads count.
// Prints `budget: <label> 123.4 KB gzip, first render 210 ms` and resolves with
// { label, url, bytes, firstRenderMs, resources: [{ url, bytes, encoding, type }], uncompressed }
// where `uncompressed` lists the text, script and Wasm files over 1 KB sent without gzip.
export async function budget(page, url, { selector = "main", label = url } = {}) {
  const cdp = await page.context().newCDPSession(page);
  const responses = new Map();
  const resources = [];
  cdp.on("Network.responseReceived", ({ requestId, response }) => responses.set(requestId, response));
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    const r = responses.get(requestId);
    const headers = Object.fromEntries(Object.entries(r?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    resources.push({ url: r?.url, bytes: encodedDataLength, encoding: headers["content-encoding"] ?? null, type: r?.mimeType });
  });
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await page.addInitScript((sel) => {
    const look = () => {
      const el = document.querySelector(sel);
      const box = el?.getBoundingClientRect();
      if (box && box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden") {
        window.__onshiFirstRender = performance.now();
      } else {
        requestAnimationFrame(look);
      }
    };
    requestAnimationFrame(look);
  }, selector);
  await page.goto(url);
  await page.locator(selector).first().waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle");
  const firstRenderMs = await page.waitForFunction(() => window.__onshiFirstRender).then((h) => h.jsonValue());
  await cdp.detach();
  const bytes = resources.reduce((sum, r) => sum + r.bytes, 0);
  const uncompressed = resources.filter(
    (r) => !r.encoding && r.bytes > 1000 && /^(text\/|application\/(javascript|wasm|json))/.test(r.type ?? ""),
  );
  console.log(`budget: ${label} ${(bytes / 1000).toFixed(1)} KB ${uncompressed.length ? "(not all gzip)" : "gzip"}, ` +
    `first render ${Math.round(firstRenderMs)} ms`);
  return { label, url, bytes, firstRenderMs, resources, uncompressed };
}
