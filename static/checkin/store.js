/* What offline.js keeps on the device, in IndexedDB (through idb, static/vendor/idb/): database
 * "kol-checkin", version 1, three stores:
 *   lists       event slug -> the offline-data answer (GET /api/v1/checkin/offline-data)
 *   queue       the offline scans in scan order (key "seq", counted up), until the server has them
 *   admissions  "slug:participant" -> {participant, gate, at, pending}: admissions this device knows of
 * Each function below is one transaction: it resolves once that is committed and rejects if it is not.
 */
import { openDB } from "../vendor/idb/idb.js";

let opened = null;

function database() {
  opened =
    opened ||
    openDB("kol-checkin", 1, {
      upgrade(db) {
        db.createObjectStore("lists");
        db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        db.createObjectStore("admissions");
      },
    });
  return opened;
}

/** The stored lists of an event, or null. */
export async function storedLists(event) {
  return (await (await database()).get("lists", event)) || null;
}

export async function forgetLists(event) {
  await (await database()).delete("lists", event);
}

/** Keep fresh lists and drop this device's admissions they already hold: the sent ones (not pending)
 * recorded before the lists were asked for (`before`, ms). Resolves to the participants dropped. */
export async function saveLists(event, lists, before) {
  const tx = (await database()).transaction(["lists", "admissions"], "readwrite");
  const admissions = tx.objectStore("admissions");
  const kept = tx.objectStore("lists").put(lists, event);
  const stale = (await admissions.getAll()).filter(
    (row) => row.event === event && !row.pending && Date.parse(row.recorded_at) < before,
  );
  await Promise.all([kept, ...stale.map((row) => admissions.delete(row.key)), tx.done]);
  return stale.map((row) => row.participant);
}

/** The admissions this device knows of at an event. */
export async function storedAdmissions(event) {
  return (await (await database()).getAll("admissions")).filter((row) => row.event === event);
}

export async function putAdmission(admission) {
  await (await database()).put("admissions", admission, admission.key);
}

/** The event's scans not yet taken by the server, in scan order. */
export async function waitingScans(event) {
  return (await (await database()).getAll("queue")).filter((scan) => scan.event === event && !scan.synced);
}

/** Queue an offline scan, with the admission it made (or null), together. */
export async function queueScan(scan, admission) {
  const tx = (await database()).transaction(["queue", "admissions"], "readwrite");
  const writes = [tx.objectStore("queue").add(scan)];
  if (admission) writes.push(tx.objectStore("admissions").put(admission, admission.key));
  await Promise.all([...writes, tx.done]);
}

/** Drop sent scans from the queue (the server holds them now; the device keeps no copy of a code)
 * and store the admissions they made as sent, together. */
export async function markSent(scans, admissions) {
  const tx = (await database()).transaction(["queue", "admissions"], "readwrite");
  await Promise.all([
    ...scans.map((scan) => tx.objectStore("queue").delete(scan.seq)),
    ...admissions.map((admission) => tx.objectStore("admissions").put(admission, admission.key)),
    tx.done,
  ]);
}

/** How many scans the queue holds, of every event. */
export async function countScans() {
  return (await database()).count("queue");
}
