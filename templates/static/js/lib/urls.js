/* Return paths (?next=) that stay on this site. Pure, tested by tests/js. */

/* "/path?q#h" from ?next=, or null: never "//host", "/\host", "scheme:" or control characters. */
export function safeNext(value, origin) {
  if (typeof value !== "string" || value.charAt(0) !== "/" || /^\/[/\\]/.test(value) || /[\u0000-\u001f\\]/.test(value)) { // eslint-disable-line no-control-regex
    return null;
  }
  try {
    var url = new URL(value, origin);
    return url.origin === origin ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}

/* "/login/" + the page to come back to. */
export function withNext(href, next) {
  return href + "?next=" + encodeURIComponent(next);
}

/* One Idempotency-Key per submission attempt (SPEC §4.5); crypto.randomUUID needs a secure context. */
export function uuid(crypto) {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  var bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}
