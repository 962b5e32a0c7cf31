/* 个人中心 (/account/): the profile from GET /api/me (masked), PATCH /api/me (电子邮箱, 手机 with an SMS code
   to the new number, 经办人), POST /api/me/password, 退出; 经办人管理 and 我的单位 (account/handlers.js). Always the
   person's own account, also while acting for an organisation. A visitor who is not signed in goes to 登录 first. */

import { startHandlers } from "../account/handlers.js";
import * as Api from "../api.js";
import { boot } from "../boot.js";
import { smsParts } from "../captcha.js";
import { status } from "../dom.js";
import { bindSubmit, busy, checkSame, control, isBusy } from "../forms.js";

var TYPE_LABELS = { natural: "自然人", legal: "法人" };
// Typed only to change them: emptied once saved.
var CHANGE_ONLY = ["phone", "sms_code", "organization.handler_id_number", "organization.handler_phone"];

function profileValue(account, key) {
  if (key === "account_type_label") {
    return TYPE_LABELS[account.account_type] || account.account_type;
  }
  return key.split(".").reduce(function (node, part) {
    return node === null || node === undefined ? null : node[part];
  }, account);
}

function isLegal(account) {
  return account.account_type === "legal" && Boolean(account.organization);
}

function render(page, account) {
  page.querySelectorAll("[data-profile]").forEach(function (el) {
    var value = profileValue(account, el.getAttribute("data-profile"));
    el.textContent = value === null || value === undefined || value === "" ? "—" : value;
  });
  var legal = isLegal(account);
  page.querySelectorAll("[data-legal]").forEach(function (section) {
    section.hidden = !legal;
    if (section.tagName === "FIELDSET") {
      section.disabled = !legal;
    }
  });
  var natural = account.account_type === "natural" && account.role !== "staff";
  page.querySelectorAll("[data-natural]").forEach(function (section) {
    section.hidden = !natural;
  });
  var form = document.getElementById("profile-form");
  control(form, "email").value = account.email || "";
  if (legal) {
    var org = account.organization;
    control(form, "organization.handler_name").value = org.handler_name;
    document.getElementById("acc-handler-id-hint").textContent = "当前：" + org.handler_id_number + "。不修改请留空。";
    document.getElementById("acc-handler-phone-hint").textContent = "当前：" + org.handler_phone + "。不修改请留空。";
  }
}

/* PATCH /me sends only what changes: the phone with its code, the 经办人's numbers when typed. */
function profileChanges(values, account) {
  var body = { email: values.email };
  if (values.phone) {
    body.phone = values.phone;
    body.sms_code = values.sms_code;
  }
  if (isLegal(account)) {
    var typed = values.organization;
    body.organization = { handler_name: typed.handler_name };
    ["handler_id_number", "handler_phone"].forEach(function (key) {
      if (typed[key]) {
        body.organization[key] = typed[key];
      }
    });
  }
  return body;
}

function profileForm(page, state) {
  var form = document.getElementById("profile-form");
  var phone = control(form, "phone");
  var verify = document.getElementById("acc-phone-verify");
  var parts = smsParts(form, "change_phone");
  var captchaLoaded = false;
  // The captcha and SMS code are only needed for a new phone number: shown once one is typed.
  phone.addEventListener("input", function () {
    var changing = phone.value.trim() !== "";
    verify.hidden = !changing;
    if (changing && !captchaLoaded) {
      captchaLoaded = true;
      parts.captcha.refresh();
    }
  });
  var out = document.getElementById("edit-status");
  var body = null;
  bindSubmit(form, {
    busyText: "正在保存…",
    check: function (problems) {
      status(out, "");
      return problems;
    },
    send: function (values) {
      body = profileChanges(values, state.account);
      return Api.patch("/me", body);
    },
    done: function (account) {
      state.account = account;
      CHANGE_ONLY.forEach(function (name) {
        var input = control(form, name);
        if (input) {
          input.value = "";
        }
      });
      verify.hidden = true;
      render(page, account);
      status(out, body.phone ? "您的信息已保存，手机号码已更换。" : "您的信息已保存。", "success");
    }
  });
}

function passwordForm() {
  var form = document.getElementById("password-form");
  var out = document.getElementById("password-status");
  bindSubmit(form, {
    busyText: "正在修改…",
    check: function (problems) {
      status(out, "");
      return checkSame(form, "new_password", "new_password_confirm", "两次输入的新密码不一致", problems);
    },
    send: function (values) {
      return Api.post("/me/password", { old_password: values.old_password, new_password: values.new_password });
    },
    done: function () {
      form.reset();
      status(out, "密码已修改。您在其他设备和浏览器上的登录已全部退出，本设备保持登录。", "success");
    }
  });
}

function logoutButton(page) {
  var button = document.getElementById("account-logout");
  var out = document.getElementById("account-logout-status");
  var home = function () {
    window.location.assign(page.getAttribute("data-home"));
  };
  button.addEventListener("click", function () {
    if (isBusy(button)) {
      return;
    }
    busy(button, true, "正在退出…");
    Api.del("/sessions/current", { expect401: true }).then(home, function (error) {
      if (error.status === 401) {
        home(); // the session had already ended
        return;
      }
      busy(button, false);
      status(out, error.message, "error");
    });
  });
}

function start(page, account) {
  var state = { account: account };
  render(page, account);
  profileForm(page, state);
  passwordForm();
  logoutButton(page);
  startHandlers(page, account);
  document.getElementById("account-loading").hidden = true;
  document.getElementById("account-content").hidden = false;
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target) {
    target.focus();
  }
}

boot({ page: "account-page", prefix: "account", loadingText: "正在读取账号信息…", signIn: true, start: start });
