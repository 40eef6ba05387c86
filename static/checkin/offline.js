/* Offline door check-in: the scanner page keeps working when the venue network fails.
 *
 * While online it keeps the event's lists in IndexedDB (GET /api/v1/checkin/offline-data: public keys,
 * each badge holder's current badge version, ticket validity, name and category, the admissions already
 * made) and refreshes them in the background. When a live scan cannot reach the server (or the browser
 * knows it is offline) the code is judged here, in the order the server uses: Base45 (RFC 9285) decode,
 * event, Ed25519 signature (Web Crypto, else the vendored @noble/ed25519), badge version (older = revoked),
 * ticket, check-in window, admissions known to this device. Every offline scan is queued in IndexedDB with
 * the verdict shown, so it survives a reload or a phone restart, and is sent in order to
 * POST /api/v1/checkin/sync when the network returns; the server applies it at its original time.
 *
 * The name search works offline too: the stored lists are searched with the server's folding (Cường = cuong,
 * Đạt = dat), and admitting a person found is judged like a scan by participant id (no code: ticket, window,
 * admissions), queued and synced as {participant} instead of {code}.
 *
 * Hooks into scanner.js through window.KolScanner.submitCode, admitParticipant and searchPeople (wrapped)
 * and the verdict's and the search's `offline` flag.
 * Exposes window.KolOffline for the benchmark (bench/offline_verify.py) and tests.
 */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  var scanner = window.KolScanner;
  if (!root || !scanner) return;

  var config = scanner.config;
  var urls = {
    data: root.dataset.offlineDataUrl + "?event=" + encodeURIComponent(config.event),
    sync: root.dataset.syncUrl,
    worker: root.dataset.serviceWorkerUrl,
    noble: root.dataset.nobleUrl,
  };
  var REFRESH_MS = 60000; // lists are refreshed every minute while online
  var SYNC_MS = 10000; // the queue is retried this often while scans wait
  var LIVE_TIMEOUT_MS = 5000; // a live scan that hangs longer is judged here instead
  var BATCH = 200; // scans per sync request (the server takes at most 500)
  var DEVICE_KEY = "kol.checkin.device";
  var FORMAT_VERSION = 1;
  var PAYLOAD_BYTES = 11;
  var CODE_BYTES = 75;

  var SEARCH_LIMIT = 20; // as the server's door search (ticketing.selectors.DOOR_SEARCH_LIMIT)

  var state = { lists: null, admissions: {}, pending: 0, online: navigator.onLine, syncing: false, engine: null };

  function $(id) {
    return document.getElementById(id);
  }

  function t(key) {
    return config.texts[key] || key;
  }

  function deviceId() {
    var id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = newId();
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // --- IndexedDB: lists per event, the scan queue, this device's admissions --------------

  var dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("kol-checkin", 1);
        request.onupgradeneeded = function () {
          var database = request.result;
          database.createObjectStore("lists"); // event slug -> the offline-data answer
          database.createObjectStore("queue", { keyPath: "seq", autoIncrement: true }); // in scan order
          database.createObjectStore("admissions"); // "slug:participant" -> {participant, gate, at, pending}
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  /** Run work(stores) in one transaction; resolves once it is committed, rejects if it is not. */
  function transact(names, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(names, mode);
        var stores = {};
        names.forEach(function (name) { stores[name] = tx.objectStore(name); });
        work(stores);
        tx.oncomplete = function () { resolve(); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function readAll(store, filter) {
    return new Promise(function (resolve, reject) {
      var found = [];
      var cursor = store.openCursor();
      cursor.onsuccess = function () {
        var at = cursor.result;
        if (!at) return resolve(found);
        if (filter(at.value)) found.push(at.value);
        at.continue();
      };
      cursor.onerror = function () { reject(cursor.error); };
    });
  }

  function waitingScans() {
    var out = [];
    return transact(["queue"], "readonly", function (stores) {
      readAll(stores.queue, function (scan) { return scan.event === config.event && !scan.synced; }).then(function (scans) {
        out.push.apply(out, scans);
      });
    }).then(function () { return out; });
  }

  function loadState() {
    var found = { lists: null, admissions: [] };
    return transact(["lists", "admissions"], "readonly", function (stores) {
      var request = stores.lists.get(config.event);
      request.onsuccess = function () { found.lists = request.result || null; };
      readAll(stores.admissions, function (row) { return row.event === config.event; }).then(function (rows) {
        found.admissions = rows;
      });
    }).then(function () {
      if (found.lists && Date.parse(found.lists.closes_at) < Date.now()) return forgetLists();
      if (found.lists) useLists(found.lists);
    }).then(function () {
      found.admissions.forEach(function (row) { state.admissions[row.participant] = row; });
      return waitingScans();
    }).then(function (scans) {
      state.pending = scans.length;
    });
  }

  // --- Lists ------------------------------------------------------------------------------

  function useLists(data) {
    var participants = {};
    data.participants.forEach(function (row) {
      participants[row[0]] = {
        version: row[1],
        valid: row[2],
        name: row[3],
        category: row[4],
        organization: row[5],
        folded: [fold(row[3]), fold(row[5])],
      };
    });
    var admitted = {};
    data.admissions.forEach(function (row) {
      if (row[1] === 0 && !admitted[row[0]]) admitted[row[0]] = { gate: row[2], at: row[3] };
    });
    state.lists = {
      raw: data,
      eventId: data.event_id,
      keys: data.keys.map(function (key) { return { id: key.key_id, raw: fromBase64(key.public_key), imported: null }; }),
      participants: participants,
      admitted: admitted,
      opens: Date.parse(data.opens_at),
      closes: Date.parse(data.closes_at),
    };
  }

  // The lists name every badge holder: they leave the device as soon as it may no longer scan
  // (signed out, token revoked: the server answers 401/403) or the event's doors have closed.
  function forgetLists() {
    state.lists = null;
    return transact(["lists"], "readwrite", function (stores) { stores.lists.delete(config.event); });
  }

  function refreshLists() {
    var started = Date.now();
    return fetch(urls.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          return forgetLists().then(function () { throw new Error("HTTP " + response.status); });
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        data.fetched_at = new Date().toISOString();
        useLists(data);
        return transact(["lists", "admissions"], "readwrite", function (stores) {
          stores.lists.put(data, config.event);
          // Admissions the server now lists need no local copy; unsynced ones stay until they are sent.
          readAll(stores.admissions, function (row) {
            return row.event === config.event && !row.pending && Date.parse(row.recorded_at) < started;
          }).then(function (rows) {
            rows.forEach(function (row) {
              stores.admissions.delete(row.key);
              delete state.admissions[row.participant];
            });
          });
        });
      })
      .then(function () { setOnline(true); }, function () { setOnline(false); })
      .then(showStatus);
  }

  // --- Badge codes: Base45 (RFC 9285) and Ed25519 -------------------------------------------

  var BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  var BASE45_VALUES = {};
  for (var index = 0; index < BASE45.length; index++) BASE45_VALUES[BASE45[index]] = index;

  function base45Decode(text) {
    if (text.length % 3 === 1) return null;
    var out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 ? 1 : 0));
    var at = 0;
    for (var i = 0; i < text.length; i += 3) {
      var c = BASE45_VALUES[text[i]], d = BASE45_VALUES[text[i + 1]];
      if (c === undefined || d === undefined) return null;
      if (i + 2 < text.length) {
        var e = BASE45_VALUES[text[i + 2]];
        if (e === undefined) return null;
        var value = c + d * 45 + e * 2025;
        if (value > 0xffff) return null;
        out[at++] = value >> 8;
        out[at++] = value & 0xff;
      } else {
        if (c + d * 45 > 0xff) return null;
        out[at++] = c + d * 45;
      }
    }
    return out;
  }

  function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /** What a code claims (no signature check): {eventId, participantId, version, payload, signature} or null. */
  function readCode(code) {
    var bytes = base45Decode((code || "").trim());
    if (!bytes || bytes.length !== CODE_BYTES || bytes[0] !== FORMAT_VERSION) return null;
    var view = new DataView(bytes.buffer);
    return {
      eventId: view.getUint32(1),
      participantId: view.getUint32(5),
      version: view.getUint16(9),
      payload: bytes.subarray(0, PAYLOAD_BYTES),
      signature: bytes.subarray(PAYLOAD_BYTES),
    };
  }

  var noble = null;

  function loadNoble() {
    // Only where Web Crypto lacks Ed25519; a module script from our own static files (CSP: 'self').
    noble = noble || import(urls.noble);
    return noble;
  }

  function webCryptoVerify(key, claim) {
    var imported = key.imported || crypto.subtle.importKey("raw", key.raw, { name: "Ed25519" }, false, ["verify"]);
    key.imported = imported;
    return imported.then(function (cryptoKey) {
      return crypto.subtle.verify({ name: "Ed25519" }, cryptoKey, claim.signature, claim.payload);
    });
  }

  function nobleVerify(key, claim) {
    return loadNoble().then(function (ed) {
      return ed.verifyAsync(claim.signature, claim.payload, key.raw).catch(function () { return false; });
    });
  }

  /** Which engine checks signatures here: "webcrypto" when the browser has Ed25519, else "noble". */
  function engine() {
    if (!state.engine) {
      var probe = fromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="); // RFC 8032 test 1 public key
      state.engine = crypto.subtle
        .importKey("raw", probe, { name: "Ed25519" }, false, ["verify"])
        .then(function () { return "webcrypto"; }, function () { return "noble"; });
    }
    return state.engine;
  }

  /** The claim of a genuinely signed code of this event, or null (no lists, unreadable, forged). */
  function verify(code, forceEngine) {
    var claim = readCode(code);
    if (!claim || !state.lists || claim.eventId !== state.lists.eventId) return Promise.resolve(null);
    return (forceEngine ? Promise.resolve(forceEngine) : engine()).then(function (name) {
      var check = name === "webcrypto" ? webCryptoVerify : nobleVerify;
      return state.lists.keys.reduce(function (found, key) {
        return found.then(function (ok) { return ok || check(key, claim); });
      }, Promise.resolve(false));
    }).then(function (ok) { return ok ? claim : null; });
  }

  // --- The offline verdict ---------------------------------------------------------------------

  function verdict(result, person, first) {
    return {
      result: result,
      message: t("offline_message"),
      participant: person
        ? { name: person.name, category: person.category, organization: person.organization, title: "" }
        : null,
      checked_in_at: first ? first.at : null,
      gate: first ? first.gate : null,
      check_in_id: null,
      offline: true,
    };
  }

  /** Judge a code on this device, in the server's order; resolves to a verdict shaped like the scan API's. */
  function judge(code, now) {
    if (!state.lists) {
      return Promise.resolve({ result: "error", message: t("offline_no_lists"), participant: null, offline: true });
    }
    var claim = readCode(code);
    if (claim && claim.eventId !== state.lists.eventId) return Promise.resolve(verdict("wrong_event"));
    return verify(code).then(function (verified) {
      var person = verified && state.lists.participants[verified.participantId];
      if (!person) return verdict("invalid");
      // A version newer than the list's means the badge was reissued since the last refresh: it is current.
      if (verified.version < person.version) return verdict("revoked", person);
      return judgeHolder(verified.participantId, person, now);
    });
  }

  /** Judge an admission by name (a person the offline search found): the scan's checks after the badge. */
  function judgeParticipant(participantId, now) {
    if (!state.lists) {
      return Promise.resolve({ result: "error", message: t("offline_no_lists"), participant: null, offline: true });
    }
    var person = state.lists.participants[participantId];
    return Promise.resolve(person ? judgeHolder(participantId, person, now) : verdict("invalid"));
  }

  /** Ticket, check-in window, admissions known here: what a badge scan and an admission by name share. */
  function judgeHolder(participantId, person, now) {
    if (!person.valid) return verdict("not_allowed", person);
    if (now < state.lists.opens || now >= state.lists.closes) return verdict("not_open", person);
    var first = state.admissions[participantId] || state.lists.admitted[participantId];
    if (first) return verdict("already_checked_in", person, first);
    return verdict("admitted", person);
  }

  // --- Name search in the lists ------------------------------------------------------------------

  /** events.collation.search_fold: lowercase, đ → d, accents and tones stripped, spaces collapsed. */
  function fold(text) {
    // toLowerCase, not Python's casefold: the two differ only outside Vietnamese (ß, a few Greek letters).
    var lower = (text || "").toLowerCase().replace(/đ/g, "d");
    return lower.normalize("NFD").replace(/\p{Mn}/gu, "").trim().split(/\s+/).join(" ");
  }

  var collator = null;

  /** Vietnamese order of people (events.collation.person_key): given name, middle names, family name. */
  function comparePeople(a, b) {
    collator = collator || new Intl.Collator("vi");
    var x = a.name.trim().split(/\s+/), y = b.name.trim().split(/\s+/);
    var keys = [
      [x[x.length - 1], y[y.length - 1]],
      [x.slice(1, -1).join(" "), y.slice(1, -1).join(" ")],
      [x.length > 1 ? x[0] : "", y.length > 1 ? y[0] : ""],
      [a.name, b.name],
    ];
    for (var i = 0; i < keys.length; i++) {
      var order = collator.compare(keys[i][0], keys[i][1]);
      if (order) return order;
    }
    return 0;
  }

  /** The badge holders whose name or organization holds the query, shaped like the search API's rows. */
  function searchLists(query) {
    if (!state.lists) return { people: [], offline: true, empty: t("offline_no_lists") };
    var needle = fold(query);
    var people = [];
    Object.keys(state.lists.participants).forEach(function (id) {
      var person = state.lists.participants[id];
      if (person.folded[0].indexOf(needle) < 0 && person.folded[1].indexOf(needle) < 0) return;
      var first = state.admissions[id] || state.lists.admitted[id];
      people.push({
        id: Number(id),
        name: person.name,
        category: person.category,
        category_label: config.categories[person.category] || person.category,
        organization: person.organization,
        title: "",
        ticket_valid: person.valid,
        admitted: Boolean(first),
        checked_in_at: first ? first.at : null,
        gate: first ? first.gate : null,
      });
    });
    return { people: people.sort(comparePeople).slice(0, SEARCH_LIMIT), offline: true };
  }

  /** Who an item names: {participant} (an admission by name) or {code} (a badge scan; null if unreadable). */
  function participantOf(item) {
    if (item.participant) return item.participant;
    var claim = readCode(item.code);
    return claim ? claim.participantId : null;
  }

  function queueScan(item, at, found) {
    var participantId = participantOf(item);
    var scan = {
      event: config.event,
      client_id: newId(),
      gate: scanner.gate(),
      scanned_at: at.toISOString(),
      offline_result: found.result,
      synced: false,
    };
    // The server takes exactly one of the two (ticketing.schemas.SyncScanIn).
    if (item.participant) scan.participant = item.participant;
    else scan.code = item.code.slice(0, 2000);
    var admitted = found.result === "admitted" && participantId;
    var admission = admitted ? admissionRow(participantId, scan.gate, scan.scanned_at, true) : null;
    if (admission) state.admissions[admission.participant] = admission;
    return transact(["queue", "admissions"], "readwrite", function (stores) {
      stores.queue.add(scan);
      if (admission) stores.admissions.put(admission, admission.key);
    }).then(function () {
      state.pending += 1;
      showStatus();
    });
  }

  function admissionRow(participantId, gate, at, pending) {
    return {
      key: config.event + ":" + participantId,
      event: config.event,
      participant: participantId,
      gate: gate,
      at: at,
      pending: pending,
      recorded_at: new Date().toISOString(),
    };
  }

  function judgeOffline(item, at) {
    var judged = item.participant ? judgeParticipant(item.participant, at.getTime()) : judge(item.code, at.getTime());
    return judged.then(function (found) {
      if (found.result === "error") return found;
      return queueScan(item, at, found).then(function () { return found; });
    });
  }

  /** A live verdict that names an admission teaches this device, for when the network goes. */
  function rememberLive(item, found) {
    var participantId = participantOf(item);
    if (!participantId || !found.checked_in_at || ["admitted", "already_checked_in"].indexOf(found.result) < 0) return;
    if (state.admissions[participantId]) return;
    var admission = admissionRow(participantId, found.gate, found.checked_in_at, false);
    state.admissions[participantId] = admission;
    transact(["admissions"], "readwrite", function (stores) { stores.admissions.put(admission, admission.key); });
  }

  function withTimeout(promise, ms) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
      promise.then(function (value) { clearTimeout(timer); resolve(value); }, function (error) {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Send live (send() -> Promise<verdict>) and fall back to judging `item` here: {code} or {participant}. */
  function liveOrOffline(send, item) {
    var at = new Date();
    if (!navigator.onLine) return judgeOffline(item, at);
    // Scans still queued go first: the server must learn of an offline admission before a live rescan.
    var queued = state.pending ? withTimeout(sync(), LIVE_TIMEOUT_MS).catch(function () {}) : Promise.resolve();
    return queued.then(function () {
      return withTimeout(send(), LIVE_TIMEOUT_MS);
    }).then(
      function (found) {
        setOnline(true);
        rememberLive(item, found);
        return found;
      },
      function () {
        setOnline(false);
        return judgeOffline(item, at);
      }
    );
  }

  var liveSubmit = scanner.submitCode;
  var liveAdmit = scanner.admitParticipant;
  var liveSearch = scanner.searchPeople;

  scanner.submitCode = function (code, source) {
    return liveOrOffline(function () { return liveSubmit(code, source); }, { code: code });
  };

  scanner.admitParticipant = function (participantId) {
    return liveOrOffline(function () { return liveAdmit(participantId); }, { participant: participantId });
  };

  scanner.searchPeople = function (query) {
    if (!navigator.onLine) return Promise.resolve(searchLists(query));
    return withTimeout(liveSearch(query), LIVE_TIMEOUT_MS).then(
      function (found) {
        setOnline(true);
        return found;
      },
      function () {
        setOnline(false);
        showStatus();
        return searchLists(query);
      }
    );
  };

  // --- Sync: the queue, in order, when the network is back -------------------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function sendBatch(scans) {
    return fetch(urls.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({
        event: config.event,
        device_id: deviceId(),
        scans: scans.map(function (scan) {
          var sent = {
            client_id: scan.client_id,
            gate: scan.gate,
            scanned_at: scan.scanned_at,
            offline_result: scan.offline_result,
          };
          if (scan.participant) sent.participant = scan.participant;
          else sent.code = scan.code;
          return sent;
        }),
      }),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  /** Tell the page (door.js listens) which of this device's offline admissions the server found were
   * already admitted elsewhere: a second person on one badge, or one person twice. */
  function reportConflicts(scans, results) {
    var conflicts = scans.filter(function (scan) {
      return results[scan.client_id] && results[scan.client_id].conflict;
    }).map(function (scan) {
      var person = state.lists && state.lists.participants[participantOf(scan)];
      return { name: person ? person.name : "—", gate: scan.gate, at: scan.scanned_at };
    });
    if (conflicts.length) document.dispatchEvent(new CustomEvent("kol:sync-conflicts", { detail: conflicts }));
  }

  function markSynced(scans, answer) {
    var results = {};
    answer.results.forEach(function (row) { results[row.client_id] = row; });
    reportConflicts(scans, results);
    return transact(["queue", "admissions"], "readwrite", function (stores) {
      scans.forEach(function (scan) {
        var row = results[scan.client_id];
        if (!row) return;
        // The server holds it now (with its result); the device keeps no copy of the scanned code.
        stores.queue.delete(scan.seq);
        var participantId = participantOf(scan);
        var admission = participantId && state.admissions[participantId];
        if (scan.offline_result === "admitted" && admission && admission.pending) {
          admission.pending = false;
          stores.admissions.put(admission, admission.key);
        }
      });
    });
  }

  function sync() {
    if (state.syncing || !navigator.onLine) return Promise.resolve();
    state.syncing = true;
    return waitingScans()
      .then(function (scans) {
        if (!scans.length) return false;
        var batch = scans.slice(0, BATCH);
        return sendBatch(batch).then(function (answer) {
          setOnline(true);
          return markSynced(batch, answer).then(function () { return scans.length > BATCH; });
        });
      })
      .then(function (more) {
        return waitingScans().then(function (scans) {
          state.pending = scans.length;
          state.syncing = false;
          showStatus();
          return more ? sync() : refreshLists();
        });
      })
      .catch(function () {
        state.syncing = false;
        setOnline(false);
        showStatus();
      });
  }

  // --- Status for the staff ------------------------------------------------------------------

  function setOnline(online) {
    state.online = online && navigator.onLine;
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString(config.language === "vi" ? "vi-VN" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZone: "Asia/Ho_Chi_Minh",
    });
  }

  function showStatus() {
    var box = $("offline-status");
    if (!box) return;
    var refreshed = state.lists ? state.lists.raw.fetched_at : "";
    box.dataset.online = String(state.online);
    box.dataset.pending = String(state.pending);
    box.dataset.refreshedAt = refreshed || "";
    box.className = "scanner-offline " + (state.online ? "is-online" : "is-offline");
    $("net-state").textContent = state.online ? t("online") : t("offline");
    $("queue-count").textContent = String(state.pending);
    $("lists-age").textContent = refreshed ? clock(refreshed) : t("never");
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !urls.worker) return;
    navigator.serviceWorker.register(urls.worker).catch(function () {
      // No worker (private mode, old browser): the page still judges offline while it stays open.
    });
  }

  window.addEventListener("online", function () {
    setOnline(true);
    showStatus();
    sync();
  });
  window.addEventListener("offline", function () {
    setOnline(false);
    showStatus();
  });

  var ready = loadState()
    .catch(function () {
      // IndexedDB refused (private mode): the page works online, and offline while it stays open.
    })
    .then(function () {
      showStatus();
      registerWorker();
      if (navigator.onLine) return (state.pending ? sync() : refreshLists());
    });

  setInterval(function () {
    if (navigator.onLine) refreshLists();
  }, REFRESH_MS);
  setInterval(function () {
    if (state.pending) sync();
  }, SYNC_MS);

  window.KolOffline = {
    ready: ready,
    engine: engine,
    verify: verify,
    judge: judge,
    judgeParticipant: judgeParticipant,
    search: searchLists,
    fold: fold,
    readCode: readCode,
    sync: sync,
    refresh: refreshLists,
    storedScans: function () {
      var count = 0;
      return transact(["queue"], "readonly", function (stores) {
        var request = stores.queue.count();
        request.onsuccess = function () { count = request.result; };
      }).then(function () { return count; });
    },
    hasLists: function () {
      var found = false;
      return transact(["lists"], "readonly", function (stores) {
        var request = stores.lists.get(config.event);
        request.onsuccess = function () { found = Boolean(request.result); };
      }).then(function () { return found; });
    },
    waitingScans: waitingScans,
    deviceId: deviceId,
  };
})();
