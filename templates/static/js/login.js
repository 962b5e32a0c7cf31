/* 用户登录 (/login/): POST /api/sessions with the image captcha (a new one after each failure),
   then back to ?next= (a path on this site only) or the region's home page. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;
  var ACCOUNT_PAGES = /^\/(login|register|password-reset)\//;

  function destination() {
    var next = Api.safeNext(new URLSearchParams(window.location.search).get("next"));
    return next && !ACCOUNT_PAGES.test(next) ? next : null;
  }

  function showSignedIn(account) {
    var notice = document.getElementById("login-signed-in");
    notice.querySelector("[data-signed-in-name]").textContent = account.display_name;
    notice.hidden = false;
  }

  function init() {
    var form = document.getElementById("login-form");
    if (!form || !Api || !F) {
      return;
    }
    form.hidden = false;
    var next = destination();
    var target = next || form.getAttribute("data-home");
    var register = document.getElementById("login-register-link");
    if (next && register) {
      register.href = register.getAttribute("href") + "?next=" + encodeURIComponent(next);
    }
    var captcha = new F.Captcha(F.control(form, "captcha_answer"));
    captcha.refresh();
    Api.me().then(function (account) {
      if (account) {
        showSignedIn(account);
      }
    }, function () {});

    var button = form.querySelector(".button-submit");
    var out = document.getElementById("login-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (F.isBusy(button)) {
        return;
      }
      F.clearErrors(form);
      var problems = F.checkRequired(form);
      if (F.hasProblems(problems)) {
        F.showErrors(form, { fields: problems, message: "请检查填写的内容" });
        return;
      }
      var body = F.collect(form);
      var answer = captcha.values();
      body.captcha_id = answer.captcha_id;
      body.captcha_answer = answer.captcha_answer;
      F.busy(button, true, "正在登录…");
      F.status(out, "正在登录，请稍候…");
      Api.post("/sessions", body).then(function () {
        F.status(out, "登录成功，正在跳转…", "success");
        window.location.assign(target);
      }, function (error) {
        F.busy(button, false);
        F.status(out, "");
        F.showErrors(form, error);
        captcha.refresh(true);
      });
    });
  }

  if (F) {
    F.onReady(init);
  }
})();
