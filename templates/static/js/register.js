/* 用户注册 (/register/): 自然人 or 法人, the live 登录名 check, the 营业执照图片 upload, 获取验证码, POST /api/accounts. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;
  var CHECK_DELAY_MS = 400;
  var LICENSE_TYPES = ["image/jpeg", "image/png"];
  var LICENSE_MAX_BYTES = 5 * 1024 * 1024;
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

  /* 登录名: asks the API while the user types (debounced): 可以使用, 已被注册, or what is wrong with it. */
  function loginNameCheck(form) {
    var input = F.control(form, "login_name");
    var out = document.getElementById(input.id + "-status");
    var timer = null;
    var sequence = 0;
    var show = function (message, kind) {
      out.textContent = message;
      out.className = "field-status" + (kind ? " is-" + kind : "");
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var name = input.value.trim();
      var mine = (sequence += 1);
      if (!name) {
        show("", "");
        return;
      }
      timer = window.setTimeout(function () {
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
            show((error.fields && error.fields.login_name) || error.message, "bad");
          } else {
            show("暂时无法检查登录名是否可用，提交时将再次检查", "");
          }
        });
      }, CHECK_DELAY_MS);
    });
  }

  function humanSize(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  /* 营业执照图片: preview, then POST /api/uploads → multipart POST to the ticket's URL → .../complete. */
  function licenseUpload(form) {
    var input = document.getElementById("reg-license");
    var out = document.getElementById("reg-license-status");
    var preview = document.getElementById("reg-license-preview");
    var state = { uploadId: null, pending: null };

    var fail = function (message) {
      state.uploadId = null;
      state.pending = null;
      preview.hidden = true;
      F.setError(input, message);
      F.status(out, "营业执照图片未能上传，请按提示重新选择。", "error");
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
      state.uploadId = null;
      state.pending = null;
      preview.hidden = true;
      F.setError(input, "");
      F.status(out, "");
      if (!file) {
        return;
      }
      if (LICENSE_TYPES.indexOf(file.type) === -1) {
        fail("营业执照图片只接受 JPEG 或 PNG 格式");
        return;
      }
      if (file.size === 0 || file.size > LICENSE_MAX_BYTES) {
        fail(file.size ? "营业执照图片不能超过 5 MB" : "所选文件是空的，请重新选择");
        return;
      }
      showPreview(file);
      F.status(out, "正在上传营业执照图片…");
      var ticketRequest = {
        purpose: "business_license", filename: file.name.slice(-200), content_type: file.type, size: file.size
      };
      var mine = Api.post("/uploads", ticketRequest).then(function (ticket) {
        return Api.upload(ticket, file).then(function () {
          return Api.post("/uploads/" + encodeURIComponent(ticket.upload_id) + "/complete");
        }).then(function () {
          return ticket.upload_id;
        });
      }).then(function (uploadId) {
        if (state.pending === mine) {
          state.uploadId = uploadId;
          F.status(out, "营业执照图片已上传：" + file.name, "success");
        }
      }, function (error) {
        if (state.pending === mine) {
          var fields = error.fields || {};
          fail(fields.file || fields.content_type || fields.size || error.message);
        }
      });
      state.pending = mine;
    });
    return state;
  }

  function idTypeHint(form) {
    var select = F.control(form, "organization.legal_representative_id_type");
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
    var next = Api.safeNext(new URLSearchParams(window.location.search).get("next"));
    if (next) {
      var link = document.getElementById("register-login-link");
      link.href = link.getAttribute("href") + "?next=" + encodeURIComponent(next);
    }
    panel.hidden = false;
    panel.focus();
    panel.scrollIntoView({ block: "center" });
  }

  function submit(form, license) {
    var button = form.querySelector(".button-submit");
    var out = document.getElementById("register-status");
    if (F.isBusy(button)) {
      return;
    }
    F.clearErrors(form);
    var legal = isLegal(form);
    var problems = F.checkRequired(form);
    F.checkSame(form, "password", "password_confirm", "两次输入的密码不一致", problems);
    busy(true);
    // An upload still on its way is waited for, so a quick 提交 after choosing the file still works.
    Promise.resolve(legal ? license.pending : null).then(function () {
      if (legal && !license.uploadId) {
        var licenseInput = document.getElementById("reg-license");
        problems["organization.license_upload_id"] = licenseInput.getAttribute("aria-invalid")
          ? (document.getElementById("reg-license-error").textContent.replace(/^错误：/, "") || "请重新上传营业执照图片")
          : "请上传营业执照图片（JPEG 或 PNG）";
      }
      if (F.hasProblems(problems)) {
        busy(false);
        F.showErrors(form, { fields: problems, message: "请检查填写的内容" });
        return null;
      }
      var body = F.collect(form);
      if (legal) {
        body.organization.license_upload_id = license.uploadId;
      }
      return Api.post("/accounts", body).then(function (account) {
        busy(false);
        done(form, account);
      }, function (error) {
        busy(false);
        F.showErrors(form, error);
      });
    });

    function busy(on) {
      F.busy(button, on, "正在提交…");
      F.status(out, on ? "正在提交注册信息，请稍候…" : "");
    }
  }

  function init() {
    var form = document.getElementById("register-form");
    if (!form || !Api || !F) {
      return;
    }
    form.hidden = false;
    var parts = F.smsParts(form, "register");
    parts.captcha.refresh();
    accountType(form);
    loginNameCheck(form);
    idTypeHint(form);
    var license = licenseUpload(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(form, license);
    });
  }

  if (F) {
    F.onReady(init);
  }
})();
