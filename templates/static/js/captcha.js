/* The image captcha and the 获取验证码 button of the account forms (markup: templates/partials/forms.html). */

import * as Api from "./api.js";
import { status } from "./dom.js";
import { busy, control, focusField, isBusy, setError } from "./forms.js";
import { retryAfter, validFor, waitLabel } from "./lib/countdown.js";
import { maskPhone } from "./lib/format.js";

function labelOf(el) {
  return el.getAttribute("data-label") || el.name;
}

/* The image captcha of one form: single use, so it is fetched again after every attempt. */
export class Captcha {
  constructor(input) {
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
  listen() {
    if (!this.idInput.value) {
      return;
    }
    this.audio.src = "/api/captcha/" + encodeURIComponent(this.idInput.value) + "/audio";
    this.audio.hidden = false;
    var playing = this.audio.play();
    if (playing && playing.catch) {
      playing.catch(function () { /* autoplay refused: the visible controls let the user press play */ });
    }
  }

  refresh(clear) {
    var mine = (this.sequence += 1);
    this.idInput.value = "";
    if (clear) {
      this.input.value = "";
    }
    this.button.setAttribute("aria-busy", "true");
    return Api.get("/captcha").then((data) => {
      if (mine !== this.sequence) {
        return;
      }
      this.idInput.value = data.captcha_id;
      if (this.audio) {
        this.audio.hidden = true;
        this.audio.removeAttribute("src");
      }
      this.image.src = data.image;
      this.image.hidden = false;
      this.loading.hidden = true;
    }, () => {
      if (mine !== this.sequence) {
        return;
      }
      this.image.hidden = true;
      this.loading.hidden = false;
      this.loading.textContent = "验证码加载失败，点击重试";
    }).then(() => {
      if (mine === this.sequence) {
        this.button.removeAttribute("aria-busy");
      }
    });
  }

  values() {
    return { captcha_id: this.idInput.value, captcha_answer: this.input.value.trim() };
  }
}

/* 获取验证码: needs the phone and the image captcha; then a wait before the next request. */
class SmsSender {
  constructor(options) {
    Object.assign(this, options);
    this.timer = null;
    this.button.addEventListener("click", this.send.bind(this));
  }

  /* The controls still empty, each given its error; [] when the code can be asked for. */
  missing(captcha) {
    var wanted = [[this.loginName, this.loginName && this.loginName.value.trim()], [this.phone, this.phone.value.trim()],
      [this.captcha.input, captcha.captcha_answer]];
    return wanted.filter(function (pair) { return pair[0] && !pair[1]; }).map(function (pair) {
      setError(pair[0], pair[0].name === "captcha_answer" ? "请先填写图片验证码" : "请先填写" + labelOf(pair[0]));
      return pair[0];
    });
  }

  send() {
    if (isBusy(this.button)) {
      return;
    }
    [this.loginName, this.phone, this.captcha.input].forEach(function (el) {
      if (el) {
        setError(el, "");
      }
    });
    var phone = this.phone.value.trim();
    var captcha = this.captcha.values();
    var problems = this.missing(captcha);
    if (problems.length) {
      status(this.status, "获取短信验证码前，请先填写" + problems.map(labelOf).join("和") + "。", "error");
      focusField(problems[0]);
      return;
    }
    busy(this.button, true, "正在发送…");
    status(this.status, "正在发送短信验证码…");
    var body = { phone: phone, purpose: this.purpose, captcha_id: captcha.captcha_id, captcha_answer: captcha.captcha_answer };
    if (this.loginName) {
      body.login_name = this.loginName.value.trim();
    }
    Api.post("/sms-codes", body).then((answer) => {
      busy(this.button, false);
      // For 找回密码 the API does not say whether the name and the phone belong together: neither does the page.
      var sent = this.loginName ? "如登录名与注册手机号一致，短信验证码已发送到 " : "短信验证码已发送到 ";
      status(this.status, sent + maskPhone(phone) + "，" + validFor(answer.expires_in) + "，请查收后填写。", "success");
      this.countdown(answer.retry_after);
      if (this.codeInput) {
        this.codeInput.focus();
      }
    }, (error) => {
      busy(this.button, false);
      this.refused(error);
    }).then(() => {
      this.captcha.refresh(true); // spent by this request, right or wrong
    });
  }

  refused(error) {
    var fields = error.fields || {};
    [[this.phone, fields.phone], [this.captcha.input, fields.captcha_answer], [this.loginName, fields.login_name]].forEach(function (pair) {
      if (pair[0] && pair[1]) {
        setError(pair[0], pair[1]);
      }
    });
    status(this.status, error.message, "error");
    // Counted down only for the resend interval: a daily cap or the address limit waits hours, said in words.
    var wait = error.code === "sms_too_frequent" ? retryAfter(error) : null;
    if (wait) {
      this.countdown(wait);
    }
    if (fields.captcha_answer) {
      this.captcha.input.focus();
    } else if (fields.phone) {
      this.phone.focus();
    }
  }

  countdown(seconds) {
    var left = seconds;
    window.clearInterval(this.timer);
    this.button.setAttribute("aria-disabled", "true");
    this.button.classList.add("is-waiting");
    var tick = () => {
      var label = waitLabel(left);
      if (!label) {
        window.clearInterval(this.timer);
        this.button.removeAttribute("aria-disabled");
        this.button.classList.remove("is-waiting");
        this.button.textContent = "重新获取验证码";
        return;
      }
      this.button.textContent = label;
      left -= 1;
    };
    tick();
    this.timer = window.setInterval(tick, 1000);
  }
}

/* Wire the captcha and 获取验证码 of a form that has both; returns {captcha, sms}. */
export function smsParts(form, purpose) {
  var captcha = new Captcha(control(form, "captcha_answer"));
  var codeInput = control(form, "sms_code");
  var sms = new SmsSender({
    phone: control(form, "phone"), captcha: captcha, purpose: purpose, button: form.querySelector("[data-sms-send]"),
    loginName: purpose === "reset_password" ? control(form, "login_name") : null,
    codeInput: codeInput, status: document.getElementById(codeInput.id + "-sms-status")
  });
  return { captcha: captcha, sms: sms };
}
