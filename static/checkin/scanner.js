/* Door scanner page, online: camera (jsQR), handheld keyboard-wedge scanner, name search; full-screen verdicts.
 *
 * Everything the page needs comes from data-* attributes on #scanner (no inline script); page.js puts the
 * parts together. This module names the two seams the other parts plug into:
 *   - verdicts: where a scan's verdict comes from, {submitCode(code, via) -> Promise<verdict>,
 *     admitParticipant(id) -> Promise<verdict>, searchPeople(query) -> Promise<{people, offline, empty}>}
 *     (via: "camera" or "keyboard"). onlineVerdicts(config) asks the API; offline.js and door.js each take
 *     the verdicts below them and return their own, answering some scans themselves.
 *   - extras: what door.js adds to a verdict on the screen, {takeOver(verdict) -> true when it deals with
 *     the verdict itself, holdMs(verdict) -> how long it stays up (0: the usual), render(verdict, box)}.
 * Verdicts have the scan API's shape: {result, message, participant, checked_in_at, gate, check_in_id},
 * with `offline: true` when judged on this device.
 */
import { $, getJson, postJson } from "../common/dom.js";
import { clockTime, translator } from "../common/texts.js";

const DEBOUNCE_MS = 3000; // the same code is ignored while it stays in view and for 3 s after
const VERDICT_MS = 2000; // how long a verdict covers the screen
const GATE_KEY = "kol.checkin.gate";
const GREEN = ["admitted", "printed"];
const AMBER = ["already_checked_in", "not_open", "undone"];
const NO_EXTRAS = { takeOver: () => false, holdMs: () => 0, render: () => {} };

/** The page's settings, from the data-* attributes of #scanner. */
export function readConfig(root) {
  return {
    event: root.dataset.event,
    scanUrl: root.dataset.scanUrl,
    admitUrl: root.dataset.admitUrl,
    searchUrl: root.dataset.searchUrl,
    // Door supervisors only: "/api/v1/checkin/0/undo", the 0 replaced by the admission's id.
    undoUrl: root.dataset.undoUrl || "",
    language: root.dataset.language || "vi",
    texts: JSON.parse(root.dataset.texts),
    categories: JSON.parse(root.dataset.categories),
  };
}

/** The gate this device scans at (localStorage: chosen once per device); "" before it is chosen. */
export function gate() {
  return localStorage.getItem(GATE_KEY) || "";
}

/** Where door.js keeps the session whose door this device is (a number; none at the event's door). */
export function sessionKey(config) {
  return "kol.checkin.session." + config.event;
}

/** The API's verdicts: the scan, admission-by-name and search endpoints. */
export function onlineVerdicts(config) {
  // At a session's door (chosen in door.js) the scan names the session.
  function withSession(body) {
    const session = parseInt(localStorage.getItem(sessionKey(config)) || "", 10);
    if (session > 0) body.session = session;
    return body;
  }
  return {
    submitCode: (code) => postJson(config.scanUrl, withSession({ code, gate: gate(), event: config.event })),
    admitParticipant: (participantId) =>
      postJson(config.admitUrl, withSession({ participant: participantId, gate: gate(), event: config.event })),
    searchPeople(query) {
      const url = config.searchUrl + "?event=" + encodeURIComponent(config.event) + "&q=" + encodeURIComponent(query);
      return getJson(url).then((people) => ({ people, offline: false }));
    },
  };
}

// Set once by startScanner.
let config = null;
let t = null;
let verdicts = null;
let extras = NO_EXTRAS;
let busy = false;

// Performance marks read by bench/camera.py (a PerformanceObserver sees each as it is made): the decode
// time of every camera frame and the moment a verdict is painted. Cleared now and then, so a device that
// scans all day keeps no growing list.
const MARKS = ["checkin:decode", "checkin:code-found", "checkin:verdict-painted"];
let marksMade = 0;

function clearMarksNowAndThen() {
  marksMade += 1;
  if (marksMade % 500 !== 0) return;
  MARKS.forEach((name) => {
    performance.clearMarks(name);
    performance.clearMeasures(name);
  });
}

function mark(name, detail) {
  performance.mark(name, { detail });
  clearMarksNowAndThen();
}

function measureSince(name, start) {
  performance.measure(name, { start });
  clearMarksNowAndThen();
}

function countKey() {
  return "kol.checkin.admitted." + config.event;
}

function clock(iso) {
  return clockTime(iso, config.language);
}

// --- Gate and device counter ----------------------------------------------------------------

function showGate() {
  $("gate-name").textContent = gate() || "—";
  $("gate-form").hidden = Boolean(gate());
}

function admittedCount() {
  return parseInt(localStorage.getItem(countKey()) || "0", 10);
}

function countAdmission() {
  localStorage.setItem(countKey(), String(admittedCount() + 1));
  $("device-count").textContent = String(admittedCount());
}

// --- Judging a code -----------------------------------------------------------------------------

function errorVerdict() {
  return { result: "error", message: t("error_message"), participant: null, checked_in_at: null, gate: null };
}

/** Judge a code from any source (camera, keyboard) and show the verdict. */
function handleCode(code, via) {
  code = (code || "").trim();
  if (!code || busy) return Promise.resolve(null);
  if (!gate()) {
    showGate();
    $("gate-input").focus();
    return Promise.resolve(null);
  }
  busy = true;
  return verdicts
    .submitCode(code, via)
    .catch(errorVerdict)
    .then((verdict) => {
      showVerdict(verdict);
      return verdict;
    })
    .finally(() => {
      busy = false;
      judgeWaitingCode();
    });
}

// --- The verdict ----------------------------------------------------------------------------------

let audio = null;

function beep(frequencies, duration) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    frequencies.forEach((frequency, index) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      const start = audio.currentTime + index * (duration + 0.05);
      oscillator.frequency.value = frequency;
      oscillator.type = "square";
      gain.gain.value = 0.15;
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + duration);
    });
  } catch {
    // No audio device or the browser refused: the screen still tells.
  }
}

function signal(colour) {
  const sounds = { green: [[1320], 0.12], amber: [[660, 660], 0.15], red: [[220, 180], 0.3] };
  const vibrations = { green: [80], amber: [120, 80, 120], red: [400, 100, 400] };
  beep(sounds[colour][0], sounds[colour][1]);
  if (navigator.vibrate) navigator.vibrate(vibrations[colour]);
}

let verdictTimer = null;

function colourOf(verdict) {
  if (GREEN.includes(verdict.result)) return "green";
  return AMBER.includes(verdict.result) ? "amber" : "red";
}

function drawVerdict(box, verdict, colour) {
  const person = verdict.participant;
  box.className = "verdict verdict-" + colour;
  box.dataset.result = verdict.result;
  box.querySelector(".verdict-icon").textContent = { green: "✓", amber: "!", red: "✕" }[colour];
  box.querySelector(".verdict-label").textContent = t(verdict.result);
  box.querySelector(".verdict-name").textContent = person ? person.name : "";
  box.querySelector(".verdict-category").textContent = person
    ? [config.categories[person.category] || person.category, person.organization].filter(Boolean).join(" · ")
    : "";
  box.querySelector(".verdict-message").textContent = verdict.message || "";
  box.querySelector(".verdict-first").textContent =
    verdict.result === "already_checked_in" && verdict.checked_in_at
      ? t("first_admission", { time: clock(verdict.checked_in_at), gate: verdict.gate || "—" })
      : "";
  // Judged on this device without the server (static/checkin/offline.js): staff must see it.
  box.dataset.offline = verdict.offline ? "true" : "false";
  box.querySelector(".verdict-offline").textContent = verdict.offline ? t("offline_mark") : "";
}

/** Cover the screen with a verdict (colour, sound, vibration) and add it to the recent list. */
function showVerdict(verdict) {
  if (!verdict || extras.takeOver(verdict)) return;
  const colour = colourOf(verdict);
  const box = $("verdict");
  drawVerdict(box, verdict, colour);
  extras.render(verdict, box);
  box.hidden = false;
  // Painted: the next frame's rendering step has run (requestAnimationFrame), then the task after it.
  requestAnimationFrame(() => setTimeout(() => mark("checkin:verdict-painted", verdict.result)));
  if (verdict.result === "admitted") countAdmission();
  remember(verdict, colour);
  signal(colour);
  clearTimeout(verdictTimer);
  // A verdict with something to act on (door.js: a supervisor's undo) stays up longer.
  verdictTimer = setTimeout(dismissVerdict, extras.holdMs(verdict) || VERDICT_MS);
}

function dismissVerdict() {
  clearTimeout(verdictTimer);
  $("verdict").hidden = true;
  refocus();
}

function remember(verdict, colour) {
  const item = document.createElement("li");
  item.className = "recent-" + colour;
  item.dataset.result = verdict.result;
  item.textContent =
    clock(new Date().toISOString()) +
    " · " +
    t(verdict.result) +
    (verdict.participant ? " · " + verdict.participant.name : "") +
    (verdict.offline ? " · " + t("offline_mark") : "");
  if (config.undoUrl && verdict.result === "admitted" && verdict.check_in_id && !verdict.offline) {
    item.appendChild(undoButton(verdict, item));
  }
  const list = $("recent");
  list.insertBefore(item, list.firstChild);
  while (list.children.length > 10) list.removeChild(list.lastChild);
}

// --- Undoing a mistaken admission (door supervisors) ------------------------------------------

function undoButton(verdict, item) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "recent-undo";
  button.textContent = t("undo");
  button.addEventListener("click", () => {
    const name = verdict.participant ? verdict.participant.name : "";
    if (!window.confirm(t("undo_confirm", { name }))) return;
    button.disabled = true;
    postJson(config.undoUrl.replace("/0/", "/" + verdict.check_in_id + "/"), {})
      .then(() => {
        item.dataset.result = "undone";
        item.className = "recent-red";
        item.textContent = clock(new Date().toISOString()) + " · " + t("undone") + " · " + name;
      })
      .catch(() => {
        button.disabled = false;
        button.textContent = t("undo_failed");
      });
  });
  return button;
}

// --- Keyboard-wedge scanner: an input kept focused --------------------------------------------

function typingElsewhere() {
  const active = document.activeElement;
  return active && active !== $("wedge") && ["INPUT", "SELECT", "TEXTAREA"].includes(active.tagName);
}

function refocus() {
  if (!typingElsewhere() && $("gate-form").hidden) $("wedge").focus({ preventScroll: true });
}

function setUpWedge() {
  $("wedge-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = $("wedge").value;
    $("wedge").value = "";
    handleCode(code, "keyboard");
  });
  $("wedge").addEventListener("blur", () => {
    setTimeout(refocus, 300);
  });
}

// --- Camera scanning with jsQR --------------------------------------------------------------------

// waiting: the latest new code the camera met while another scan was being judged, judged right after it.
const camera = { stream: null, timer: null, frameRequest: null, lastCode: "", lastSeen: 0, waiting: "" };

function cameraStatus(key) {
  $("camera-status").textContent = t(key);
}

function startCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
    cameraStatus("camera_failed");
    return;
  }
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
    .then((stream) => {
      camera.stream = stream;
      const video = $("camera");
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      scanEveryFrame(video);
      $("camera-toggle").textContent = t("camera_off");
      cameraStatus("camera_scanning");
    })
    .catch(() => {
      cameraStatus("camera_failed");
    });
}

/** Decode every frame the camera presents (requestVideoFrameCallback); every 100 ms where it is missing. */
function scanEveryFrame(video) {
  if (!video.requestVideoFrameCallback) {
    camera.timer = setInterval(scanFrame, 100);
    return;
  }
  const onFrame = () => {
    if (!camera.stream) return;
    scanFrame();
    camera.frameRequest = video.requestVideoFrameCallback(onFrame);
  };
  camera.frameRequest = video.requestVideoFrameCallback(onFrame);
}

function judgeWaitingCode() {
  const code = camera.waiting;
  camera.waiting = "";
  if (code) handleCode(code, "camera");
}

function stopCamera() {
  clearInterval(camera.timer);
  if (camera.frameRequest !== null) $("camera").cancelVideoFrameCallback(camera.frameRequest);
  camera.frameRequest = null;
  camera.waiting = "";
  if (camera.stream) camera.stream.getTracks().forEach((track) => track.stop());
  camera.stream = null;
  $("camera").hidden = true;
  $("camera-toggle").textContent = t("camera_on");
  $("camera-status").textContent = "";
}

function scanFrame() {
  const video = $("camera");
  if (video.readyState < 2 || !video.videoWidth) return;
  const canvas = $("frame");
  const scale = Math.min(1, 640 / video.videoWidth);
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  const decodeStart = performance.now();
  const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
  measureSince("checkin:decode", decodeStart);
  if (!found || !found.data) return;
  const now = Date.now();
  const repeat = found.data === camera.lastCode && now - camera.lastSeen < DEBOUNCE_MS;
  camera.lastSeen = now;
  camera.lastCode = found.data;
  if (repeat) return;
  mark("checkin:code-found");
  if (busy) camera.waiting = found.data; // judged as soon as the scan under way is
  else handleCode(found.data, "camera");
}

// --- Name search -------------------------------------------------------------------------------------

let searchTimer = null;

function search() {
  const query = $("search").value.trim();
  const list = $("search-results");
  if (!query) {
    list.textContent = "";
    return;
  }
  verdicts
    .searchPeople(query)
    .then((found) => {
      if ($("search").value.trim() === query) renderResults(found);
    })
    .catch(() => {
      list.textContent = t("error");
    });
}

function textItem(className, text) {
  const item = document.createElement("li");
  if (className) item.className = className;
  item.textContent = text;
  return item;
}

function renderResults(found) {
  const list = $("search-results");
  list.textContent = "";
  // Found in this device's lists (static/checkin/offline.js), not by the server: staff must see it.
  list.dataset.offline = found.offline ? "true" : "false";
  if (found.offline) list.appendChild(textItem("search-offline", t("offline_mark") + " · " + t("offline_search")));
  if (!found.people.length) list.appendChild(textItem("", found.empty || t("nobody")));
  found.people.forEach((person) => list.appendChild(resultItem(person)));
}

function resultItem(person) {
  const item = document.createElement("li");
  item.className = "search-result";
  const who = document.createElement("span");
  who.className = "search-name";
  who.textContent = person.name;
  const what = document.createElement("span");
  what.className = "search-detail";
  what.textContent = [person.category_label, person.organization].filter(Boolean).join(" · ");
  item.appendChild(who);
  item.appendChild(what);
  if (person.admitted) {
    const done = document.createElement("span");
    done.className = "search-admitted";
    done.textContent = t("already_in", { time: clock(person.checked_in_at), gate: person.gate || "—" });
    item.appendChild(done);
  } else {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = t("admit");
    if (!person.ticket_valid) button.title = t("no_ticket");
    button.addEventListener("click", () => admit(person.id));
    item.appendChild(button);
  }
  return item;
}

function admit(participantId) {
  if (busy || !gate()) return showGate();
  busy = true;
  verdicts
    .admitParticipant(participantId)
    .catch(errorVerdict)
    .then((verdict) => {
      showVerdict(verdict);
      search();
    })
    .finally(() => {
      busy = false;
      judgeWaitingCode();
    });
}

function setUpSearch() {
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 250);
  });
}

// --- Wiring -----------------------------------------------------------------------------------------

function setUpGate() {
  $("gate-change").addEventListener("click", () => {
    $("gate-form").hidden = false;
    $("gate-input").value = gate();
    $("gate-input").focus();
  });
  $("gate-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("gate-input").value.trim();
    if (!value) return;
    localStorage.setItem(GATE_KEY, value);
    showGate();
    refocus();
    if (!camera.stream) startCamera();
  });
}

/** Start the page's scanner, once: seams.verdicts judge the scans, seams.extras (optional) add to the
 * verdicts shown; see the top of this file. Returns {showVerdict, handleCode, dismissVerdict}. */
export function startScanner(pageConfig, seams) {
  config = pageConfig;
  t = translator(config.texts);
  verdicts = seams.verdicts;
  extras = seams.extras || NO_EXTRAS;
  setUpGate();
  setUpWedge();
  setUpSearch();
  $("verdict").addEventListener("click", dismissVerdict);
  $("camera-toggle").addEventListener("click", () => (camera.stream ? stopCamera() : startCamera()));
  $("device-count").textContent = String(admittedCount());
  showGate();
  if (gate()) {
    startCamera();
    refocus();
  } else {
    $("gate-input").focus();
  }
  return { showVerdict, handleCode, dismissVerdict };
}
