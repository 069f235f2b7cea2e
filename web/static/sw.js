// onshi's service worker, on staff devices only (the full app registers it; a patient's phone
// never does): it keeps the app itself — the page, its script and Wasm module, the style sheet —
// so the console opens without signal at a patient's home and shows what the browser kept.
//
// The app's files are kept as one set per build (app-files.json lists them with the build's
// version): a script and a Wasm module always come from the same build. The page itself is asked
// of the network first (falling back to the kept one without signal); its files come from the kept
// set, which is replaced whole, in the background, when the service has a new build — the next
// opening uses it. Nothing of the API (/v1/), the reader bridge (/bridge/), /healthz or the metrics
// is ever kept: those answers carry personal data and belong to the moment.
const PREFIX = "onshi-app-";
const COMPLETE = "/__complete";
const NAVIGATION_WAIT_MS = 4000;
const NEVER_KEPT = /^\/(v1|bridge|healthz|metrics)(\/|$)/;

// The kept set whose every file arrived, if any.
async function keptSet() {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const cache = await caches.open(name);
    if (await cache.match(COMPLETE)) return cache;
  }
  return null;
}

// Keeps the service's current build, unless it is kept already; then drops every other set.
async function update() {
  const manifest = await (await fetch("/app-files.json", { cache: "no-store" })).json();
  const name = PREFIX + manifest.version;
  const cache = await caches.open(name);
  if (!(await cache.match(COMPLETE))) {
    await cache.addAll(manifest.files.map((f) => new Request(f, { cache: "no-cache" })));
    await cache.put(COMPLETE, new Response(manifest.version));
  }
  for (const other of await caches.keys()) {
    if (other.startsWith(PREFIX) && other !== name) await caches.delete(other);
  }
}

self.addEventListener("install", (event) => event.waitUntil(update().then(() => self.skipWaiting())));
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function withinWait(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in time")), ms)),
  ]);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || NEVER_KEPT.test(url.pathname)) return;
  if (request.mode === "navigate") {
    // Every page path is the same app shell (the service answers each with index.html).
    event.respondWith(
      (async () => {
        try {
          const response = await withinWait(fetch(request), NAVIGATION_WAIT_MS);
          // Reachable: keep up with the service's build for the next opening.
          event.waitUntil(update().catch(() => {}));
          return response;
        } catch (e) {
          const kept = await (await keptSet())?.match("/");
          if (kept) return kept;
          throw e;
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const kept = await (await keptSet())?.match(url.pathname);
      return kept ?? fetch(request);
    })(),
  );
});
