/* The pages' one way to call /api on the same origin: JSON in and out, the HttpOnly session cookie sent
   (same origin only), every failure an ApiError (lib/errors.js). A 401 goes to one hook, set by the page boot
   of pages that need a user (to 登录 and back); a request that expects 401 itself passes {expect401: true}. */

import { ApiError, MESSAGES, errorFromBody } from "./lib/errors.js";

export { ApiError };

var unauthorized = null;

/* The one answer to "not signed in (any more)"; while it runs the page is leaving, so the request never settles. */
export function onUnauthorized(hook) {
  unauthorized = hook;
}

/* The body as JSON, or null when there is none (204) or it is not JSON (a proxy's error page). */
function readJson(response) {
  var type = response.headers.get("Content-Type") || "";
  if (response.status === 204 || type.indexOf("json") === -1) {
    return Promise.resolve(null);
  }
  return response.json().catch(function () {
    return null;
  });
}

/* request("POST", "/sessions", {...}) → Promise of the parsed body (null for 204); rejects with ApiError.
   options: headers (extra request headers, e.g. Idempotency-Key), keepalive (outlives the page, for a last
   save when it is being left), withStatus (resolve to {status, data}: 201 created vs 200 already there),
   expect401 (a 401 is this caller's answer to handle, e.g. wrong password at 登录). */
export function request(method, path, body, options) {
  var opts = options || {};
  var init = { method: method, credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } };
  Object.assign(init.headers, opts.headers || {});
  if (opts.keepalive) {
    init.keepalive = true;
  }
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return fetch("/api" + path, init).then(function (response) {
    return readJson(response).then(function (data) {
      if (response.status === 401 && unauthorized && !opts.expect401) {
        unauthorized();
        return new Promise(function () {});
      }
      if (!response.ok) {
        throw errorFromBody(response.status, data);
      }
      return opts.withStatus ? { status: response.status, data: data } : data;
    });
  }, function () {
    throw new ApiError(0, "network", MESSAGES.network);
  });
}

export function get(path) {
  return request("GET", path);
}

export function post(path, body, options) {
  return request("POST", path, body, options);
}

export function put(path, body, options) {
  return request("PUT", path, body, options);
}

export function patch(path, body) {
  return request("PATCH", path, body);
}

export function del(path, options) {
  return request("DELETE", path, undefined, options);
}

/* The signed-in account, or null when nobody is (GET /me answers {signed_in: false}, a 200: a visitor's page
   load logs no failed request); asked once, shared by the header and the page. */
var mePromise = null;
export function me() {
  if (!mePromise) {
    mePromise = request("GET", "/me").then(function (answer) {
      return answer && answer.signed_in ? answer : null;
    });
  }
  return mePromise;
}

/* Send a file with an upload ticket from POST /api/uploads: a multipart POST of its fields, then the file.
   On aws the URL is S3's presigned POST: no cookies and no extra headers, which S3 would refuse;
   the file must be the last part of the form. */
export function upload(ticket, file) {
  var form = new FormData();
  Object.keys(ticket.fields || {}).forEach(function (name) {
    form.append(name, ticket.fields[name]);
  });
  form.append("file", file);
  return fetch(ticket.url, { method: ticket.method || "POST", body: form, credentials: "omit" }).then(function (response) {
    if (response.ok) {
      return null;
    }
    return readJson(response).then(function (data) {
      var error = errorFromBody(response.status, data);
      if (!(data && data.error)) {
        error.message = "文件上传失败（" + response.status + "），请重新选择文件上传";
      }
      throw error;
    });
  }, function () {
    throw new ApiError(0, "network", "文件上传失败：" + MESSAGES.network);
  });
}

/* The whole upload of one file: ask for a ticket (POST /uploads with `ticketRequest`), send the file, then
   have the server check it (…/complete). Resolves to the check's answer {upload_id, size, sha256, …}. */
export function uploadFile(ticketRequest, file) {
  return post("/uploads", ticketRequest).then(function (ticket) {
    return upload(ticket, file).then(function () {
      return post("/uploads/" + encodeURIComponent(ticket.upload_id) + "/complete");
    });
  });
}
