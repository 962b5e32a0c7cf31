import assert from "node:assert/strict";
import { test } from "node:test";

import { applyChange, badgeText } from "../../templates/static/js/lib/unread.js";

test("a read message lowers the count by one, read-all sets it, never below zero", () => {
  assert.equal(applyChange(3, { delta: -1 }), 2);
  assert.equal(applyChange(3, { count: 0 }), 0);
  assert.equal(applyChange(0, { delta: -1 }), 0);
});

test("the badge shows nothing at zero and 99+ beyond two digits", () => {
  assert.equal(badgeText(0), "");
  assert.equal(badgeText(7), "7");
  assert.equal(badgeText(99), "99");
  assert.equal(badgeText(100), "99+");
});
