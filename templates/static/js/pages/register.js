/* 用户注册 (/register/): 自然人 or 法人, the live 登录名 check, the 营业执照图片 upload, 获取验证码, POST /api/accounts. */

import * as Api from "../api.js";
import { boot } from "../boot.js";
import { smsParts } from "../captcha.js";
import { params, status } from "../dom.js";
import { bindSubmit, checkSame, collect, control, hasProblems, setError } from "../forms.js";
import { fileProblem } from "../lib/errors.js";
import { humanSize } from "../lib/format.js";
import { safeNext, withNext } from "../lib/urls.js";

var CHECK_DELAY_MS = 400;
// What a number looks like for each 法人证件类型 (the API's validators have the final word).
var ID_HINTS = {
  resident_id: "18位居民身份证号码，最后一位可以是X。",
  passport: "护照号码，5-17位英文字母和数字。",
  hk_macao_permit: "H或M开头，后接8位数字。",
  taiwan_permit: "8位数字。",
  foreign_permanent_residence: "15位（3位字母加12位数字），或以9开头的18位号码。"
};

function isLegal(form) {
  var checked = form.querySelector('input[name="account_type"]:checked');
  return Boolean(checked && checked.value === "legal");
}

/* The 法人 sections are shown and sent only when 法人 is chosen (a disabled fieldset is not collected). */
function accountType(form) {
  var apply = function () {
    var legal = isLegal(form);
    form.querySelectorAll("[data-legal]").forEach(function (section) {
      section.hidden = !legal;
      section.disabled = !legal;
    });
  };
  form.querySelectorAll('input[name="account_type"]').forEach(function (radio) {
    radio.addEventListener("change", apply);
  });
  apply();
}

/* 登录名: asks the API while the user types (debounced): 可以使用, 已被注册, or what is wrong with it. Returns quiet(),
   called by 提交: the field's own error then stands beside it, so the line says nothing of that error, not even
   when an answer asked before 提交 arrives after it (each problem is shown once); typing again lifts it. */
function loginNameCheck(form) {
  var input = control(form, "login_name");
  var out = document.getElementById(input.id + "-status");
  var timer = null;
  var sequence = 0;
  var quieted = false;
  var show = function (message, kind) {
    out.textContent = message;
    out.className = "field-status" + (kind ? " is-" + kind : "");
  };
  var ask = function (name, mine) {
    show("正在检查该登录名是否可用…", "pending");
    Api.get("/accounts/availability?login_name=" + encodeURIComponent(name)).then(function (answer) {
      if (mine === sequence) {
        show(answer.available ? "该登录名可以使用" : "该登录名已被注册，请换一个", answer.available ? "ok" : "bad");
      }
    }, function (error) {
      if (mine !== sequence) {
        return;
      }
      if (error.status === 422) {
        show(quieted ? "" : (error.fields && error.fields.login_name) || error.message, quieted ? "" : "bad");
      } else {
        show("暂时无法检查登录名是否可用，提交时将再次检查", "");
      }
    });
  };
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    quieted = false;
    var name = input.value.trim();
    var mine = (sequence += 1);
    if (!name) {
      show("", "");
      return;
    }
    timer = window.setTimeout(function () {
      ask(name, mine);
    }, CHECK_DELAY_MS);
  });
  return function quiet() {
    quieted = true;
    if (out.classList.contains("is-bad")) {
      show("", "");
    }
  };
}

/* The chosen licence image's problem: its type and size as the file input itself names them (accept, data-max-size). */
function licenceProblem(input, file) {
  var types = input.getAttribute("accept").split(",");
  var maxBytes = Number(input.getAttribute("data-max-size"));
  if (types.indexOf(file.type) === -1) {
    return "营业执照图片只接受 JPEG 或 PNG 格式";
  }
  if (!file.size) {
    return "所选文件是空的，请重新选择";
  }
  return file.size > maxBytes ? "营业执照图片不能超过 " + humanSize(maxBytes) : null;
}

/* 营业执照图片: preview, then POST /api/uploads → multipart POST to the ticket's URL → .../complete. */
function licenseUpload() {
  var input = document.getElementById("reg-license");
  var out = document.getElementById("reg-license-status");
  var preview = document.getElementById("reg-license-preview");
  var state = { uploadId: null, pending: null };

  var reset = function () {
    state.uploadId = null;
    state.pending = null;
    preview.hidden = true;
  };
  var fail = function (message) {
    reset();
    setError(input, message);
    status(out, "营业执照图片未能上传，请按提示重新选择。", "error");
  };
  var showPreview = function (file) {
    var reader = new FileReader();
    reader.onload = function () {
      preview.querySelector("img").src = reader.result;
      preview.querySelector("figcaption").textContent = file.name + "（" + humanSize(file.size) + "）";
      preview.hidden = false;
    };
    reader.readAsDataURL(file);
  };

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    reset();
    setError(input, "");
    status(out, "");
    if (!file) {
      return;
    }
    var problem = licenceProblem(input, file);
    if (problem) {
      fail(problem);
      return;
    }
    showPreview(file);
    status(out, "正在上传营业执照图片…");
    var ticketRequest = { purpose: "business_license", filename: file.name.slice(-200), content_type: file.type, size: file.size };
    var mine = Api.uploadFile(ticketRequest, file).then(function (checked) {
      if (state.pending === mine) {
        state.uploadId = checked.upload_id;
        status(out, "营业执照图片已上传：" + file.name, "success");
      }
    }, function (error) {
      if (state.pending === mine) {
        fail(fileProblem(error));
      }
    });
    state.pending = mine;
  });
  return state;
}

function idTypeHint(form) {
  var select = control(form, "organization.legal_representative_id_type");
  var hint = document.getElementById("reg-rep-id-number-hint");
  var apply = function () {
    hint.textContent = ID_HINTS[select.value] || "请先选择法人证件类型。";
  };
  select.addEventListener("change", apply);
  apply();
}

function done(form, account) {
  form.hidden = true;
  document.getElementById("register-errors").hidden = true;
  var panel = document.getElementById("register-done");
  panel.querySelector("[data-done-login]").textContent = account.login_name;
  var next = safeNext(params().get("next"), window.location.origin);
  if (next) {
    var link = document.getElementById("register-login-link");
    link.href = withNext(link.getAttribute("href"), next);
  }
  panel.hidden = false;
  panel.focus();
  panel.scrollIntoView({ block: "center" });
}

/* The 营业执照 upload must have worked: an upload still on its way is waited for, so a quick 提交 works. */
function checkLicence(license, problems) {
  return Promise.resolve(license.pending).then(function () {
    if (!license.uploadId) {
      var input = document.getElementById("reg-license");
      problems["organization.license_upload_id"] = input.getAttribute("aria-invalid")
        ? (document.getElementById("reg-license-error").textContent.replace(/^错误：/, "") || "请重新上传营业执照图片")
        : "请上传营业执照图片（JPEG 或 PNG）";
    }
    return problems;
  });
}

/* With a problem the page found itself (an empty field, the two passwords), the server's checks of the whole form
   are added (POST /accounts/checks registers nothing and reads no SMS code), one message per field: every problem
   shows after one 提交. Without one, 提交 goes ahead and the server answers every problem at once anyway. */
function withServerChecks(form, license, problems) {
  if (!hasProblems(problems)) {
    return problems;
  }
  var body = collect(form);
  if (isLegal(form)) {
    body.organization.license_upload_id = license.uploadId || "";
  }
  return Api.post("/accounts/checks", body).then(function (answer) {
    Object.keys(answer.fields).forEach(function (name) {
      problems[name] = problems[name] || answer.fields[name];
    });
    return problems;
  }, function () {
    return problems; // the page's own checks still stand
  });
}

function start(form) {
  form.hidden = false;
  smsParts(form, "register").captcha.refresh();
  accountType(form);
  var quietNameStatus = loginNameCheck(form);
  idTypeHint(form);
  var license = licenseUpload();
  bindSubmit(form, {
    statusLine: document.getElementById("register-status"),
    statusText: "正在提交注册信息，请稍候…",
    check: function (problems) {
      quietNameStatus();
      checkSame(form, "password", "password_confirm", "两次输入的密码不一致", problems);
      return Promise.resolve(isLegal(form) ? checkLicence(license, problems) : problems).then(function (found) {
        return withServerChecks(form, license, found);
      });
    },
    send: function (body) {
      if (isLegal(form)) {
        body.organization.license_upload_id = license.uploadId;
      }
      return Api.post("/accounts", body);
    },
    done: function (account) {
      done(form, account);
    }
  });
}

boot({ page: "register-form", start: start });
