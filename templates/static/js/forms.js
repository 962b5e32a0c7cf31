/* window.PortalForms: what the account pages' forms share — errors next to each field and in a summary,
   reading the form into the API's JSON, the image captcha, and the 获取验证码 button with its countdown.
   Markup comes from templates/partials/forms.html: a field's error slot is #<id>-error, its name is the
   API's field name ("organization.credit_code"), and data-local marks controls that are never sent. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var SMS_WAIT_SECONDS = 60;

  function each(list, callback) {
    Array.prototype.forEach.call(list, callback);
  }

  function isDisabled(el) {
    return el.matches(":disabled");
  }

  function isShown(el) {
    return !el.closest("[hidden]");
  }

  function labelOf(el) {
    return el.getAttribute("data-label") || el.name;
  }

  /* The control an API field belongs to: by name, or one that lists it in data-error-for. */
  function control(form, name) {
    var found = null;
    each(form.elements, function (el) {
      if (!found && el.name === name) {
        found = el;
      }
    });
    each(form.elements, function (el) {
      var also = (el.getAttribute("data-error-for") || "").split(/\s+/);
      if (!found && also.indexOf(name) !== -1) {
        found = el;
      }
    });
    return found;
  }

  function setError(el, message) {
    var slot = el.id ? document.getElementById(el.id + "-error") : null;
    if (slot) {
      slot.textContent = "";
      if (message) {
        var prefix = document.createElement("span");
        prefix.className = "visually-hidden";
        prefix.textContent = "错误：";
        slot.appendChild(prefix);
        slot.appendChild(document.createTextNode(message));
      }
      slot.hidden = !message;
    }
    if (message) {
      el.setAttribute("aria-invalid", "true");
    } else {
      el.removeAttribute("aria-invalid");
    }
    var wrap = el.closest(".field");
    if (wrap) {
      wrap.classList.toggle("has-error", Boolean(message));
    }
  }

  function summaryOf(form) {
    return document.getElementById(form.getAttribute("data-errors"));
  }

  function clearErrors(form) {
    each(form.querySelectorAll("[aria-invalid]"), function (el) {
      setError(el, "");
    });
    var summary = summaryOf(form);
    if (summary) {
      summary.hidden = true;
    }
  }

  function focusField(el) {
    el.focus();
    var wrap = el.closest(".field") || el;
    wrap.scrollIntoView({ block: "center" });
  }

  /* Show an ApiError (or {fields, message}) beside its fields and as a linked list at the top, then focus it. */
  function showErrors(form, error) {
    var fields = error.fields || {};
    var items = [];
    Object.keys(fields).forEach(function (name) {
      var el = control(form, name);
      if (el) {
        setError(el, fields[name]);
      }
      items.push({ el: el, message: fields[name] });
    });
    if (!items.length) {
      items.push({ el: null, message: error.message });
    }
    // In the order of the form, so the list reads top to bottom like the page.
    items.sort(function (a, b) {
      if (!a.el || !b.el) {
        return a.el ? 1 : b.el ? -1 : 0;
      }
      return a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var summary = summaryOf(form);
    if (!summary) {
      return;
    }
    var list = summary.querySelector("ul");
    list.textContent = "";
    var seen = {};
    items.forEach(function (item) {
      // "登录名：该名称已被注册", but not "真实姓名：请填写真实姓名".
      var text = !item.el || item.message.indexOf(labelOf(item.el)) !== -1 ? item.message : labelOf(item.el) + "：" + item.message;
      if (seen[text]) {
        return; // one line for "登录名或密码错误", given for both fields
      }
      seen[text] = true;
      var li = document.createElement("li");
      if (item.el && item.el.id) {
        var link = document.createElement("a");
        link.href = "#" + item.el.id;
        link.textContent = text;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          focusField(item.el);
        });
        li.appendChild(link);
      } else {
        li.textContent = text;
      }
      list.appendChild(li);
    });
    summary.hidden = false;
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }

  /* Empty required controls that are shown and enabled: {name: "请填写…"}. */
  function checkRequired(form) {
    var problems = {};
    each(form.elements, function (el) {
      var skip = !el.required || !el.name || el.type === "file" || el.hasAttribute("data-no-check") || isDisabled(el) ||
        !isShown(el) || problems[el.name];
      if (skip) {
        return;
      }
      if (el.type === "checkbox") {
        if (!el.checked) {
          problems[el.name] = el.getAttribute("data-required-message") || "请勾选" + labelOf(el);
        }
      } else if (el.type === "radio") {
        if (!form.querySelector('input[name="' + el.name + '"]:checked')) {
          problems[el.name] = "请选择" + labelOf(el);
        }
      } else if (!el.value.trim()) {
        problems[el.name] = (el.tagName === "SELECT" ? "请选择" : "请填写") + labelOf(el);
      }
    });
    return problems;
  }

  /* The confirmation field must repeat the first; adds the problem to `problems`. */
  function checkSame(form, firstName, secondName, message, problems) {
    var first = control(form, firstName);
    var second = control(form, secondName);
    if (first && second && second.value && first.value !== second.value && !problems[secondName]) {
      problems[secondName] = message;
    }
    return problems;
  }

  function hasProblems(problems) {
    return Object.keys(problems).length > 0;
  }

  function assign(target, path, value) {
    var node = target;
    for (var i = 0; i < path.length - 1; i += 1) {
      node[path[i]] = node[path[i]] || {};
      node = node[path[i]];
    }
    node[path[path.length - 1]] = value;
  }

  /* The form as the API's JSON: dotted names nest ("organization.name"), checkboxes become booleans. */
  function collect(form) {
    var data = {};
    each(form.elements, function (el) {
      var skip = !el.name || el.hasAttribute("data-local") || isDisabled(el) || el.type === "file" ||
        el.type === "submit" || el.type === "button" || el.tagName === "FIELDSET" || (el.type === "radio" && !el.checked);
      if (skip) {
        return;
      }
      var value = el.type === "checkbox" ? el.checked : el.type === "password" ? el.value : el.value.trim();
      assign(data, el.name.split("."), value);
    });
    return data;
  }

  function status(el, message, kind) {
    if (!el) {
      return;
    }
    el.textContent = message || "";
    el.classList.toggle("is-error", kind === "error");
    el.classList.toggle("is-success", kind === "success");
  }

  /* A busy button stays focusable (aria-disabled), so a keyboard user's place is not lost. */
  function busy(button, on, text) {
    if (on) {
      button.setAttribute("data-label", button.textContent);
      button.textContent = text || "正在提交…";
      button.setAttribute("aria-disabled", "true");
    } else {
      button.textContent = button.getAttribute("data-label") || button.textContent;
      button.removeAttribute("aria-disabled");
    }
  }

  function isBusy(button) {
    return button.getAttribute("aria-disabled") === "true";
  }

  /* The image captcha of one form: single use, so it is fetched again after every attempt. */
  function Captcha(input) {
    var field = input.closest(".field");
    this.input = input;
    this.button = field.querySelector("[data-captcha-refresh]");
    this.image = this.button.querySelector("img");
    this.loading = this.button.querySelector(".captcha-loading");
    this.idInput = field.querySelector('input[name="captcha_id"]');
    this.sequence = 0;
    this.button.addEventListener("click", this.refresh.bind(this, true));
    this.listenButton = field.querySelector("[data-captcha-listen]");
    this.audio = field.querySelector("[data-captcha-audio]");
    if (this.listenButton && this.audio) {
      this.listenButton.addEventListener("click", this.listen.bind(this));
    }
  }

  /* Play the current challenge aloud (the API speaks the same characters as the picture). */
  Captcha.prototype.listen = function () {
    if (!this.idInput.value) {
      return;
    }
    this.audio.src = "/api/captcha/" + encodeURIComponent(this.idInput.value) + "/audio";
    this.audio.hidden = false;
    var playing = this.audio.play();
    if (playing && playing.catch) {
      playing.catch(function () { /* autoplay refused: the visible controls let the user press play */ });
    }
  };

  Captcha.prototype.refresh = function (clear) {
    var self = this;
    var mine = (self.sequence += 1);
    self.idInput.value = "";
    if (clear) {
      self.input.value = "";
    }
    self.button.setAttribute("aria-busy", "true");
    return Api.get("/captcha").then(function (data) {
      if (mine !== self.sequence) {
        return;
      }
      self.idInput.value = data.captcha_id;
      if (self.audio) {
        self.audio.hidden = true;
        self.audio.removeAttribute("src");
      }
      self.image.src = data.image;
      self.image.hidden = false;
      self.loading.hidden = true;
    }, function () {
      if (mine !== self.sequence) {
        return;
      }
      self.image.hidden = true;
      self.loading.hidden = false;
      self.loading.textContent = "验证码加载失败，点击重试";
    }).then(function () {
      if (mine === self.sequence) {
        self.button.removeAttribute("aria-busy");
      }
    });
  };

  Captcha.prototype.values = function () {
    return { captcha_id: this.idInput.value, captcha_answer: this.input.value.trim() };
  };

  /* 获取验证码: needs the phone and the image captcha; then 60 seconds before the next request. */
  function SmsSender(options) {
    this.form = options.form;
    this.phone = options.phone;
    this.captcha = options.captcha;
    this.purpose = options.purpose;
    this.loginName = options.loginName || null; // 找回密码: the code goes only to that account's phone
    this.button = options.button;
    this.codeInput = options.codeInput;
    this.status = options.status;
    this.timer = null;
    this.button.addEventListener("click", this.send.bind(this));
  }

  SmsSender.prototype.send = function () {
    var self = this;
    if (isBusy(self.button)) {
      return;
    }
    setError(self.phone, "");
    setError(self.captcha.input, "");
    var phone = self.phone.value.trim();
    var captcha = self.captcha.values();
    var problems = [];
    if (self.loginName) {
      setError(self.loginName, "");
      if (!self.loginName.value.trim()) {
        setError(self.loginName, "请先填写" + labelOf(self.loginName));
        problems.push(self.loginName);
      }
    }
    if (!phone) {
      setError(self.phone, "请先填写" + labelOf(self.phone));
      problems.push(self.phone);
    }
    if (!captcha.captcha_answer) {
      setError(self.captcha.input, "请先填写图片验证码");
      problems.push(self.captcha.input);
    }
    if (problems.length) {
      status(self.status, "获取短信验证码前，请先填写" + problems.map(labelOf).join("和") + "。", "error");
      focusField(problems[0]);
      return;
    }
    busy(self.button, true, "正在发送…");
    status(self.status, "正在发送短信验证码…");
    var body = { phone: phone, purpose: self.purpose, captcha_id: captcha.captcha_id, captcha_answer: captcha.captcha_answer };
    if (self.loginName) {
      body.login_name = self.loginName.value.trim();
    }
    Api.post("/sms-codes", body).then(function () {
      busy(self.button, false);
      // For 找回密码 the API does not say whether the name and the phone belong together: neither does the page.
      var sent = self.loginName ? "如登录名与注册手机号一致，短信验证码已发送到 " : "短信验证码已发送到 ";
      status(self.status, sent + maskPhone(phone) + "，5分钟内有效，请查收后填写。", "success");
      self.countdown(SMS_WAIT_SECONDS);
      if (self.codeInput) {
        self.codeInput.focus();
      }
    }, function (error) {
      busy(self.button, false);
      var fields = error.fields || {};
      if (fields.phone) {
        setError(self.phone, fields.phone);
      }
      if (fields.captcha_answer) {
        setError(self.captcha.input, fields.captcha_answer);
      }
      if (fields.login_name && self.loginName) {
        setError(self.loginName, fields.login_name);
      }
      status(self.status, error.message, "error");
      var wait = /(\d+)\s*秒/.exec(error.message || "");
      if (error.code === "sms_too_frequent" && wait) {
        self.countdown(parseInt(wait[1], 10));
      }
      if (fields.captcha_answer) {
        self.captcha.input.focus();
      } else if (fields.phone) {
        self.phone.focus();
      }
    }).then(function () {
      self.captcha.refresh(true); // spent by this request, right or wrong
    });
  };

  SmsSender.prototype.countdown = function (seconds) {
    var self = this;
    var left = seconds;
    window.clearInterval(self.timer);
    self.button.setAttribute("aria-disabled", "true");
    self.button.classList.add("is-waiting");
    var tick = function () {
      if (left <= 0) {
        window.clearInterval(self.timer);
        self.button.removeAttribute("aria-disabled");
        self.button.classList.remove("is-waiting");
        self.button.textContent = "重新获取验证码";
        return;
      }
      self.button.textContent = left + " 秒后可重新获取";
      left -= 1;
    };
    tick();
    self.timer = window.setInterval(tick, 1000);
  };

  function maskPhone(phone) {
    var digits = phone.replace(/\D/g, "").slice(-11);
    return digits.length === 11 ? digits.slice(0, 3) + "****" + digits.slice(7) : phone;
  }

  /* Wire the captcha and 获取验证码 of a form that has both; returns {captcha, sms}. */
  function smsParts(form, purpose) {
    var captchaInput = control(form, "captcha_answer");
    var captcha = new Captcha(captchaInput);
    var button = form.querySelector("[data-sms-send]");
    var codeInput = control(form, "sms_code");
    var sms = new SmsSender({
      form: form, phone: control(form, "phone"), captcha: captcha, purpose: purpose, button: button,
      loginName: purpose === "reset_password" ? control(form, "login_name") : null,
      codeInput: codeInput, status: document.getElementById(codeInput.id + "-sms-status")
    });
    return { captcha: captcha, sms: sms };
  }

  function onReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  window.PortalForms = {
    control: control,
    setError: setError,
    clearErrors: clearErrors,
    showErrors: showErrors,
    checkRequired: checkRequired,
    checkSame: checkSame,
    hasProblems: hasProblems,
    collect: collect,
    status: status,
    busy: busy,
    isBusy: isBusy,
    focusField: focusField,
    Captcha: Captcha,
    SmsSender: SmsSender,
    smsParts: smsParts,
    maskPhone: maskPhone,
    onReady: onReady
  };
})();
