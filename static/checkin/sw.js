/* Service worker of the door scanner page: keeps the page and its files so the door works with no network.
 *
 * Served by ticketing.views.scanner_service_worker at /e/<slug>/checkin/sw.js (its scope is the scanner
 * page's folder), which puts self.KOL_SW = {version, page, files} in front of this file. A new version
 * (any file's hashed name or this code changed) installs a new cache and drops the old ones.
 *
 * The page: network first (fresh page and CSRF cookie while online), the kept copy when the network
 * fails or hangs. Static files: the kept copy first (their names carry a hash in production).
 * The API is never answered from the cache: static/checkin/offline.js judges scans itself offline.
 */
"use strict";

const CONFIG = self.KOL_SW;
const CACHE = "kol-checkin-" + CONFIG.version;
const PAGE_TIMEOUT_MS = 4000; // a venue network that hangs is as bad as none

function keepPage(cache, response) {
  // A redirect (to the login page) or an error must never replace the working page.
  if (response && response.ok && !response.redirected && response.type === "basic") {
    return cache.put(CONFIG.page, response);
  }
  return Promise.resolve();
}

async function install() {
  const cache = await caches.open(CACHE);
  await cache.addAll(CONFIG.files);
  await keepPage(cache, await fetch(CONFIG.page, { credentials: "same-origin" }));
  await self.skipWaiting();
}

async function activate() {
  const names = await caches.keys();
  const old = names.filter((name) => name.startsWith("kol-checkin-") && name !== CACHE);
  await Promise.all(old.map((name) => caches.delete(name)));
  await self.clients.claim();
}

self.addEventListener("install", (event) => event.waitUntil(install()));
self.addEventListener("activate", (event) => event.waitUntil(activate()));

function pageFromNetwork(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), PAGE_TIMEOUT_MS);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function servePage(request) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await pageFromNetwork(request);
  } catch {
    return (await cache.match(CONFIG.page)) || Response.error();
  }
  if (response.ok && !response.redirected) {
    await keepPage(cache, response.clone());
    return response;
  }
  // Signed out or a server error: a kept page still lets the door work.
  return (await cache.match(CONFIG.page)) || response;
}

async function serveFile(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === new URL(CONFIG.page, self.location.origin).pathname) {
    event.respondWith(servePage(request));
  } else if (CONFIG.files.includes(url.pathname)) {
    event.respondWith(serveFile(request));
  }
});
