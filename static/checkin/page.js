/* The door scanner page (templates/ticketing/scanner.html), put together. Scans are judged by three
 * layers, each taking the verdicts of the one below (scanner.js names the seam):
 *   door.js     a badge desk's scans go to the desk endpoints (through offline.atDesk); the rest go down
 *   offline.js  asks the server, and judges on this device when the network fails (a desk also prints
 *               the badge in the browser then: badge.js)
 *   scanner.js  onlineVerdicts: the scan, admission-by-name and search API
 * door.js also adds to each verdict shown (the reprint question, the undo button, seats left).
 *
 * window.KolScanner and window.KolOffline are handles for the browser tests and the benchmark
 * (bench/offline_verify.py); nothing on the page uses them.
 */
import { $ } from "../common/dom.js";
import { createDoor } from "./door.js";
import { createOffline } from "./offline.js";
import { onlineVerdicts, readConfig, startScanner } from "./scanner.js";

const root = $("scanner");
if (root) {
  const config = readConfig(root);
  const offline = createOffline(config, root);
  const door = createDoor(config, root);
  const verdicts = door.verdicts(offline.verdicts(onlineVerdicts(config)));
  const scanner = startScanner(config, { verdicts, extras: door.extras });
  door.start(scanner);
  offline.start();
  window.KolScanner = { ...verdicts, ...scanner };
  window.KolOffline = offline.api;
}
