// onshi's service worker, on staff devices only (the full app registers it; a patient's phone
// never does): it keeps the app itself — the page, its script and Wasm module, the style sheet —
// so the console opens without signal at a patient's home and shows what the browser kept.
//
// Network first: a reachable service always gives the current app, and each answer refreshes the
// kept copy; the copy is used only when the network fails or takes longer than NETWORK_WAIT_MS.
// Nothing of the API (/v1/), the reader bridge (/bridge/) or the metrics is ever kept: those
// answers carry personal data and belong to the moment.
const CACHE = "onshi-app";
const NETWORK_WAIT_MS = 4000;
const NEVER_KEPT = /^\/(v1|bridge|healthz|metrics)(\/|$)/;

// Every file of the staff app, listed by the build (app-files.json), is kept on install.
self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await (await fetch("/app-files.json", { cache: "no-store" })).json();
      const cache = await caches.open(CACHE);
      await cache.addAll(manifest.files);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function withinWait(promise) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in time")), NETWORK_WAIT_MS)),
  ]);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || NEVER_KEPT.test(url.pathname)) return;
  // Every page path is the same app shell (the service answers each with index.html).
  const key = request.mode === "navigate" ? "/" : url.pathname;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await withinWait(fetch(request));
        if (response.ok) await cache.put(key, response.clone());
        return response;
      } catch (e) {
        const kept = await cache.match(key);
        if (kept) return kept;
        throw e;
      }
    })(),
  );
});
