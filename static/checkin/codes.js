/* Badge codes on the device, as ticketing/codes.py makes them: Base45 (RFC 9285) text of 75 bytes,
 * format version (1 byte), event id (4), participant id (4), badge version (2), then the Ed25519
 * signature (64) over those first 11 bytes. Checked with Web Crypto where the browser has Ed25519,
 * else with the vendored @noble/ed25519 (loaded only then). Used by offline.js.
 */

const FORMAT_VERSION = 1;
const PAYLOAD_BYTES = 11;
const CODE_BYTES = 75;
const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const BASE45_VALUES = Object.fromEntries([...BASE45].map((letter, index) => [letter, index]));

function base45Decode(text) {
  if (text.length % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 ? 1 : 0));
  let at = 0;
  for (let i = 0; i < text.length; i += 3) {
    const c = BASE45_VALUES[text[i]];
    const d = BASE45_VALUES[text[i + 1]];
    if (c === undefined || d === undefined) return null;
    if (i + 2 < text.length) {
      const e = BASE45_VALUES[text[i + 2]];
      if (e === undefined) return null;
      const value = c + d * 45 + e * 2025;
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
  return Uint8Array.from(atob(text), (letter) => letter.charCodeAt(0));
}

/** What a code claims (no signature check): {eventId, participantId, version, payload, signature} or null. */
export function readCode(code) {
  const bytes = base45Decode((code || "").trim());
  if (!bytes || bytes.length !== CODE_BYTES || bytes[0] !== FORMAT_VERSION) return null;
  const view = new DataView(bytes.buffer);
  return {
    eventId: view.getUint32(1),
    participantId: view.getUint32(5),
    version: view.getUint16(9),
    payload: bytes.subarray(0, PAYLOAD_BYTES),
    signature: bytes.subarray(PAYLOAD_BYTES),
  };
}

/** The event's public keys from the offline-data answer ({key_id, public_key: Base64}). */
export function publicKeys(rows) {
  return rows.map((key) => ({ id: key.key_id, raw: fromBase64(key.public_key), imported: null }));
}

let noble = null;

function loadNoble(url) {
  // Only where Web Crypto lacks Ed25519; a module script from our own static files (CSP: 'self').
  noble = noble || import(url);
  return noble;
}

function webCryptoVerify(key, claim) {
  key.imported = key.imported || crypto.subtle.importKey("raw", key.raw, { name: "Ed25519" }, false, ["verify"]);
  return key.imported.then((cryptoKey) =>
    crypto.subtle.verify({ name: "Ed25519" }, cryptoKey, claim.signature, claim.payload),
  );
}

function nobleVerify(key, claim, nobleUrl) {
  return loadNoble(nobleUrl).then((ed) =>
    ed.verifyAsync(claim.signature, claim.payload, key.raw).catch(() => false),
  );
}

let engine = null;

/** Which engine checks signatures here: "webcrypto" when the browser has Ed25519, else "noble". */
export function signatureEngine() {
  if (!engine) {
    const probe = fromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="); // RFC 8032 test 1 public key
    engine = crypto.subtle.importKey("raw", probe, { name: "Ed25519" }, false, ["verify"]).then(
      () => "webcrypto",
      () => "noble",
    );
  }
  return engine;
}

/** Whether one of `keys` signed the claim; engine: "webcrypto" or "noble" (the browser's best if none),
 * nobleUrl: where the vendored @noble/ed25519 is. */
export function signedByOneOf(claim, keys, { engine: forced, nobleUrl }) {
  return (forced ? Promise.resolve(forced) : signatureEngine()).then((name) => {
    const check = name === "webcrypto" ? webCryptoVerify : nobleVerify;
    return keys.reduce((found, key) => found.then((ok) => ok || check(key, claim, nobleUrl)), Promise.resolve(false));
  });
}
