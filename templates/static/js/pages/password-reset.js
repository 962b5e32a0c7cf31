/* 找回密码 (/password-reset/): 登录名 + registered phone + SMS code (purpose reset_password) → POST /api/password-resets. */

import * as Api from "../api.js";
import { boot } from "../boot.js";
import { smsParts } from "../captcha.js";
import { bindSubmit, checkSame } from "../forms.js";

function done(form) {
  form.hidden = true;
  document.getElementById("reset-errors").hidden = true;
  var panel = document.getElementById("reset-done");
  panel.hidden = false;
  panel.focus();
  panel.scrollIntoView({ block: "center" });
}

function start(form) {
  form.hidden = false;
  smsParts(form, "reset_password").captcha.refresh();
  bindSubmit(form, {
    statusLine: document.getElementById("reset-status"),
    statusText: "正在重置密码，请稍候…",
    check: function (problems) {
      return checkSame(form, "new_password", "new_password_confirm", "两次输入的新密码不一致", problems);
    },
    send: function (body) {
      return Api.post("/password-resets", {
        login_name: body.login_name, phone: body.phone, sms_code: body.sms_code, new_password: body.new_password
      });
    },
    done: function () {
      done(form);
    }
  });
}

boot({ page: "reset-form", start: start });
