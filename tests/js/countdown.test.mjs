import assert from "node:assert/strict";
import { test } from "node:test";

import { retryAfter, validFor, waitLabel } from "../../templates/static/js/lib/countdown.js";

test("the wait comes from retry_after, never from the message", () => {
  assert.equal(retryAfter({ retry_after: 45, message: "请 10 秒后再试" }), 45);
  assert.equal(retryAfter({ retry_after: 2.2 }), 3);
  assert.equal(retryAfter({ message: "短信发送过于频繁，请 45 秒后再试" }), null);
  assert.equal(retryAfter({ retry_after: 0 }), null);
  assert.equal(retryAfter(null), null);
});

test("the button counts down, then the wait is over", () => {
  assert.equal(waitLabel(60), "60 秒后可重新获取");
  assert.equal(waitLabel(1), "1 秒后可重新获取");
  assert.equal(waitLabel(0), null);
});

test("the code's lifetime is worded in whole minutes from expires_in", () => {
  assert.equal(validFor(300), "5分钟内有效");
  assert.equal(validFor(90), "2分钟内有效");
  assert.equal(validFor(20), "1分钟内有效");
});
