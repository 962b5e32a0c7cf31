/* 文书核验 (/verify/): GET /api/documents/verify by the code (typed, or from ?code= when the QR code opened the page:
   checked at once), or by the SHA-256 of a chosen PDF, computed here with Web Crypto — the file never leaves the
   browser. With both, the file must be the code's own document. No login. */

import * as Api from "../api.js";
import { boot } from "../boot.js";
import { params } from "../dom.js";
import { bindSubmit, control } from "../forms.js";
import { formatTime } from "../lib/format.js";

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), function (byte) {
    return byte.toString(16).padStart(2, "0");
  }).join("");
}

function sha256Of(file) {
  return file.arrayBuffer().then(function (bytes) {
    return crypto.subtle.digest("SHA-256", bytes);
  }).then(hex);
}

function show(answer, byFile) {
  var panel = document.getElementById("verify-result");
  var facts = panel.querySelector("[data-verify-facts]");
  document.getElementById("verify-result-title").textContent = answer.valid ? "核验通过" : "未能核验";
  panel.setAttribute("data-valid", answer.valid ? "true" : "false");
  panel.querySelector("[data-verify-verdict]").textContent = answer.valid
    ? (byFile ? "该文件与" : "该验证码对应") + "辽宁政务服务网出具的结果文书一致，文书信息如下。请核对与您收到的文书是否相符。"
    : (byFile
      ? "该文件与辽宁政务服务网出具的结果文书不一致：文件可能被改动过，或不是本网出具的文书。"
      : "未找到与该验证码对应的文书：文书可能是伪造的，或验证码输入有误。");
  facts.hidden = !answer.valid;
  panel.querySelectorAll("[data-verify]").forEach(function (el) {
    var name = el.getAttribute("data-verify");
    el.textContent = (name === "issued_at" ? formatTime(answer[name]) : answer[name]) || "—";
  });
  panel.hidden = false;
  panel.focus();
}

function query(code, sha256) {
  var parts = [];
  if (code) {
    parts.push("code=" + encodeURIComponent(code));
  }
  if (sha256) {
    parts.push("sha256=" + encodeURIComponent(sha256));
  }
  return Api.get("/documents/verify?" + parts.join("&"));
}

function start(form) {
  var fileForm = document.getElementById("verify-file-form");
  form.hidden = false;
  fileForm.hidden = false;
  var code = control(form, "code");
  var panel = document.getElementById("verify-result");
  var check = bindSubmit(form, {
    busyText: "正在核验…",
    statusLine: document.getElementById("verify-status"),
    statusText: "正在核验，请稍候…",
    send: function (body) {
      panel.hidden = true;
      return query(body.code, null);
    },
    done: function (answer) {
      show(answer, false);
    }
  });
  var file = document.getElementById("verify-file");
  var pasted = document.getElementById("verify-hash");
  bindSubmit(fileForm, {
    busyText: "正在核对…",
    statusLine: document.getElementById("verify-file-status"),
    statusText: "正在计算文件校验值并核对…",
    check: function (found) {
      if (!file.files.length && !pasted.value.trim()) {
        found.file = "请选择要核对的文书 PDF 文件，或粘贴其校验值";
      }
      return found;
    },
    send: function () {
      panel.hidden = true;
      var digest = file.files.length ? sha256Of(file.files[0]) : Promise.resolve(pasted.value.trim());
      return digest.then(function (value) {
        return query(code.value.trim(), value);
      });
    },
    done: function (answer) {
      show(answer, true);
    }
  });
  var given = params().get("code");
  if (given) {
    code.value = given;
    check();
  }
}

boot({ page: "verify-form", start: start });
