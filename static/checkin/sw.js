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

var CONFIG = self.KOL_SW;
var CACHE = "kol-checkin-" + CONFIG.version;
var PAGE_TIMEOUT_MS = 4000; // a venue network that hangs is as bad as none

function keepPage(cache, response) {
  // A redirect (to the login page) or an error must never replace the working page.
  if (response && response.ok && !response.redirected && response.type === "basic") {
    return cache.put(CONFIG.page, response);
  }
  return Promise.resolve();
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(CONFIG.files).then(function () {
        return fetch(CONFIG.page, { credentials: "same-origin" }).then(function (response) {
          return keepPage(cache, response);
        });
      });
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) { return name.indexOf("kol-checkin-") === 0 && name !== CACHE; })
          .map(function (name) { return caches.delete(name); })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function pageFromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, PAGE_TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      resolve(response);
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function servePage(request) {
  return caches.open(CACHE).then(function (cache) {
    return pageFromNetwork(request).then(function (response) {
      if (response.ok && !response.redirected) {
        return keepPage(cache, response.clone()).then(function () { return response; });
      }
      // Signed out or a server error: a kept page still lets the door work.
      return cache.match(CONFIG.page).then(function (kept) { return kept || response; });
    }, function () {
      return cache.match(CONFIG.page).then(function (kept) {
        return kept || Response.error();
      });
    });
  });
}

function serveFile(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (kept) {
      return kept || fetch(request);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === new URL(CONFIG.page, self.location.origin).pathname) {
    event.respondWith(servePage(request));
  } else if (CONFIG.files.indexOf(url.pathname) >= 0) {
    event.respondWith(serveFile(request));
  }
});
