/* The badge a badge desk prints itself when the server cannot (offline.js): the person's name, organization
 * and category from the device's stored lists and the QR code of the code just scanned, drawn here on a
 * canvas with qrcode-generator 2.0.4 (static/vendor/qrcode-generator/, MIT), into #badge-print, the page's
 * only element on paper (scanner.css, @media print: A6). Then window.print(): a badge station runs Chromium
 * with --kiosk-printing, so it goes straight to the default printer (README, "Badge desk").
 *
 * The QR is as ticketing/pdf.py draws it for the server's badges: error correction M, a quiet zone of 4
 * modules; the code is Base45, whose 45 letters are exactly QR's alphanumeric set (the smaller symbol).
 */
import qrcode from "../vendor/qrcode-generator/qrcode.js";
import { $ } from "../common/dom.js";

const QUIET_ZONE = 4; // modules
const MODULE_PX = 8; // canvas pixels per module; the print scales the canvas to the badge

/** Draw `code` as a QR code on `canvas`. */
export function drawQr(canvas, code) {
  const qr = qrcode(0, "M");
  qr.addData(code, "Alphanumeric");
  qr.make();
  const modules = qr.getModuleCount();
  const side = (modules + QUIET_ZONE * 2) * MODULE_PX;
  canvas.width = canvas.height = side;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, side, side);
  context.fillStyle = "#000";
  for (let row = 0; row < modules; row += 1) {
    for (let col = 0; col < modules; col += 1) {
      if (qr.isDark(row, col)) {
        context.fillRect((col + QUIET_ZONE) * MODULE_PX, (row + QUIET_ZONE) * MODULE_PX, MODULE_PX, MODULE_PX);
      }
    }
  }
}

/** Put the person's badge in #badge-print and print it. person: {name, organization, category};
 * categoryLabel: the category's name in the page's language. */
export function printBadge(person, code, categoryLabel) {
  const badge = $("badge-print");
  badge.querySelector(".badge-name").textContent = person.name;
  badge.querySelector(".badge-organization").textContent = person.organization || "";
  const category = badge.querySelector(".badge-category");
  category.textContent = categoryLabel || person.category || "";
  category.dataset.category = person.category || "";
  drawQr(badge.querySelector(".badge-qr"), code);
  window.print();
}

// A desk that only prints hands out badges whatever the door's window or admissions say (nobody goes in
// here), as the server's print-only desk: the badge and the ticket must be good.
const PRINT_ONLY_AFTER = ["admitted", "already_checked_in", "not_open"];

/** What a badge desk does offline after the door's verdict `found` (offline.js): {verdict, print, queue}.
 * mode: "admit" prints on a first admission; "print" prints (verdict "printed") and admits nobody.
 * printedHere: this device printed this badge before. A reprint needs the network (its reason is asked
 * for and checked against the server's prints), so offline it is refused in words; t: the page's texts. */
export function deskOutcome(found, mode, printedHere, t) {
  const printable = mode === "print" ? PRINT_ONLY_AFTER.includes(found.result) : found.result === "admitted";
  if (!printable) {
    const note = found.result === "already_checked_in" ? t("desk_no_reprint_offline") : "";
    return { verdict: { ...found, print_note: note }, print: false, queue: true };
  }
  if (printedHere) {
    // Only a print-only desk gets here (a second admission is already_checked_in): nothing happened to send.
    const verdict = { ...found, result: "printed", print_note: t("desk_no_reprint_offline") };
    return { verdict, print: false, queue: false };
  }
  const verdict = { ...found, result: mode === "print" ? "printed" : found.result, printed: true };
  return { verdict, print: true, queue: true };
}
