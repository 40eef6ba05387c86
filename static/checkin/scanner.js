/* Door scanner page: camera (jsQR), handheld keyboard-wedge scanner, name search; full-screen verdicts.
 *
 * Everything the page needs comes from data-* attributes on #scanner (no inline script).
 * The module is exposed as window.KolScanner so another script (e.g. offline mode) can wrap
 * KolScanner.submitCode(code, source) -> Promise<verdict>, KolScanner.admitParticipant(id) -> Promise<verdict>
 * and KolScanner.searchPeople(query) -> Promise<{people, offline, empty}>, and reuse KolScanner.showVerdict(verdict).
 * Verdicts have the scan API's shape: {result, message, participant, checked_in_at, gate, check_in_id}.
 */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;

  var config = {
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
  var DEBOUNCE_MS = 3000; // the same code is ignored while it stays in view and for 3 s after
  var VERDICT_MS = 2000; // how long a verdict covers the screen
  var GATE_KEY = "kol.checkin.gate";
  var SESSION_KEY = "kol.checkin.session." + config.event; // set by door.js in session-door mode
  var COUNT_KEY = "kol.checkin.admitted." + config.event;
  var GREEN = ["admitted", "printed"];
  var AMBER = ["already_checked_in", "not_open", "undone"];

  function $(id) {
    return document.getElementById(id);
  }

  function t(key, values) {
    var text = config.texts[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace("{" + name + "}", values[name]);
    });
    return text;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function clockTime(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleTimeString(config.language === "vi" ? "vi-VN" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Asia/Ho_Chi_Minh",
    });
  }

  // --- Gate and device counter (localStorage: chosen once per device) ----------

  function gate() {
    return localStorage.getItem(GATE_KEY) || "";
  }

  function showGate() {
    $("gate-name").textContent = gate() || "—";
    $("gate-form").hidden = Boolean(gate());
  }

  function admittedCount() {
    return parseInt(localStorage.getItem(COUNT_KEY) || "0", 10);
  }

  function countAdmission() {
    localStorage.setItem(COUNT_KEY, String(admittedCount() + 1));
    $("device-count").textContent = String(admittedCount());
  }

  // --- Talking to the API ------------------------------------------------------

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  /** Post one scanned code; resolves to the verdict, rejects without one. (A wrapper may use the
   * second argument, the code's source: "camera" or "keyboard".) */
  function submitCode(code) {
    return postJson(config.scanUrl, withSession({ code: code, gate: gate(), event: config.event }));
  }

  function admitParticipant(participantId) {
    return postJson(config.admitUrl, withSession({ participant: participantId, gate: gate(), event: config.event }));
  }

  /** At a session's door (chosen in door.js) the scan names the session. */
  function withSession(body) {
    var session = parseInt(localStorage.getItem(SESSION_KEY) || "", 10);
    if (session > 0) body.session = session;
    return body;
  }

  function errorVerdict() {
    return { result: "error", message: t("error_message"), participant: null, checked_in_at: null, gate: null };
  }

  var busy = false;

  /** Judge a code from any source (camera, keyboard) and show the verdict. */
  function handleCode(code, source) {
    code = (code || "").trim();
    if (!code || busy) return Promise.resolve(null);
    if (!gate()) {
      showGate();
      $("gate-input").focus();
      return Promise.resolve(null);
    }
    busy = true;
    return api.submitCode(code, source)
      .catch(errorVerdict)
      .then(function (verdict) {
        api.showVerdict(verdict);
        return verdict;
      })
      .finally(function () {
        busy = false;
      });
  }

  // --- The verdict ----------------------------------------------------------------

  var audio = null;

  function beep(frequencies, duration) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      frequencies.forEach(function (frequency, index) {
        var oscillator = audio.createOscillator();
        var gain = audio.createGain();
        var start = audio.currentTime + index * (duration + 0.05);
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
    var sounds = { green: [[1320], 0.12], amber: [[660, 660], 0.15], red: [[220, 180], 0.3] };
    var vibrations = { green: [80], amber: [120, 80, 120], red: [400, 100, 400] };
    beep(sounds[colour][0], sounds[colour][1]);
    if (navigator.vibrate) navigator.vibrate(vibrations[colour]);
  }

  var verdictTimer = null;

  function showVerdict(verdict) {
    if (!verdict) return;
    var colour = GREEN.indexOf(verdict.result) >= 0 ? "green" : AMBER.indexOf(verdict.result) >= 0 ? "amber" : "red";
    var person = verdict.participant;
    var box = $("verdict");
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
        ? t("first_admission", { time: clockTime(verdict.checked_in_at), gate: verdict.gate || "—" })
        : "";
    // Judged on this device without the server (static/checkin/offline.js): staff must see it.
    box.dataset.offline = verdict.offline ? "true" : "false";
    box.querySelector(".verdict-offline").textContent = verdict.offline ? t("offline_mark") : "";
    box.hidden = false;
    if (verdict.result === "admitted") countAdmission();
    remember(verdict, colour);
    signal(colour);
    clearTimeout(verdictTimer);
    // A verdict with something to act on (door.js: a supervisor's undo) stays up longer.
    verdictTimer = setTimeout(dismissVerdict, verdict.hold_ms || VERDICT_MS);
  }

  function dismissVerdict() {
    clearTimeout(verdictTimer);
    $("verdict").hidden = true;
    refocus();
  }

  function remember(verdict, colour) {
    var item = document.createElement("li");
    item.className = "recent-" + colour;
    item.dataset.result = verdict.result;
    item.textContent =
      clockTime(new Date().toISOString()) +
      " · " +
      t(verdict.result) +
      (verdict.participant ? " · " + verdict.participant.name : "") +
      (verdict.offline ? " · " + t("offline_mark") : "");
    if (config.undoUrl && verdict.result === "admitted" && verdict.check_in_id && !verdict.offline) {
      item.appendChild(undoButton(verdict, item));
    }
    var list = $("recent");
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 10) list.removeChild(list.lastChild);
  }

  // --- Undoing a mistaken admission (door supervisors) ---------------------------

  function undoButton(verdict, item) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "recent-undo";
    button.textContent = t("undo");
    button.addEventListener("click", function () {
      var name = verdict.participant ? verdict.participant.name : "";
      if (!window.confirm(t("undo_confirm", { name: name }))) return;
      button.disabled = true;
      postJson(config.undoUrl.replace("/0/", "/" + verdict.check_in_id + "/"), {})
        .then(function () {
          item.dataset.result = "undone";
          item.className = "recent-red";
          item.textContent = clockTime(new Date().toISOString()) + " · " + t("undone") + " · " + name;
        })
        .catch(function () {
          button.disabled = false;
          button.textContent = t("undo_failed");
        });
    });
    return button;
  }

  // --- Keyboard-wedge scanner: an input kept focused ----------------------------

  function typingElsewhere() {
    var active = document.activeElement;
    return active && active !== $("wedge") && ["INPUT", "SELECT", "TEXTAREA"].indexOf(active.tagName) >= 0;
  }

  function refocus() {
    if (!typingElsewhere() && $("gate-form").hidden) $("wedge").focus({ preventScroll: true });
  }

  function setUpWedge() {
    $("wedge-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var code = $("wedge").value;
      $("wedge").value = "";
      handleCode(code, "keyboard");
    });
    $("wedge").addEventListener("blur", function () {
      setTimeout(refocus, 300);
    });
  }

  // --- Camera scanning with jsQR -----------------------------------------------------

  var camera = { stream: null, timer: null, lastCode: "", lastSeen: 0 };

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
      .then(function (stream) {
        camera.stream = stream;
        var video = $("camera");
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        camera.timer = setInterval(scanFrame, 150);
        $("camera-toggle").textContent = t("camera_off");
        cameraStatus("camera_scanning");
      })
      .catch(function () {
        cameraStatus("camera_failed");
      });
  }

  function stopCamera() {
    clearInterval(camera.timer);
    if (camera.stream) camera.stream.getTracks().forEach(function (track) { track.stop(); });
    camera.stream = null;
    $("camera").hidden = true;
    $("camera-toggle").textContent = t("camera_on");
    $("camera-status").textContent = "";
  }

  function scanFrame() {
    var video = $("camera");
    if (video.readyState < 2 || !video.videoWidth) return;
    var canvas = $("frame");
    var scale = Math.min(1, 640 / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    if (!found || !found.data || busy) return; // a code met while another is being judged is taken next frame
    var now = Date.now();
    var repeat = found.data === camera.lastCode && now - camera.lastSeen < DEBOUNCE_MS;
    camera.lastSeen = now;
    camera.lastCode = found.data;
    if (!repeat) handleCode(found.data, "camera");
  }

  // --- Name search ---------------------------------------------------------------------

  var searchTimer = null;

  /** Ask the server; resolves to {people (the search API's rows), offline, empty (text when nobody)}. */
  function searchPeople(query) {
    var url = config.searchUrl + "?event=" + encodeURIComponent(config.event) + "&q=" + encodeURIComponent(query);
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (people) {
        return { people: people, offline: false };
      });
  }

  function search() {
    var query = $("search").value.trim();
    var list = $("search-results");
    if (!query) {
      list.textContent = "";
      return;
    }
    api.searchPeople(query)
      .then(function (found) {
        if ($("search").value.trim() === query) renderResults(found);
      })
      .catch(function () {
        list.textContent = t("error");
      });
  }

  function renderResults(found) {
    var people = found.people;
    var list = $("search-results");
    list.textContent = "";
    // Found in this device's lists (static/checkin/offline.js), not by the server: staff must see it.
    list.dataset.offline = found.offline ? "true" : "false";
    if (found.offline) {
      var mark = document.createElement("li");
      mark.className = "search-offline";
      mark.textContent = t("offline_mark") + " · " + t("offline_search");
      list.appendChild(mark);
    }
    if (!people.length) {
      var empty = document.createElement("li");
      empty.textContent = found.empty || t("nobody");
      list.appendChild(empty);
    }
    people.forEach(function (person) {
      var item = document.createElement("li");
      item.className = "search-result";
      var who = document.createElement("span");
      who.className = "search-name";
      who.textContent = person.name;
      var what = document.createElement("span");
      what.className = "search-detail";
      what.textContent = [person.category_label, person.organization].filter(Boolean).join(" · ");
      item.appendChild(who);
      item.appendChild(what);
      if (person.admitted) {
        var done = document.createElement("span");
        done.className = "search-admitted";
        done.textContent = t("already_in", { time: clockTime(person.checked_in_at), gate: person.gate || "—" });
        item.appendChild(done);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = t("admit");
        if (!person.ticket_valid) button.title = t("no_ticket");
        button.addEventListener("click", function () {
          admit(person.id);
        });
        item.appendChild(button);
      }
      list.appendChild(item);
    });
  }

  function admit(participantId) {
    if (busy || !gate()) return showGate();
    busy = true;
    api.admitParticipant(participantId)
      .catch(errorVerdict)
      .then(function (verdict) {
        api.showVerdict(verdict);
        search();
      })
      .finally(function () {
        busy = false;
      });
  }

  function setUpSearch() {
    $("search").addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(search, 250);
    });
  }

  // --- Wiring ----------------------------------------------------------------------------

  function setUpGate() {
    $("gate-change").addEventListener("click", function () {
      $("gate-form").hidden = false;
      $("gate-input").value = gate();
      $("gate-input").focus();
    });
    $("gate-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var value = $("gate-input").value.trim();
      if (!value) return;
      localStorage.setItem(GATE_KEY, value);
      showGate();
      refocus();
      if (!camera.stream) startCamera();
    });
  }

  var api = {
    submitCode: submitCode,
    admitParticipant: admitParticipant,
    searchPeople: searchPeople,
    showVerdict: showVerdict,
    handleCode: handleCode,
    dismissVerdict: dismissVerdict,
    postJson: postJson,
    gate: gate,
    config: config,
  };
  window.KolScanner = api;

  function start() {
    setUpGate();
    setUpWedge();
    setUpSearch();
    $("verdict").addEventListener("click", dismissVerdict);
    $("camera-toggle").addEventListener("click", function () {
      if (camera.stream) stopCamera();
      else startCamera();
    });
    $("device-count").textContent = String(admittedCount());
    showGate();
    if (gate()) {
      startCamera();
      refocus();
    } else {
      $("gate-input").focus();
    }
  }

  start();
})();
