/* 用户登录 (/login/): POST /api/sessions with the image captcha (a new one after each failure),
   then back to ?next= (a path on this site only) or the region's home page. */

import * as Api from "../api.js";
import { boot } from "../boot.js";
import { Captcha } from "../captcha.js";
import { bindSubmit, control } from "../forms.js";
import { params, status } from "../dom.js";
import { safeNext, withNext } from "../lib/urls.js";

var ACCOUNT_PAGES = /^\/(login|register|password-reset)\//;

function destination() {
  var next = safeNext(params().get("next"), window.location.origin);
  return next && !ACCOUNT_PAGES.test(next) ? next : null;
}

function showSignedIn(account) {
  var notice = document.getElementById("login-signed-in");
  notice.querySelector("[data-signed-in-name]").textContent = account.display_name;
  notice.hidden = false;
}

function start(form, account) {
  form.hidden = false;
  var next = destination();
  var target = next || form.getAttribute("data-home");
  var register = document.getElementById("login-register-link");
  if (next && register) {
    register.href = withNext(register.getAttribute("href"), next);
  }
  var captcha = new Captcha(control(form, "captcha_answer"));
  captcha.refresh();
  if (account) {
    showSignedIn(account);
  }
  var out = document.getElementById("login-status");
  bindSubmit(form, {
    busyText: "正在登录…",
    statusLine: out,
    statusText: "正在登录，请稍候…",
    send: function (body) {
      return Api.post("/sessions", Object.assign(body, captcha.values()), { expect401: true });
    },
    done: function () {
      status(out, "登录成功，正在跳转…", "success");
      window.location.assign(target);
    },
    failed: function () {
      captcha.refresh(true);
      return false; // and the errors beside the fields
    }
  });
}

boot({ page: "login-form", start: start });
