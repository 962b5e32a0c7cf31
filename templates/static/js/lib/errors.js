/* The API's error shape {"error": {"code", "message", "fields", ...}} (DESIGN.md) as one ApiError, whatever
   answered: the API, a proxy's error page, or no network at all. Pure: no DOM, tested by tests/js. */

export var MESSAGES = {
  network: "网络连接失败，请检查网络后重试",
  server: "系统繁忙，请稍后再试",
  unavailable: "服务暂时不可用，请稍后再试"
};

export class ApiError extends Error {
  constructor(status, code, message, fields, extra) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields || {};
    Object.assign(this, extra || {}); // guide_url, changes, retry_after: what the page can act on
  }
}

export function fallbackMessage(status) {
  if (status >= 500) {
    return MESSAGES.server;
  }
  return status === 404 || status === 405 ? MESSAGES.unavailable : "请求未成功（" + status + "）";
}

/* The ApiError for a refused response: the API's own words when it sent them, else a message by status. */
export function errorFromBody(status, data) {
  var error = data && data.error;
  if (error && typeof error.message === "string") {
    var extra = {};
    Object.keys(error).forEach(function (key) {
      if (["code", "message", "fields"].indexOf(key) === -1) {
        extra[key] = error[key];
      }
    });
    return new ApiError(status, error.code || "error", error.message, error.fields, extra);
  }
  return new ApiError(status, "http_" + status, fallbackMessage(status));
}

/* What an upload's refusal says about the file itself, before the general message. */
export function fileProblem(error) {
  var fields = error.fields || {};
  return fields.file || fields.content_type || fields.size || error.message;
}
