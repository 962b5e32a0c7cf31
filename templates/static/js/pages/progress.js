/* 办件进度查询 (/progress/): POST /api/progress with the image captcha (a new one after every attempt);
   shows the status and the history the API answers. No login. */

import * as Api from "../api.js";
import { boot } from "../boot.js";
import { Captcha } from "../captcha.js";
import { bindSubmit, control } from "../forms.js";
import { formatTime } from "../lib/format.js";

var TIMES = ["submitted_at", "updated_at"];

function show(panel, answer) {
  panel.querySelectorAll("[data-progress]").forEach(function (el) {
    var name = el.getAttribute("data-progress");
    el.textContent = (TIMES.includes(name) ? formatTime(answer[name]) : answer[name]) || "—";
  });
  var history = panel.querySelector("[data-progress-history]");
  history.replaceChildren();
  answer.history.forEach(function (step) {
    var item = document.createElement("li");
    var time = document.createElement("time");
    time.className = "progress-time";
    time.dateTime = step.at;
    time.textContent = formatTime(step.at);
    item.append(time, " " + step.status_label);
    history.append(item);
  });
  panel.hidden = false;
  panel.focus();
}

function start(form) {
  form.hidden = false;
  var captcha = new Captcha(control(form, "captcha_answer"));
  captcha.refresh();
  var panel = document.getElementById("progress-result");
  bindSubmit(form, {
    busyText: "正在查询…",
    statusLine: document.getElementById("progress-status"),
    statusText: "正在查询，请稍候…",
    send: function (body) {
      panel.hidden = true;
      return Api.post("/progress", { number: body.number, name: body.name, ...captcha.values() });
    },
    done: function (answer) {
      captcha.refresh(true);
      show(panel, answer);
    },
    failed: function () {
      captcha.refresh(true);
    }
  });
}

boot({ page: "progress-form", start: start });
