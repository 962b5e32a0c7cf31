/* window.PortalApi: the pages' one way to call /api on the same origin.
   JSON in and out, the HttpOnly session cookie sent (same origin only), and every failure turned into an
   ApiError carrying the API's error shape {"error": {"code", "message", "fields"}} (DESIGN.md). */
(function () {
  "use strict";

  var MESSAGES = {
    network: "网络连接失败，请检查网络后重试",
    server: "系统繁忙，请稍后再试",
    unavailable: "服务暂时不可用，请稍后再试"
  };

  function ApiError(status, code, message, fields) {
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.message = message;
    this.fields = fields || {};
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.constructor = ApiError;

  function fallbackMessage(status) {
    if (status >= 500) {
      return MESSAGES.server;
    }
    return status === 404 || status === 405 ? MESSAGES.unavailable : "请求未成功（" + status + "）";
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

  function toError(response, data) {
    var error = data && data.error;
    if (error && typeof error.message === "string") {
      return new ApiError(response.status, error.code || "error", error.message, error.fields);
    }
    return new ApiError(response.status, "http_" + response.status, fallbackMessage(response.status));
  }

  /* request("POST", "/sessions", {...}) → Promise of the parsed body (null for 204); rejects with ApiError.
     options: headers (extra request headers, e.g. Idempotency-Key), keepalive (outlives the page, for a last
     save when it is being left), withStatus (resolve to {status, data}: 201 created vs 200 already there). */
  function request(method, path, body, options) {
    var opts = options || {};
    var init = { method: method, credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } };
    Object.keys(opts.headers || {}).forEach(function (name) {
      init.headers[name] = opts.headers[name];
    });
    if (opts.keepalive) {
      init.keepalive = true;
    }
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch("/api" + path, init).then(function (response) {
      return readJson(response).then(function (data) {
        if (!response.ok) {
          throw toError(response, data);
        }
        return opts.withStatus ? { status: response.status, data: data } : data;
      });
    }, function () {
      throw new ApiError(0, "network", MESSAGES.network);
    });
  }

  /* The signed-in account, or null when nobody is (401); shared by the header and the page's own script. */
  var mePromise = null;
  function me(fresh) {
    if (!mePromise || fresh) {
      mePromise = request("GET", "/me").catch(function (error) {
        if (error.status === 401) {
          return null;
        }
        throw error;
      });
    }
    return mePromise;
  }

  /* Send a file with an upload ticket from POST /api/uploads: a multipart POST of its fields, then the file.
     On aws the URL is S3's presigned POST: no cookies and no extra headers, which S3 would refuse;
     the file must be the last part of the form. */
  function upload(ticket, file) {
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
        var error = toError(response, data);
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
  function uploadFile(ticketRequest, file) {
    return request("POST", "/uploads", ticketRequest).then(function (ticket) {
      return upload(ticket, file).then(function () {
        return request("POST", "/uploads/" + encodeURIComponent(ticket.upload_id) + "/complete");
      });
    });
  }

  /* A return path from ?next= that stays on this site: "/path", never "//host", "/\host" or "scheme:". */
  function safeNext(value) {
    if (typeof value !== "string" || value.charAt(0) !== "/" || /^\/[\/\\]/.test(value) || /[\u0000-\u001f\\]/.test(value)) {
      return null;
    }
    try {
      var url = new URL(value, window.location.origin);
      return url.origin === window.location.origin ? url.pathname + url.search + url.hash : null;
    } catch (e) {
      return null;
    }
  }

  window.PortalApi = {
    ApiError: ApiError,
    request: request,
    get: function (path) { return request("GET", path); },
    post: function (path, body, options) { return request("POST", path, body, options); },
    put: function (path, body, options) { return request("PUT", path, body, options); },
    patch: function (path, body) { return request("PATCH", path, body); },
    del: function (path) { return request("DELETE", path); },
    me: me,
    upload: upload,
    uploadFile: uploadFile,
    safeNext: safeNext
  };
})();
