/* Offline door check-in: the scanner page keeps working when the venue network fails.
 *
 * While online it keeps the event's lists on the device (store.js: GET /api/v1/checkin/offline-data: public
 * keys, each badge holder's current badge version, ticket validity, name and category, the admissions already
 * made) and refreshes them in the background. When a live scan cannot reach the server (or the browser
 * knows it is offline) the code is judged here, in the order the server uses: the code (codes.js: Base45,
 * event, Ed25519 signature), badge version (older = revoked), ticket, check-in window, admissions known to
 * this device. Every offline scan is queued on the device with the verdict shown, so it survives a reload or
 * a phone restart, and is sent in order to POST /api/v1/checkin/sync when the network returns; the server
 * applies it at its original time.
 *
 * At a badge desk (door.js hands its scans to offline.atDesk) a scan judged here also prints the badge in the
 * browser (badge.js: the stored name, organization and category, the QR of the scanned code) and is queued
 * with printed: true; the sync records the print apart from the admission. A desk prints offline only the
 * first time this device meets a badge; a reprint, and printing a person found by name (the device keeps
 * no codes), need the network.
 *
 * The name search works offline too: the stored lists are searched with the server's folding (Cường = cuong,
 * Đạt = dat), and admitting a person found is judged like a scan by participant id (no code: ticket, window,
 * admissions), queued and synced as {participant} instead of {code}.
 *
 * Plugs into scanner.js's verdicts seam: offline.verdicts(live) answers like `live` while the server does and
 * judges here when it does not, marking verdicts and search results `offline`. offline.api is for the
 * benchmark (bench/offline_verify.py) and the browser tests (page.js puts it on window.KolOffline).
 */
import { $, getJson, postJson } from "../common/dom.js";
import { clockTime, translator } from "../common/texts.js";
import { deskOutcome, printBadge } from "./badge.js";
import { publicKeys, readCode, signatureEngine, signedByOneOf } from "./codes.js";
import { gate, sessionKey } from "./scanner.js";
import * as store from "./store.js";

const REFRESH_MS = 60000; // lists are refreshed every minute while online
const SYNC_MS = 10000; // the queue is retried this often while scans wait
const LIVE_TIMEOUT_MS = 5000; // a live scan that hangs longer is judged here instead
const BATCH = 200; // scans per sync request (the server takes at most 500)
const DEVICE_KEY = "kol.checkin.device";
const PRINTED_KEY = "kol.checkin.printed."; // + event: the participants this device printed a badge for
const SEARCH_LIMIT = 20; // as the server's door search (ticketing.selectors.DOOR_SEARCH_LIMIT)

// Set once by createOffline.
let config = null;
let t = null;
let urls = null;
const state = { lists: null, admissions: {}, pending: 0, online: navigator.onLine, syncing: false };

/** The offline part of the scanner page: {verdicts(live), start(), api}. */
export function createOffline(pageConfig, root) {
  config = pageConfig;
  t = translator(config.texts);
  urls = {
    data: root.dataset.offlineDataUrl + "?event=" + encodeURIComponent(config.event),
    sync: root.dataset.syncUrl,
    worker: root.dataset.serviceWorkerUrl,
    noble: root.dataset.nobleUrl,
  };
  const api = {
    ready: null, // set by start()
    engine: signatureEngine,
    verify,
    judge,
    judgeParticipant,
    search: searchLists,
    fold,
    readCode,
    sync,
    refresh: refreshLists,
    storedScans: store.countScans,
    hasLists: () => store.storedLists(config.event).then(Boolean),
    waitingScans: () => store.waitingScans(config.event),
    deviceId,
  };
  return { verdicts: offlineVerdicts, start: () => (api.ready = start()), api };
}

function deviceId() {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = newId();
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

// --- Lists ------------------------------------------------------------------------------

async function loadState() {
  const lists = await store.storedLists(config.event);
  const admissions = await store.storedAdmissions(config.event);
  if (lists && Date.parse(lists.closes_at) < Date.now()) await forgetLists();
  else if (lists) useLists(lists);
  admissions.forEach((row) => {
    state.admissions[row.participant] = row;
  });
  state.pending = (await store.waitingScans(config.event)).length;
}

function useLists(data) {
  const participants = {};
  data.participants.forEach((row) => {
    participants[row[0]] = {
      version: row[1],
      valid: row[2],
      name: row[3],
      category: row[4],
      organization: row[5],
      folded: [fold(row[3]), fold(row[5])],
    };
  });
  const admitted = {};
  data.admissions.forEach((row) => {
    if (row[1] === 0 && !admitted[row[0]]) admitted[row[0]] = { gate: row[2], at: row[3] };
  });
  state.lists = {
    raw: data,
    eventId: data.event_id,
    keys: publicKeys(data.keys),
    participants,
    admitted,
    opens: Date.parse(data.opens_at),
    closes: Date.parse(data.closes_at),
  };
}

// The lists name every badge holder: they leave the device as soon as it may no longer scan
// (signed out, token revoked: the server answers 401/403) or the event's doors have closed.
function forgetLists() {
  state.lists = null;
  localStorage.removeItem(PRINTED_KEY + config.event);
  return store.forgetLists(config.event);
}

async function fetchLists(started) {
  let data;
  try {
    data = await getJson(urls.data);
  } catch (error) {
    if (error.status === 401 || error.status === 403) await forgetLists();
    throw error;
  }
  data.fetched_at = new Date().toISOString();
  useLists(data);
  // Admissions the server now lists need no local copy; unsynced ones stay until they are sent.
  const dropped = await store.saveLists(config.event, data, started);
  dropped.forEach((participant) => delete state.admissions[participant]);
}

function refreshLists() {
  return fetchLists(Date.now())
    .then(
      () => setOnline(true),
      () => setOnline(false),
    )
    .then(showStatus);
}

// --- The offline verdict ---------------------------------------------------------------------

/** The claim of a genuinely signed code of this event, or null (no lists, unreadable, forged). */
function verify(code, engine) {
  const claim = readCode(code);
  if (!claim || !state.lists || claim.eventId !== state.lists.eventId) return Promise.resolve(null);
  return signedByOneOf(claim, state.lists.keys, { engine, nobleUrl: urls.noble }).then((ok) => (ok ? claim : null));
}

function verdict(result, person, first) {
  return {
    result,
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

function noLists() {
  return { result: "error", message: t("offline_no_lists"), participant: null, offline: true };
}

/** Judge a code on this device, in the server's order; resolves to a verdict shaped like the scan API's. */
function judge(code, now) {
  if (!state.lists) return Promise.resolve(noLists());
  const claim = readCode(code);
  if (claim && claim.eventId !== state.lists.eventId) return Promise.resolve(verdict("wrong_event"));
  return verify(code).then((verified) => {
    const person = verified && state.lists.participants[verified.participantId];
    if (!person) return verdict("invalid");
    // A version newer than the list's means the badge was reissued since the last refresh: it is current.
    if (verified.version < person.version) return verdict("revoked", person);
    return judgeHolder(verified.participantId, person, now);
  });
}

/** Judge an admission by name (a person the offline search found): the scan's checks after the badge. */
function judgeParticipant(participantId, now) {
  if (!state.lists) return Promise.resolve(noLists());
  const person = state.lists.participants[participantId];
  return Promise.resolve(person ? judgeHolder(participantId, person, now) : verdict("invalid"));
}

/** Ticket, check-in window, admissions known here: what a badge scan and an admission by name share. */
function judgeHolder(participantId, person, now) {
  if (!person.valid) return verdict("not_allowed", person);
  if (now < state.lists.opens || now >= state.lists.closes) return verdict("not_open", person);
  const first = state.admissions[participantId] || state.lists.admitted[participantId];
  if (first) return verdict("already_checked_in", person, first);
  return verdict("admitted", person);
}

// --- Name search in the lists ------------------------------------------------------------------

/** events.collation.search_fold: lowercase, đ → d, accents and tones stripped, spaces collapsed. */
function fold(text) {
  // toLowerCase, not Python's casefold: the two differ only outside Vietnamese (ß, a few Greek letters).
  const lower = (text || "").toLowerCase().replace(/đ/g, "d");
  return lower.normalize("NFD").replace(/\p{Mn}/gu, "").trim().split(/\s+/).join(" ");
}

let collator = null;

/** Vietnamese order of people (events.collation.person_key): given name, middle names, family name. */
function comparePeople(a, b) {
  collator = collator || new Intl.Collator("vi");
  const x = a.name.trim().split(/\s+/);
  const y = b.name.trim().split(/\s+/);
  const keys = [
    [x[x.length - 1], y[y.length - 1]],
    [x.slice(1, -1).join(" "), y.slice(1, -1).join(" ")],
    [x.length > 1 ? x[0] : "", y.length > 1 ? y[0] : ""],
    [a.name, b.name],
  ];
  for (const [left, right] of keys) {
    const order = collator.compare(left, right);
    if (order) return order;
  }
  return 0;
}

/** The badge holders whose name or organization holds the query, shaped like the search API's rows. */
function searchLists(query) {
  if (!state.lists) return { people: [], offline: true, empty: t("offline_no_lists") };
  const needle = fold(query);
  const people = [];
  Object.entries(state.lists.participants).forEach(([id, person]) => {
    if (!person.folded[0].includes(needle) && !person.folded[1].includes(needle)) return;
    const first = state.admissions[id] || state.lists.admitted[id];
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

// --- Live first, else here ---------------------------------------------------------------------------

/** Who an item names: {participant} (an admission by name) or {code} (a badge scan; null if unreadable). */
function participantOf(item) {
  if (item.participant) return item.participant;
  const claim = readCode(item.code);
  return claim ? claim.participantId : null;
}

function admissionRow(participantId, atGate, at, pending) {
  return {
    key: config.event + ":" + participantId,
    event: config.event,
    participant: participantId,
    gate: atGate,
    at,
    pending,
    recorded_at: new Date().toISOString(),
  };
}

function queueScan(item, at, found, printed = false) {
  const participantId = participantOf(item);
  const scan = {
    event: config.event,
    client_id: newId(),
    gate: gate(),
    scanned_at: at.toISOString(),
    offline_result: found.result,
    synced: false,
  };
  if (printed) scan.printed = true;
  // At a session's door the server applies the seat rule at sync (ticketing.services.offline).
  const session = parseInt(localStorage.getItem(sessionKey(config)) || "", 10);
  if (session > 0) scan.session = session;
  // The server takes exactly one of the two (ticketing.schemas.SyncScanIn).
  if (item.participant) scan.participant = item.participant;
  else scan.code = item.code.slice(0, 2000);
  const admitted = found.result === "admitted" && participantId;
  const admission = admitted ? admissionRow(participantId, scan.gate, scan.scanned_at, true) : null;
  if (admission) state.admissions[admission.participant] = admission;
  return store.queueScan(scan, admission).then(() => {
    state.pending += 1;
    showStatus();
  });
}

function judgeOffline(item, at, desk) {
  if (desk && item.participant) return Promise.resolve({ ...noLists(), message: t("desk_by_name_offline") });
  const judged = item.participant ? judgeParticipant(item.participant, at.getTime()) : judge(item.code, at.getTime());
  return judged.then((found) => {
    if (found.result === "error") return found;
    if (desk) return printAtDesk(item, at, found, desk);
    return queueScan(item, at, found).then(() => found);
  });
}

// --- A badge desk offline: printed here ------------------------------------------------------

function printedHere() {
  return new Set(JSON.parse(localStorage.getItem(PRINTED_KEY + config.event) || "[]"));
}

function rememberPrinted(participantId) {
  const printed = printedHere().add(participantId);
  localStorage.setItem(PRINTED_KEY + config.event, JSON.stringify([...printed]));
}

/** The desk's part after the door's verdict: print the badge here when the desk may, then queue the scan. */
function printAtDesk(item, at, found, mode) {
  const participantId = participantOf(item);
  const done = deskOutcome(found, mode, printedHere().has(participantId), t);
  if (done.print) {
    const person = state.lists.participants[participantId];
    printBadge(person, item.code, config.categories[person.category]);
    rememberPrinted(participantId);
  }
  if (!done.queue) return Promise.resolve(done.verdict);
  return queueScan(item, at, done.verdict, done.print).then(() => done.verdict);
}

/** A live verdict that names an admission teaches this device, for when the network goes. */
function rememberLive(item, found) {
  const participantId = participantOf(item);
  if (!participantId || !found.checked_in_at || !["admitted", "already_checked_in"].includes(found.result)) return;
  if (state.admissions[participantId]) return;
  const admission = admissionRow(participantId, found.gate, found.checked_in_at, false);
  state.admissions[participantId] = admission;
  store.putAdmission(admission).catch(() => {}); // kept in memory for this page either way
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Send live (send() -> Promise<verdict>) and fall back to judging `item` here: {code} or {participant}.
 * desk: the badge desk's mode ("admit", "print") or undefined; a desk's refusal (4xx) is its answer. */
function liveOrOffline(send, item, desk) {
  const at = new Date();
  if (!navigator.onLine) return judgeOffline(item, at, desk);
  // Scans still queued go first: the server must learn of an offline admission before a live rescan.
  const queued = state.pending ? withTimeout(sync(), LIVE_TIMEOUT_MS).catch(() => {}) : Promise.resolve();
  return queued
    .then(() => withTimeout(send(), LIVE_TIMEOUT_MS))
    .then(
      (found) => {
        setOnline(true);
        rememberLive(item, found);
        // A badge the server printed here is not printed again if the network goes.
        if (desk && found.printed && participantOf(item)) rememberPrinted(participantOf(item));
        return found;
      },
      (error) => {
        if (desk && error.status >= 400 && error.status < 500) throw error;
        setOnline(false);
        return judgeOffline(item, at, desk);
      },
    );
}

/** The verdicts of `live` while the server answers; judged on this device when it does not. */
function offlineVerdicts(live) {
  return {
    submitCode: (code, via) => liveOrOffline(() => live.submitCode(code, via), { code }),
    admitParticipant: (participantId) =>
      liveOrOffline(() => live.admitParticipant(participantId), { participant: participantId }),
    /** A badge desk's scan or admission: send() while the server answers (it prints), else judged and printed here. */
    atDesk: (item, mode, send) => liveOrOffline(send, item, mode),
    searchPeople(query) {
      if (!navigator.onLine) return Promise.resolve(searchLists(query));
      return withTimeout(live.searchPeople(query), LIVE_TIMEOUT_MS).then(
        (found) => {
          setOnline(true);
          return found;
        },
        () => {
          setOnline(false);
          showStatus();
          return searchLists(query);
        },
      );
    },
  };
}

// --- Sync: the queue, in order, when the network is back -------------------------------

function sendBatch(scans) {
  return postJson(urls.sync, {
    event: config.event,
    device_id: deviceId(),
    scans: scans.map((scan) => {
      const sent = {
        client_id: scan.client_id,
        gate: scan.gate,
        scanned_at: scan.scanned_at,
        offline_result: scan.offline_result,
      };
      if (scan.participant) sent.participant = scan.participant;
      else sent.code = scan.code;
      if (scan.session) sent.session = scan.session;
      if (scan.printed) sent.printed = true;
      return sent;
    }),
  });
}

/** Tell the page (door.js listens) which of this device's offline admissions did not stand at sync
 * (`overruled`): already admitted elsewhere (a second person on one badge, or one person twice: the
 * gate and time of the admission that stands), no seat left at the session door, a replaced badge. */
function reportOverruled(scans, results) {
  const overruled = scans
    .filter((scan) => results[scan.client_id] && (results[scan.client_id].overruled || results[scan.client_id].conflict))
    .map((scan) => {
      const row = results[scan.client_id];
      const person = state.lists && state.lists.participants[participantOf(scan)];
      return {
        name: person ? person.name : "—",
        gate: scan.gate,
        at: scan.scanned_at,
        result: row.result,
        firstGate: row.first_gate || "",
        firstAt: row.first_at || "",
      };
    });
  if (overruled.length) document.dispatchEvent(new CustomEvent("kol:sync-conflicts", { detail: overruled }));
}

function markSynced(scans, answer) {
  const results = Object.fromEntries(answer.results.map((row) => [row.client_id, row]));
  reportOverruled(scans, results);
  const sent = scans.filter((scan) => results[scan.client_id]);
  const admissions = [];
  sent.forEach((scan) => {
    const participantId = participantOf(scan);
    const admission = participantId && state.admissions[participantId];
    if (scan.offline_result === "admitted" && admission && admission.pending) {
      admission.pending = false;
      admissions.push(admission);
    }
  });
  return store.markSent(sent, admissions);
}

async function sendWaiting() {
  const scans = await store.waitingScans(config.event);
  if (!scans.length) return false;
  const batch = scans.slice(0, BATCH);
  const answer = await sendBatch(batch);
  setOnline(true);
  await markSynced(batch, answer);
  return scans.length > BATCH;
}

async function sync() {
  if (state.syncing || !navigator.onLine) return;
  state.syncing = true;
  let more;
  try {
    more = await sendWaiting();
    state.pending = (await store.waitingScans(config.event)).length;
  } catch {
    setOnline(false);
    return;
  } finally {
    state.syncing = false;
    showStatus();
  }
  return more ? sync() : refreshLists();
}

// --- Status for the staff ------------------------------------------------------------------

function setOnline(online) {
  state.online = online && navigator.onLine;
}

function showStatus() {
  const box = $("offline-status");
  if (!box) return;
  const refreshed = state.lists ? state.lists.raw.fetched_at : "";
  box.dataset.online = String(state.online);
  box.dataset.pending = String(state.pending);
  box.dataset.refreshedAt = refreshed || "";
  box.className = "scanner-offline " + (state.online ? "is-online" : "is-offline");
  $("net-state").textContent = state.online ? t("online") : t("offline");
  $("queue-count").textContent = String(state.pending);
  $("lists-age").textContent = refreshed ? clockTime(refreshed, config.language, { seconds: true }) : t("never");
}

function registerWorker() {
  if (!("serviceWorker" in navigator) || !urls.worker) return;
  navigator.serviceWorker.register(urls.worker).catch(() => {
    // No worker (private mode, old browser): the page still judges offline while it stays open.
  });
}

function start() {
  window.addEventListener("online", () => {
    setOnline(true);
    showStatus();
    sync();
  });
  window.addEventListener("offline", () => {
    setOnline(false);
    showStatus();
  });
  setInterval(() => {
    if (navigator.onLine) refreshLists();
  }, REFRESH_MS);
  setInterval(() => {
    if (state.pending) sync();
  }, SYNC_MS);
  return loadState()
    .catch(() => {
      // IndexedDB refused (private mode): the page works online, and offline while it stays open.
    })
    .then(() => {
      showStatus();
      registerWorker();
      if (navigator.onLine) return state.pending ? sync() : refreshLists();
    });
}
