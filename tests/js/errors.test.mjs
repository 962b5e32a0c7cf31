import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, MESSAGES, errorFromBody, fallbackMessage, fileProblem } from "../../templates/static/js/lib/errors.js";

test("the API's error shape becomes an ApiError with its fields and extras", () => {
  const error = errorFromBody(429, {
    error: { code: "sms_too_frequent", message: "短信发送过于频繁，请 45 秒后再试", fields: { phone: "请稍后再获取验证码" }, retry_after: 45 }
  });
  assert.ok(error instanceof ApiError && error instanceof Error);
  assert.equal(error.status, 429);
  assert.equal(error.code, "sms_too_frequent");
  assert.equal(error.message, "短信发送过于频繁，请 45 秒后再试");
  assert.deepEqual(error.fields, { phone: "请稍后再获取验证码" });
  assert.equal(error.retry_after, 45);
});

test("an answer that is not the API's shape gets a message by its status", () => {
  assert.equal(errorFromBody(502, null).message, MESSAGES.server);
  assert.equal(errorFromBody(404, "<html>").message, MESSAGES.unavailable);
  assert.equal(errorFromBody(418, {}).code, "http_418");
  assert.equal(fallbackMessage(409), "请求未成功（409）");
});

test("an upload refusal names the file's own problem first", () => {
  assert.equal(fileProblem({ fields: { size: "文件过大" }, message: "不能上传" }), "文件过大");
  assert.equal(fileProblem({ fields: {}, message: "不能上传" }), "不能上传");
});
