/* How the pages write times, sizes, formats and phone numbers. Pure: no DOM, tested by tests/js. */

var FORMAT_NAMES = { pdf: "PDF", jpg: "JPG", png: "PNG" };
var CORRECTION_KINDS = { material: "申请材料", field: "申请表" };

/* "2026-11-26T20:16:05+08:00" → "2026-11-26 20:16": the API's times are China time already. */
export function formatTime(iso) {
  if (!iso) {
    return "";
  }
  var match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? match[1] + " " + match[2] : iso;
}

/* The evaluation's time comes as epoch seconds (the rest of the detail gives ISO strings). */
export function chinaTime(at) {
  if (typeof at === "string") {
    return formatTime(at);
  }
  return formatTime(new Date(at * 1000 + 8 * 3600 * 1000).toISOString());
}

export function humanSize(bytes) {
  if (bytes >= 1048576) {
    return (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
  }
  return Math.max(1, Math.round(bytes / 1024)) + " KB";
}

/* ["pdf", "jpg"] → "PDF、JPG" */
export function formatNames(formats) {
  return formats.map(function (format) { return FORMAT_NAMES[format] || format.toUpperCase(); }).join("、");
}

/* "13812345678" → "138****5678"; anything that is not 11 digits stays as typed. */
export function maskPhone(phone) {
  var digits = phone.replace(/\D/g, "").slice(-11);
  return digits.length === 11 ? digits.slice(0, 3) + "****" + digits.slice(7) : phone;
}

/* "申请材料“养犬登记表”：未签字" — one correction item as the applicant and staff read it. */
export function correctionText(item) {
  var where = CORRECTION_KINDS[item.kind];
  return (where ? where + "“" + item.label + "”" : item.label) + (item.reason ? "：" + item.reason : "");
}

/* 0.375 → "37.5%", 1 → "100%"; null (nothing to divide by) → "—". The API's rates are fractions of 1. */
export function formatPercent(rate) {
  if (rate === null || rate === undefined) {
    return "—";
  }
  return (Math.round(rate * 1000) / 10).toFixed(1).replace(/\.0$/, "") + "%";
}
