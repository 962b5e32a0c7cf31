/* 找回密码 (/password-reset/): 登录名 + registered phone + SMS code (purpose reset_password) → POST /api/password-resets. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;

  function done(form) {
    form.hidden = true;
    document.getElementById("reset-errors").hidden = true;
    var panel = document.getElementById("reset-done");
    panel.hidden = false;
    panel.focus();
    panel.scrollIntoView({ block: "center" });
  }

  function init() {
    var form = document.getElementById("reset-form");
    if (!form || !Api || !F) {
      return;
    }
    form.hidden = false;
    var parts = F.smsParts(form, "reset_password");
    parts.captcha.refresh();

    var button = form.querySelector(".button-submit");
    var out = document.getElementById("reset-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (F.isBusy(button)) {
        return;
      }
      F.clearErrors(form);
      var problems = F.checkRequired(form);
      F.checkSame(form, "new_password", "new_password_confirm", "两次输入的新密码不一致", problems);
      if (F.hasProblems(problems)) {
        F.showErrors(form, { fields: problems, message: "请检查填写的内容" });
        return;
      }
      var body = F.collect(form);
      F.busy(button, true, "正在提交…");
      F.status(out, "正在重置密码，请稍候…");
      Api.post("/password-resets", {
        login_name: body.login_name, phone: body.phone, sms_code: body.sms_code, new_password: body.new_password
      }).then(function () {
        F.busy(button, false);
        F.status(out, "");
        done(form);
      }, function (error) {
        F.busy(button, false);
        F.status(out, "");
        F.showErrors(form, error);
      });
    });
  }

  if (F) {
    F.onReady(init);
  }
})();
