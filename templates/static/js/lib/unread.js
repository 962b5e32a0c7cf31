/* The unread count the header shows, kept in step by whatever page reads messages: one event, no globals. */

var EVENT = "portal:unread";

/* Tell the header the count changed: {count: 0} (the new count) or {delta: -1} (one fewer). */
export function announceUnread(change) {
  document.dispatchEvent(new CustomEvent(EVENT, { detail: change }));
}

export function onUnread(listener) {
  document.addEventListener(EVENT, function (event) {
    listener(event.detail);
  });
}

/* The count after a change announced from the current one. */
export function applyChange(current, change) {
  var next = "count" in change ? change.count : current + change.delta;
  return Math.max(0, next);
}

/* What the badge says: 99+ beyond two digits, nothing at 0. */
export function badgeText(count) {
  if (!count || count < 0) {
    return "";
  }
  return count > 99 ? "99+" : String(count);
}
