// Agenda builder: draw the draft as a time grid (rooms as columns), drag to move, drag the bottom edge
// to resize, double-click to edit or create. Every change is saved through the API, which checks the
// conflict rules again; a conflicting change is held until the organizer saves it anyway (recorded) or undoes it.
import { $, sendJson } from "../common/dom.js";

const DAY_START = 7 * 60, DAY_END = 20 * 60, PX = 1.5, SNAP = 5, TZ_OFFSET = 7 * 60; // Asia/Ho_Chi_Minh, no DST
const SHORT = 30, MIN_HEIGHT = 16; // minutes below which a block is drawn compact; px a block needs for one line

// Loaded by templates/agenda/builder.html only, which has every element named here.
const root = $("builder");
const grid = $("builder-grid");
const statusLine = $("builder-status");
const conflictBox = $("builder-conflicts");
const conflictList = $("builder-conflict-list");
const dialog = $("builder-dialog");
const form = $("builder-form");
const text = JSON.parse($("builder-messages").textContent);
const participants = JSON.parse($("builder-participants").textContent);
// "Thứ 7 14/8" / "Sat 14/8", formatted by the server in the page's language.
const dayLabels = JSON.parse($("builder-day-labels").textContent);
const dayLabel = (day) => dayLabels[day] || day;
const state = { data: null, day: null, pending: null, editing: null };

async function api(method, url, body) {
  const response = await sendJson(url, body, method);
  const payload = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, payload };
}

const sessionUrl = (id) => root.dataset.sessionUrl.replace(/0\/?$/, String(id));
const localMinutes = (iso) => Math.round(((Date.parse(iso) / 60000 + TZ_OFFSET) % 1440 + 1440) % 1440);
const localDay = (iso) => new Date(Date.parse(iso) + TZ_OFFSET * 60000).toISOString().slice(0, 10);
const pad = (n) => String(n).padStart(2, "0");
const hhmm = (minutes) => pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
const isoAt = (day, minutes) => `${day}T${hhmm(minutes)}:00+07:00`;
const snap = (minutes) => Math.round(minutes / SNAP) * SNAP;

function eventDays() {
  const days = [];
  for (let d = new Date(state.data.event.start_date + "T00:00:00Z"); d <= new Date(state.data.event.end_date + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

async function load() {
  const { status, payload } = await api("GET", root.dataset.draftUrl);
  if (status !== 200) { say(text.failed, true); return; }
  state.data = payload;
  state.day = state.day || eventDays()[0];
  render();
}

function say(message, bad) {
  statusLine.textContent = message;
  statusLine.style.color = bad ? "var(--bad)" : "";
}

function render() {
  const days = $("builder-days");
  days.replaceChildren(...eventDays().map((day) => {
    const button = document.createElement("button");
    button.type = "button"; button.className = "button"; button.textContent = dayLabel(day);
    button.setAttribute("aria-pressed", String(day === state.day));
    button.addEventListener("click", () => { state.day = day; render(); });
    return button;
  }));
  const rooms = state.data.rooms;
  grid.style.gridTemplateColumns = `56px repeat(${rooms.length}, minmax(150px, 1fr))`;
  grid.replaceChildren();
  grid.append(cell("builder-head", ""));
  rooms.forEach((room) => grid.append(cell("builder-head", `${room.name} (${room.capacity})`)));
  const hours = cell("builder-hours", "");
  hours.style.height = (DAY_END - DAY_START) * PX + "px";
  for (let m = DAY_START; m < DAY_END; m += 60) {
    const label = cell("builder-hour", hhmm(m)); label.style.top = (m - DAY_START) * PX + "px"; hours.append(label);
  }
  grid.append(hours);
  rooms.forEach((room) => {
    const column = cell("builder-column", "");
    column.dataset.roomId = room.id;
    column.style.height = (DAY_END - DAY_START) * PX + "px";
    column.addEventListener("dblclick", (e) => {
      if (e.target !== column) return;
      const start = snap(DAY_START + e.offsetY / PX);
      openDialog(null, { room_id: room.id, day: state.day, start, end: start + 60 });
    });
    grid.append(column);
  });
  const today = state.data.sessions.filter((entry) => localDay(entry.session.starts_at) === state.day);
  today.forEach(drawSession);
  layOutLanes(today);
  // Sessions saved (with an override) outside the event's days have no column: list them so they can be fixed.
  const outside = state.data.sessions.filter((entry) => !eventDays().includes(localDay(entry.session.starts_at)));
  listDraftConflicts(today.concat(outside));
}

// Conflicts that were saved anyway stay visible until they are resolved.
function listDraftConflicts(entries) {
  const items = [];
  entries.forEach((entry) => entry.conflicts.forEach((conflict) => {
    const li = document.createElement("li");
    li.dataset.code = conflict.code;
    const link = document.createElement("button");
    link.type = "button";
    link.className = "builder-link";
    link.textContent = whenAndTitle(entry.session);
    link.addEventListener("click", () => openDialog(entry.session));
    li.append(link, document.createTextNode(": " + conflict.message));
    items.push(li);
  }));
  $("builder-draft-conflict-list").replaceChildren(...items);
  $("builder-draft-conflict-count").textContent = String(items.length);
  $("builder-draft-conflicts").hidden = items.length === 0;
}

const whenAndTitle = (session) =>
  `${dayLabel(localDay(session.starts_at))} ${hhmm(localMinutes(session.starts_at))} ${session.title_vi}`;

// Sessions overlapping in one room (saved anyway) stand side by side: each cluster of overlapping
// sessions is split into as many lanes as it needs, every session in the first lane free at its start.
function layOutLanes(entries) {
  const byRoom = new Map();
  entries.forEach((entry) => {
    const list = byRoom.get(entry.session.room_id) || [];
    list.push(entry.session); byRoom.set(entry.session.room_id, list);
  });
  byRoom.forEach((sessions) => {
    sessions.sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at) || Date.parse(a.ends_at) - Date.parse(b.ends_at));
    let cluster = [], clusterEnd = -Infinity;
    const finish = () => { if (cluster.length) placeLanes(cluster); cluster = []; };
    sessions.forEach((session) => {
      if (Date.parse(session.starts_at) >= clusterEnd) { finish(); clusterEnd = -Infinity; }
      cluster.push(session);
      clusterEnd = Math.max(clusterEnd, Date.parse(session.ends_at));
    });
    finish();
  });
}

function placeLanes(cluster) {
  const ends = [], lanes = new Map();
  cluster.forEach((session) => {
    let lane = ends.findIndex((end) => end <= Date.parse(session.starts_at));
    if (lane === -1) { lane = ends.length; ends.push(0); }
    ends[lane] = Date.parse(session.ends_at);
    lanes.set(session.id, lane);
  });
  cluster.forEach((session) => {
    const block = grid.querySelector(`.builder-session[data-session-id="${session.id}"]`);
    if (block) setLane(block, lanes.get(session.id), ends.length);
  });
}

function setLane(block, lane, count) {
  block.style.left = count > 1 ? `calc(${(lane * 100) / count}% + 2px)` : "";
  block.style.width = count > 1 ? `calc(${100 / count}% - 4px)` : "";
  block.style.right = count > 1 ? "auto" : "";
}

function cell(className, content) {
  const element = document.createElement("div");
  element.className = className; element.textContent = content;
  return element;
}

function column(roomId) { return grid.querySelector(`.builder-column[data-room-id="${roomId}"]`); }

function drawSession(entry) {
  const session = entry.session;
  const block = document.createElement("div");
  // A short session gets smaller type on one line; its full title, time and people are in the tooltip.
  const short = localMinutes(session.ends_at) - localMinutes(session.starts_at) < SHORT;
  block.className = "builder-session" + (entry.conflicts.length ? " has-conflict" : "") + (short ? " short" : "");
  block.dataset.sessionId = session.id;
  block.dataset.conflicts = entry.conflicts.map((c) => c.message).join("\n");
  block.tabIndex = 0;
  const track = state.data.tracks.find((t) => t.id === session.track_id);
  if (track) block.style.setProperty("--track", track.color);
  const title = document.createElement("strong"); title.textContent = session.title_vi;
  const time = document.createElement("span");
  time.className = "builder-time";
  const people = session.people.map((p) => p.name).join(", ");
  const names = document.createElement("span");
  names.className = "builder-people"; names.textContent = people ? " · " + people : "";
  block.append(title, time, names);
  const handle = document.createElement("div"); handle.className = "builder-resize";
  block.append(handle);
  place(block, session.room_id, localMinutes(session.starts_at), localMinutes(session.ends_at));
  block.addEventListener("pointerdown", (e) => startDrag(e, entry, block, e.target === handle ? "resize" : "move"));
  block.addEventListener("dblclick", () => openDialog(entry.session));
  block.addEventListener("keydown", (e) => { if (e.key === "Enter") openDialog(entry.session); });
}

function place(block, roomId, start, end) {
  block.style.top = (start - DAY_START) * PX + "px";
  block.style.height = Math.max((end - start) * PX, MIN_HEIGHT) + "px";
  block.querySelector(".builder-time").textContent = `${hhmm(start)}–${hhmm(end)}`;
  block.title = [block.querySelector("strong").textContent, `${hhmm(start)}–${hhmm(end)}${block.querySelector(".builder-people").textContent}`]
    .concat(block.dataset.conflicts ? [block.dataset.conflicts] : []).join("\n");
  block.dataset.roomId = roomId; block.dataset.start = start; block.dataset.end = end;
  const target = column(roomId);
  if (target && block.parentElement !== target) target.append(block);
}

function startDrag(event, entry, block, mode) {
  if (event.button !== 0) return;
  event.preventDefault();
  // Drag from where the block is drawn (it may sit in an unsaved, conflicting place); undo returns it
  // to where it is saved.
  const origin = { x: event.clientX, y: event.clientY, room: Number(block.dataset.roomId),
    start: Number(block.dataset.start), end: Number(block.dataset.end) };
  const saved = { room: entry.session.room_id,
    start: localMinutes(entry.session.starts_at), end: localMinutes(entry.session.ends_at) };
  let moved = false;
  block.classList.add("dragging");
  setLane(block, 0, 1); // the dragged block takes its column's width wherever it goes
  // Listen on the document: moving the block to another room's column re-parents it, which would drop
  // a pointer capture.
  const onMove = (e) => {
    const delta = snap((e.clientY - origin.y) / PX);
    if (Math.abs(e.clientY - origin.y) > 3 || Math.abs(e.clientX - origin.x) > 3) moved = true;
    let room = origin.room, start = origin.start, end = origin.end;
    if (mode === "resize") {
      end = Math.min(Math.max(origin.end + delta, origin.start + SNAP), DAY_END);
    } else {
      room = roomAt(e.clientX) || origin.room;
      const length = origin.end - origin.start;
      start = Math.min(Math.max(origin.start + delta, DAY_START), DAY_END - length);
      end = start + length;
    }
    place(block, room, start, end);
    previewClashes(entry.session, room, start, end);
  };
  const onUp = () => {
    document.removeEventListener("pointermove", onMove);
    document.removeEventListener("pointerup", onUp);
    block.classList.remove("dragging");
    if (!moved) return;
    const changes = { room_id: Number(block.dataset.roomId),
      starts_at: isoAt(state.day, Number(block.dataset.start)), ends_at: isoAt(state.day, Number(block.dataset.end)) };
    save(entry.session.id, changes, { block, origin: saved });
  };
  document.addEventListener("pointermove", onMove);
  document.addEventListener("pointerup", onUp);
}

function roomAt(x) {
  const columns = [...grid.querySelectorAll(".builder-column")];
  const hit = columns.find((c) => { const r = c.getBoundingClientRect(); return x >= r.left && x < r.right; });
  return hit ? Number(hit.dataset.roomId) : null;
}

// The live check while dragging: same room or same person at an overlapping time (the server checks all rules).
function previewClashes(session, roomId, start, end) {
  const mine = new Set(session.people.map((p) => p.participant_id));
  let clash = false;
  grid.querySelectorAll(".builder-session").forEach((other) => {
    if (Number(other.dataset.sessionId) === session.id) return;
    const otherEntry = state.data.sessions.find((e) => e.session.id === Number(other.dataset.sessionId));
    const overlaps = Number(other.dataset.start) < end && start < Number(other.dataset.end);
    const hit = overlaps && (Number(other.dataset.roomId) === roomId ||
      otherEntry.session.people.some((p) => mine.has(p.participant_id)));
    other.classList.toggle("clash-preview", hit);
    clash = clash || hit;
  });
  say(clash ? text.conflictsLive : "", clash);
}

async function save(id, changes, undo, override) {
  if (state.pending && state.pending.undo && undo && state.pending.undo.block !== undo.block) {
    const previous = state.pending.undo;
    previous.block.classList.remove("unsaved");
    place(previous.block, previous.origin.room, previous.origin.start, previous.origin.end);
  }
  conflictBox.hidden = true;
  const body = Object.assign({}, changes, { override: Boolean(override) });
  const url = id ? sessionUrl(id) : root.dataset.createUrl;
  const { status, payload } = await api(id ? "PATCH" : "POST", url, body);
  if (status === 200 || status === 201) {
    state.pending = null;
    conflictBox.hidden = true;
    if (dialog.open) dialog.close();
    say(text.saved);
    await load();
    return true;
  }
  if (status === 409 && payload && payload.conflicts) {
    state.pending = { id, changes, undo };
    if (undo && undo.block) undo.block.classList.add("unsaved");
    conflictList.replaceChildren(...payload.conflicts.map((c) => {
      const li = document.createElement("li"); li.textContent = c.message; li.dataset.code = c.code; return li;
    }));
    conflictBox.hidden = false;
    say(payload.message, true);
    return false;
  }
  const message = payload && (payload.message || "") + (payload.errors ? " " + Object.values(payload.errors).flat().join(" ") : "");
  if (dialog.open) $("builder-form-error").textContent = message || text.failed;
  else say(message || text.failed, true);
  if (undo && undo.block) place(undo.block, undo.origin.room, undo.origin.start, undo.origin.end);
  return false;
}

$("builder-override").addEventListener("click", () => {
  const pending = state.pending;
  if (pending) save(pending.id, pending.changes, pending.undo, true);
});
$("builder-undo").addEventListener("click", () => {
  const pending = state.pending;
  state.pending = null;
  conflictBox.hidden = true;
  say("");
  if (pending && pending.undo && pending.undo.block) {
    const { block, origin } = pending.undo;
    block.classList.remove("unsaved");
    place(block, origin.room, origin.start, origin.end);
  }
  grid.querySelectorAll(".clash-preview").forEach((b) => b.classList.remove("clash-preview"));
  render(); // back to the saved draft, lanes included
});

function fillSelect(select, options, value) {
  select.replaceChildren(...options.map(([v, label]) => {
    const option = document.createElement("option"); option.value = v; option.textContent = label;
    option.selected = String(v) === String(value ?? ""); return option;
  }));
}

function personRow(person) {
  const row = document.createElement("div"); row.className = "builder-person";
  const who = document.createElement("select"); who.name = "person"; who.setAttribute("aria-label", text.person);
  fillSelect(who, participants.map((p) => [p.id, p.name + (p.status === "approved" ? "" : ` (${text.pending})`)]), person.participant_id);
  const role = document.createElement("select"); role.name = "role"; role.setAttribute("aria-label", text.role);
  fillSelect(role, Object.entries(text.roles), person.role || "speaker");
  const remove = document.createElement("button"); remove.type = "button"; remove.className = "button"; remove.textContent = text.remove;
  remove.addEventListener("click", () => row.remove());
  row.append(who, role, remove);
  return row;
}

function openDialog(session, defaults) {
  state.editing = session;
  const value = session ? {
    ...session, day: localDay(session.starts_at), start: localMinutes(session.starts_at), end: localMinutes(session.ends_at),
  } : { title_vi: "", title_en: "", abstract_vi: "", abstract_en: "", format: "panel", language: "vi", track_id: null, capacity: null, people: [], ...defaults };
  for (const name of ["title_vi", "title_en", "abstract_vi", "abstract_en", "format", "language"]) form.elements[name].value = value[name] || "";
  fillSelect(form.elements.room_id, state.data.rooms.map((r) => [r.id, r.name]), value.room_id);
  fillSelect(form.elements.track_id, [["", text.noTrack], ...state.data.tracks.map((t) => [t.id, t.name])], value.track_id);
  form.elements.day.value = value.day; form.elements.start.value = hhmm(value.start); form.elements.end.value = hhmm(value.end);
  form.elements.capacity.value = value.capacity ?? "";
  $("f-people").replaceChildren(...value.people.map(personRow));
  $("builder-delete").hidden = !session;
  $("builder-form-error").textContent = "";
  dialog.showModal();
}

const minutesOf = (hm) => { const [h, m] = hm.split(":").map(Number); return h * 60 + m; };

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const f = form.elements;
  const changes = {
    title_vi: f.title_vi.value, title_en: f.title_en.value, abstract_vi: f.abstract_vi.value, abstract_en: f.abstract_en.value,
    format: f.format.value, language: f.language.value, room_id: Number(f.room_id.value),
    track_id: f.track_id.value ? Number(f.track_id.value) : null,
    starts_at: isoAt(f.day.value, minutesOf(f.start.value)), ends_at: isoAt(f.day.value, minutesOf(f.end.value)),
    capacity: f.capacity.value ? Number(f.capacity.value) : null,
    people: [...document.querySelectorAll("#f-people .builder-person")].map((row) => ({
      participant_id: Number(row.querySelector("[name=person]").value), role: row.querySelector("[name=role]").value })),
  };
  save(state.editing ? state.editing.id : null, changes, null);
});
$("f-add-person").addEventListener("click", () => $("f-people").append(personRow({})));
$("builder-cancel").addEventListener("click", () => dialog.close());
$("builder-delete").addEventListener("click", async () => {
  if (!state.editing || !window.confirm(text.confirmDelete)) return;
  const { status } = await api("DELETE", sessionUrl(state.editing.id));
  if (status === 204) { dialog.close(); say(text.saved); load(); } else say(text.failed, true);
});
$("builder-new").addEventListener("click", () => {
  openDialog(null, { room_id: state.data.rooms[0] && state.data.rooms[0].id, day: state.day, start: 9 * 60, end: 10 * 60 });
});
// Publishing is seen by everyone at once and mails people: ask first, listing the conflicts still saved.
const publishDialog = $("builder-publish-dialog");
$("builder-publish").addEventListener("click", async () => {
  await load();
  const open = state.data.sessions.flatMap((entry) => entry.conflicts.map((c) => `${whenAndTitle(entry.session)}: ${c.message}`));
  $("builder-publish-text").textContent = text.publishConfirm;
  $("builder-publish-conflicts-intro").textContent =
    open.length ? text.publishConflicts.replace("%(count)s", open.length) : text.publishClean;
  $("builder-publish-conflicts").replaceChildren(...open.map((line) => {
    const li = document.createElement("li"); li.textContent = line; return li;
  }));
  publishDialog.returnValue = "";
  publishDialog.showModal();
});
publishDialog.addEventListener("close", async () => {
  if (publishDialog.returnValue !== "publish") return;
  const { status, payload } = await api("POST", root.dataset.publishUrl);
  if (status === 201) {
    const message = text.published.replace("%(number)s", payload.version);
    say(message);
    $("builder-version").textContent = message;
  } else say((payload && payload.message) || text.failed, true);
});

load();
