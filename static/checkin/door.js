/* What a door is beyond "scan and admit": the gate's kind (door, badge desk that admits and prints or only
 * prints, a session's door), reprints with a reason, walk-ins at a desk, a supervisor's undo from the verdict,
 * seats left at a session door, and the conflicts a sync reports.
 *
 * Loaded after scanner.js and offline.js; wraps window.KolScanner.submitCode, admitParticipant and
 * showVerdict. At a badge desk scans go to the desk endpoints (online only: the server prints); elsewhere
 * they go on to the wrapped functions (and so to offline mode).
 */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  var scanner = window.KolScanner;
  if (!root || !scanner) return;

  var config = scanner.config;
  var urls = {
    deskScan: root.dataset.deskScanUrl,
    deskAdmit: root.dataset.deskAdmitUrl,
    walkIn: root.dataset.walkInUrl,
    undo: root.dataset.undoUrl, // ".../checkin/0/undo": the 0 is replaced by the admission's id
  };
  var canUndo = root.dataset.canUndo === "true";
  var doors = JSON.parse(root.dataset.doors || "[]");
  var KIND_KEY = "kol.checkin.kind";
  var SESSION_KEY = "kol.checkin.session." + config.event; // read by scanner.js
  var UNDO_HOLD_MS = 6000; // long enough for a supervisor to reach the button
  var DESK_MODES = { "desk-admit": "admit", "desk-print": "print" };

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

  function clockTime(iso) {
    return new Date(iso).toLocaleTimeString(config.language === "vi" ? "vi-VN" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Asia/Ho_Chi_Minh",
    });
  }

  function kind() {
    return localStorage.getItem(KIND_KEY) || "door";
  }

  function deskMode() {
    return DESK_MODES[kind()] || null;
  }

  // --- The gate's kind, chosen with the gate ----------------------------------------------------

  function fillSessions() {
    var select = $("gate-session");
    select.textContent = "";
    doors.forEach(function (door) {
      var option = document.createElement("option");
      option.value = String(door.id);
      option.textContent = clockTime(door.starts_at) + " · " + door.title + " · " + door.room;
      select.appendChild(option);
    });
    var chosen = localStorage.getItem(SESSION_KEY);
    if (chosen) select.value = chosen;
    // An event without sessions has no session doors to offer.
    if (!doors.length) $("gate-kind").querySelector('option[value="session"]').remove();
  }

  function showKindFields() {
    var session = $("gate-kind").value === "session";
    $("gate-session").hidden = $("gate-session-label").hidden = !session;
  }

  function chooseKind() {
    var value = $("gate-kind").value;
    localStorage.setItem(KIND_KEY, value);
    if (value === "session" && $("gate-session").value) localStorage.setItem(SESSION_KEY, $("gate-session").value);
    else localStorage.removeItem(SESSION_KEY);
    showKind();
  }

  function showKind() {
    var label = $("gate-kind").querySelector('option[value="' + kind() + '"]');
    var session = localStorage.getItem(SESSION_KEY);
    var door = doors.filter(function (row) { return String(row.id) === session; })[0];
    $("gate-kind-name").textContent = "· " + (label ? label.textContent : "") + (door ? " · " + door.title : "");
    $("seats-left").hidden = !door;
    if (door) $("seats-left").textContent = t("seats_left", { count: door.seats_left === null ? "—" : door.seats_left });
    var walkIn = $("walk-in");
    if (walkIn) walkIn.hidden = !deskMode();
  }

  // --- The badge desk --------------------------------------------------------------------------

  var lastDeskItem = null;

  function postForAnswer(url, body) {
    // Unlike scanner.postJson, a refusal (4xx) brings its message back for the desk to show.
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) {
          var error = new Error(answer.message || "HTTP " + response.status);
          error.answer = answer;
          throw error;
        }
        return answer;
      });
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function deskSend(item, reason) {
    lastDeskItem = item;
    var body = { gate: scanner.gate(), event: config.event, mode: deskMode(), reason: reason || "" };
    if (item.participant) body.participant = item.participant;
    else body.code = item.code;
    return postForAnswer(item.participant ? urls.deskAdmit : urls.deskScan, body);
  }

  function askReprint(verdict) {
    $("reprint-question").textContent = t("reprint_question", {
      time: clockTime(verdict.printed_before_at),
      gate: verdict.printed_before_gate || "—",
    });
    $("reprint-form").hidden = false;
    $("reprint-reason").value = "";
    $("reprint-reason").focus();
  }

  function setUpReprint() {
    $("reprint-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var reason = $("reprint-reason").value.trim();
      if (!reason || !lastDeskItem) return;
      $("reprint-form").hidden = true;
      deskSend(lastDeskItem, reason).then(scanner.showVerdict, function (error) {
        scanner.showVerdict({ result: "error", message: error.message, participant: null });
      });
    });
    $("reprint-cancel").addEventListener("click", function () {
      $("reprint-form").hidden = true;
    });
  }

  function setUpWalkIn() {
    var form = $("walk-in-form");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var body = { gate: scanner.gate(), event: config.event, mode: deskMode() || "admit" };
      data.forEach(function (value, name) { body[name] = String(value).trim(); });
      $("walk-in-error").textContent = "";
      postForAnswer(urls.walkIn, body).then(
        function (verdict) {
          form.reset();
          $("walk-in").open = false;
          verdict.walk_in = true;
          scanner.showVerdict(verdict);
        },
        function (error) {
          $("walk-in-error").textContent = error.message;
        }
      );
    });
  }

  // --- Wrapping the scanner --------------------------------------------------------------------

  var nextSubmit = scanner.submitCode;
  var nextAdmit = scanner.admitParticipant;
  var baseShow = scanner.showVerdict;

  scanner.submitCode = function (code, source) {
    return deskMode() ? deskSend({ code: code }) : nextSubmit(code, source);
  };

  scanner.admitParticipant = function (participantId) {
    return deskMode() ? deskSend({ participant: participantId }) : nextAdmit(participantId);
  };

  scanner.showVerdict = function (verdict) {
    if (!verdict) return;
    if (verdict.reprint_needs_reason) return askReprint(verdict);
    var undoable = canUndo && verdict.result === "admitted" && verdict.check_in_id && !verdict.offline;
    if (undoable) verdict.hold_ms = UNDO_HOLD_MS;
    baseShow(verdict);
    var box = $("verdict");
    box.querySelector(".verdict-help").textContent = verdict.result === "no_seat" ? t("no_seat_help") : "";
    box.querySelector(".verdict-print").textContent = verdict.printed
      ? t("print_sent") + (verdict.walk_in ? " " + t("walk_in_done") : "")
      : "";
    var undo = box.querySelector(".verdict-undo");
    undo.hidden = !undoable;
    undo.dataset.checkIn = undoable ? String(verdict.check_in_id) : "";
    undo.dataset.name = verdict.participant ? verdict.participant.name : "";
    if (verdict.seats_left !== null && verdict.seats_left !== undefined) {
      $("seats-left").textContent = t("seats_left", { count: verdict.seats_left });
    }
  };

  function setUpUndo() {
    var undo = $("verdict").querySelector(".verdict-undo");
    undo.addEventListener("click", function (event) {
      event.stopPropagation(); // a click on the verdict elsewhere dismisses it
      var checkIn = undo.dataset.checkIn;
      var name = undo.dataset.name;
      postForAnswer(urls.undo.replace("/0/", "/" + checkIn + "/"), {}).then(
        function () {
          scanner.showVerdict({ result: "undone", message: t("undone"), participant: name ? { name: name } : null });
        },
        function (error) {
          scanner.showVerdict({ result: "error", message: t("undo_failed") + " " + error.message, participant: null });
        }
      );
    });
  }

  // --- Conflicts found by a sync (offline.js) ---------------------------------------------------

  document.addEventListener("kol:sync-conflicts", function (event) {
    var list = $("sync-conflicts-list");
    $("sync-conflicts-title").textContent = t("conflicts_title");
    event.detail.forEach(function (conflict) {
      var item = document.createElement("li");
      item.textContent = t("conflict_row", { name: conflict.name, time: clockTime(conflict.at), gate: conflict.gate });
      list.appendChild(item);
    });
    $("sync-conflicts").hidden = false;
  });

  function start() {
    fillSessions();
    $("gate-kind").value = kind();
    showKindFields();
    showKind();
    $("gate-kind").addEventListener("change", showKindFields);
    $("gate-form").addEventListener("submit", chooseKind);
    $("gate-change").addEventListener("click", function () {
      $("gate-kind").value = kind();
      showKindFields();
    });
    setUpReprint();
    setUpWalkIn();
    setUpUndo();
  }

  start();
})();
