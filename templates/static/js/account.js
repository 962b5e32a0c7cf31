/* 个人中心 (/account/): the profile from GET /api/me (masked), PATCH /api/me (电子邮箱, 手机 with an SMS code
   to the new number, 经办人), POST /api/me/password, 退出. A visitor who is not signed in goes to 登录 first. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;
  var TYPE_LABELS = { natural: "自然人", legal: "法人" };

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
    var form = document.getElementById("profile-form");
    F.control(form, "email").value = account.email || "";
    if (legal) {
      var org = account.organization;
      F.control(form, "organization.handler_name").value = org.handler_name;
      document.getElementById("acc-handler-id-hint").textContent = "当前：" + org.handler_id_number + "。不修改请留空。";
      document.getElementById("acc-handler-phone-hint").textContent = "当前：" + org.handler_phone + "。不修改请留空。";
    }
  }

  function toLogin(page) {
    var here = window.location.pathname + window.location.search + window.location.hash;
    window.location.replace(page.getAttribute("data-login") + "?next=" + encodeURIComponent(here));
  }

  function profileForm(page, state) {
    var form = document.getElementById("profile-form");
    var phone = F.control(form, "phone");
    var verify = document.getElementById("acc-phone-verify");
    var parts = F.smsParts(form, "change_phone");
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

    var button = form.querySelector(".button-submit");
    var out = document.getElementById("edit-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (F.isBusy(button)) {
        return;
      }
      F.clearErrors(form);
      F.status(out, "");
      var problems = F.checkRequired(form);
      if (F.hasProblems(problems)) {
        F.showErrors(form, { fields: problems, message: "请检查填写的内容" });
        return;
      }
      var values = F.collect(form);
      var body = { email: values.email };
      if (values.phone) {
        body.phone = values.phone;
        body.sms_code = values.sms_code;
      }
      if (isLegal(state.account)) {
        var org = { handler_name: values.organization.handler_name };
        if (values.organization.handler_id_number) {
          org.handler_id_number = values.organization.handler_id_number;
        }
        if (values.organization.handler_phone) {
          org.handler_phone = values.organization.handler_phone;
        }
        body.organization = org;
      }
      F.busy(button, true, "正在保存…");
      Api.patch("/me", body).then(function (account) {
        F.busy(button, false);
        state.account = account;
        ["phone", "sms_code", "organization.handler_id_number", "organization.handler_phone"].forEach(function (name) {
          var input = F.control(form, name);
          if (input) {
            input.value = "";
          }
        });
        verify.hidden = true;
        render(page, account);
        F.status(out, body.phone ? "您的信息已保存，手机号码已更换。" : "您的信息已保存。", "success");
      }, refused(page, form, button));
    });
  }

  /* A refused save: back to 登录 if the session ended, otherwise the errors beside the fields. */
  function refused(page, form, button) {
    return function (error) {
      F.busy(button, false);
      if (error.status === 401) {
        toLogin(page);
        return;
      }
      F.showErrors(form, error);
    };
  }

  function passwordForm(page) {
    var form = document.getElementById("password-form");
    var button = form.querySelector(".button-submit");
    var out = document.getElementById("password-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (F.isBusy(button)) {
        return;
      }
      F.clearErrors(form);
      F.status(out, "");
      var problems = F.checkRequired(form);
      F.checkSame(form, "new_password", "new_password_confirm", "两次输入的新密码不一致", problems);
      if (F.hasProblems(problems)) {
        F.showErrors(form, { fields: problems, message: "请检查填写的内容" });
        return;
      }
      var values = F.collect(form);
      F.busy(button, true, "正在修改…");
      Api.post("/me/password", { old_password: values.old_password, new_password: values.new_password }).then(function () {
        F.busy(button, false);
        form.reset();
        F.status(out, "密码已修改。您在其他设备和浏览器上的登录已全部退出，本设备保持登录。", "success");
      }, refused(page, form, button));
    });
  }

  function logoutButton(page) {
    var button = document.getElementById("account-logout");
    var out = document.getElementById("account-logout-status");
    button.addEventListener("click", function () {
      if (F.isBusy(button)) {
        return;
      }
      F.busy(button, true, "正在退出…");
      Api.del("/sessions/current").then(function () {
        window.location.assign(page.getAttribute("data-home"));
      }, function (error) {
        if (error.status === 401) {
          window.location.assign(page.getAttribute("data-home"));
          return;
        }
        F.busy(button, false);
        F.status(out, error.message, "error");
      });
    });
  }

  function init() {
    var page = document.getElementById("account-page");
    if (!page || !Api || !F) {
      return;
    }
    var loading = document.getElementById("account-loading");
    var state = { account: null };
    F.status(loading, "正在读取账号信息…");
    Api.me().then(function (account) {
      if (!account) {
        toLogin(page);
        return;
      }
      state.account = account;
      render(page, account);
      profileForm(page, state);
      passwordForm(page);
      logoutButton(page);
      loading.hidden = true;
      document.getElementById("account-content").hidden = false;
      var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
      if (target) {
        target.focus();
      }
    }, function (error) {
      F.status(loading, error.message + "。请稍后刷新页面重试。", "error");
    });
  }

  if (F) {
    F.onReady(init);
  }
})();
