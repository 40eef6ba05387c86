/* What a door is beyond "scan and admit": the gate's kind (door, badge desk that admits and prints or only
 * prints, a session's door), reprints with a reason, walk-ins at a desk, a supervisor's undo from the verdict,
 * seats left at a session door, and the conflicts a sync reports.
 *
 * Plugs into scanner.js's two seams (page.js puts them together): door.verdicts(next) sends a badge desk's
 * scans to the desk endpoints (the server prints; offline, offline.js prints in the browser) and everything
 * else on to `next` (offline.js, so a door works offline); door.extras adds the reprint question, the undo button and the seats left to the
 * verdict shown.
 */
import { $, postJson } from "../common/dom.js";
import { clockTime, translator } from "../common/texts.js";
import { gate, sessionKey } from "./scanner.js";

const KIND_KEY = "kol.checkin.kind";
const UNDO_HOLD_MS = 6000; // long enough for a supervisor to reach the button
const DESK_MODES = { "desk-admit": "admit", "desk-print": "print" };

/** The door part of the scanner page: {verdicts(next), extras, start(scanner)}. */
export function createDoor(config, root) {
  const urls = {
    deskScan: root.dataset.deskScanUrl,
    deskAdmit: root.dataset.deskAdmitUrl,
    walkIn: root.dataset.walkInUrl,
    undo: root.dataset.undoUrl, // ".../checkin/0/undo": the 0 is replaced by the admission's id
  };
  const door = {
    config,
    urls,
    t: translator(config.texts),
    canUndo: root.dataset.canUndo === "true",
    doors: JSON.parse(root.dataset.doors || "[]"),
    sessionKey: sessionKey(config),
    scanner: null, // set by start()
    lastDeskItem: null,
  };
  return {
    verdicts: (next) => deskVerdicts(door, next),
    extras: verdictExtras(door),
    start(scanner) {
      door.scanner = scanner;
      start(door);
    },
  };
}

function kind() {
  return localStorage.getItem(KIND_KEY) || "door";
}

function deskMode() {
  return DESK_MODES[kind()] || null;
}

function clock(door, iso) {
  return clockTime(iso, door.config.language);
}

// --- The gate's kind, chosen with the gate ----------------------------------------------------

function fillSessions(door) {
  const select = $("gate-session");
  select.textContent = "";
  door.doors.forEach((row) => {
    const option = document.createElement("option");
    option.value = String(row.id);
    option.textContent = clock(door, row.starts_at) + " · " + row.title + " · " + row.room;
    select.appendChild(option);
  });
  const chosen = localStorage.getItem(door.sessionKey);
  if (chosen) select.value = chosen;
  // An event without sessions has no session doors to offer.
  if (!door.doors.length) $("gate-kind").querySelector('option[value="session"]').remove();
}

function showKindFields() {
  const session = $("gate-kind").value === "session";
  $("gate-session").hidden = $("gate-session-label").hidden = !session;
}

function chooseKind(door) {
  const value = $("gate-kind").value;
  localStorage.setItem(KIND_KEY, value);
  if (value === "session" && $("gate-session").value) localStorage.setItem(door.sessionKey, $("gate-session").value);
  else localStorage.removeItem(door.sessionKey);
  showKind(door);
}

function showKind(door) {
  const label = $("gate-kind").querySelector('option[value="' + kind() + '"]');
  const session = localStorage.getItem(door.sessionKey);
  const chosen = door.doors.find((row) => String(row.id) === session);
  $("gate-kind-name").textContent = "· " + (label ? label.textContent : "") + (chosen ? " · " + chosen.title : "");
  $("seats-left").hidden = !chosen;
  if (chosen) {
    $("seats-left").textContent = door.t("seats_left", { count: chosen.seats_left === null ? "—" : chosen.seats_left });
  }
  const walkIn = $("walk-in");
  if (walkIn) walkIn.hidden = !deskMode();
}

// --- The badge desk --------------------------------------------------------------------------

/** At a badge desk scans and admissions go to the desk endpoints (through next.atDesk: offline.js judges and
 * prints on the device when the server does not answer); elsewhere on to `next`. */
function deskVerdicts(door, next) {
  const atDesk = (item) => next.atDesk(item, deskMode(), () => deskSend(door, item));
  return {
    submitCode: (code, via) => (deskMode() ? atDesk({ code }) : next.submitCode(code, via)),
    admitParticipant: (participantId) =>
      deskMode() ? atDesk({ participant: participantId }) : next.admitParticipant(participantId),
    searchPeople: (query) => next.searchPeople(query),
  };
}

function deskSend(door, item, reason) {
  door.lastDeskItem = item;
  const body = { gate: gate(), event: door.config.event, mode: deskMode(), reason: reason || "" };
  if (item.participant) body.participant = item.participant;
  else body.code = item.code;
  // A refusal (4xx) rejects with its message, for the desk to show.
  return postJson(item.participant ? door.urls.deskAdmit : door.urls.deskScan, body);
}

function showError(door, message) {
  door.scanner.showVerdict({ result: "error", message, participant: null });
}

function askReprint(door, verdict) {
  $("reprint-question").textContent = door.t("reprint_question", {
    time: clock(door, verdict.printed_before_at),
    gate: verdict.printed_before_gate || "—",
  });
  $("reprint-form").hidden = false;
  $("reprint-reason").value = "";
  $("reprint-reason").focus();
}

function setUpReprint(door) {
  $("reprint-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = $("reprint-reason").value.trim();
    if (!reason || !door.lastDeskItem) return;
    $("reprint-form").hidden = true;
    deskSend(door, door.lastDeskItem, reason).then(door.scanner.showVerdict, (error) => showError(door, error.message));
  });
  $("reprint-cancel").addEventListener("click", () => {
    $("reprint-form").hidden = true;
  });
}

function setUpWalkIn(door) {
  const form = $("walk-in-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { gate: gate(), event: door.config.event, mode: deskMode() || "admit" };
    new FormData(form).forEach((value, name) => {
      body[name] = String(value).trim();
    });
    $("walk-in-error").textContent = "";
    postJson(door.urls.walkIn, body).then(
      (verdict) => {
        form.reset();
        $("walk-in").open = false;
        door.scanner.showVerdict({ ...verdict, walk_in: true });
      },
      (error) => {
        $("walk-in-error").textContent = error.message;
      },
    );
  });
}

// --- The verdict: reprint question, undo, seats left --------------------------------------------

function undoable(door, verdict) {
  return Boolean(door.canUndo && verdict.result === "admitted" && verdict.check_in_id && !verdict.offline);
}

function verdictExtras(door) {
  return {
    takeOver(verdict) {
      if (!verdict.reprint_needs_reason) return false;
      askReprint(door, verdict);
      return true;
    },
    holdMs: (verdict) => (undoable(door, verdict) ? UNDO_HOLD_MS : 0),
    render(verdict, box) {
      const { t } = door;
      box.querySelector(".verdict-help").textContent = verdict.result === "no_seat" ? t("no_seat_help") : "";
      box.querySelector(".verdict-print").textContent = verdict.printed
        ? t(verdict.offline ? "print_here" : "print_sent") + (verdict.walk_in ? " " + t("walk_in_done") : "")
        : verdict.print_note || "";
      const undo = box.querySelector(".verdict-undo");
      const can = undoable(door, verdict);
      undo.hidden = !can;
      undo.dataset.checkIn = can ? String(verdict.check_in_id) : "";
      undo.dataset.name = verdict.participant ? verdict.participant.name : "";
      if (verdict.seats_left !== null && verdict.seats_left !== undefined) {
        $("seats-left").textContent = t("seats_left", { count: verdict.seats_left });
      }
    },
  };
}

function setUpUndo(door) {
  const undo = $("verdict").querySelector(".verdict-undo");
  undo.addEventListener("click", (event) => {
    event.stopPropagation(); // a click on the verdict elsewhere dismisses it
    const name = undo.dataset.name;
    postJson(door.urls.undo.replace("/0/", "/" + undo.dataset.checkIn + "/"), {}).then(
      () => {
        door.scanner.showVerdict({ result: "undone", message: door.t("undone"), participant: name ? { name } : null });
      },
      (error) => showError(door, door.t("undo_failed") + " " + error.message),
    );
  });
}

// --- Conflicts found by a sync (offline.js) ---------------------------------------------------

function listenForConflicts(door) {
  document.addEventListener("kol:sync-conflicts", (event) => {
    const list = $("sync-conflicts-list");
    $("sync-conflicts-title").textContent = door.t("conflicts_title");
    event.detail.forEach((conflict) => {
      const item = document.createElement("li");
      const why = conflict.firstGate
        ? door.t("first_admission", { time: clock(door, conflict.firstAt), gate: conflict.firstGate })
        : door.t(conflict.result);
      item.textContent = door.t("conflict_row", {
        name: conflict.name,
        time: clock(door, conflict.at),
        gate: conflict.gate,
        why,
      });
      list.appendChild(item);
    });
    $("sync-conflicts").hidden = false;
  });
}

function start(door) {
  listenForConflicts(door);
  fillSessions(door);
  $("gate-kind").value = kind();
  showKindFields();
  showKind(door);
  $("gate-kind").addEventListener("change", showKindFields);
  $("gate-form").addEventListener("submit", () => chooseKind(door));
  $("gate-change").addEventListener("click", () => {
    $("gate-kind").value = kind();
    showKindFields();
  });
  setUpReprint(door);
  setUpWalkIn(door);
  setUpUndo(door);
}
