// The words and times a page shows: strings the template hands over already translated (a JSON
// data-* attribute), and clock times in the event's time zone.

/** t(key, values) over the template's strings: "{name}" in the text is filled from values; a key
 * the template did not send shows as itself. */
export function translator(texts) {
  return function t(key, values = {}) {
    let text = texts[key] || key;
    for (const [name, value] of Object.entries(values)) text = text.replace("{" + name + "}", value);
    return text;
  };
}

/** "14:05" (or "14:05:09" with seconds) in Vietnam's time, whatever zone the device is set to;
 * "" for no time. language: the page's ("vi" or "en"). */
export function clockTime(iso, language, { seconds = false } = {}) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString(language === "vi" ? "vi-VN" : "en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
    timeZone: "Asia/Ho_Chi_Minh",
  });
}
