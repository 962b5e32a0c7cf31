/* 我的预约 (/my/appointments/): GET /api/appointments, the latest first. A booked appointment that is still
   cancellable (up to the day before, China time) has 取消预约, asked once more before DELETE /api/appointments/{id}. */

import * as Api from "../api.js";
import { statusBadge } from "../applications/views.js";
import { boot, loading, showProblem } from "../boot.js";
import { clear, el, hiddenText, status } from "../dom.js";

// The badges' colours, borrowed from the application statuses that read the same (在办 / 已撤回).
var BADGE_LOOKS = { booked: "accepted", cancelled: "withdrawn" };

function when(appointment) {
  return appointment.start.slice(0, 10) + " " + appointment.start.slice(11, 16) + "—" + appointment.end.slice(11, 16);
}

function cancelAction(cell, appointment) {
  var ask = el("button", { type: "button", class: "button button-secondary row-action" },
    ["取消预约", hiddenText("：" + appointment.subitem_name + " " + when(appointment))]);
  ask.addEventListener("click", function () {
    var yes = el("button", { type: "button", class: "button button-primary row-action" }, "确定取消");
    var no = el("button", { type: "button", class: "button button-secondary row-action" }, "不取消");
    clear(cell).append(el("span", null, "确定取消该预约？"), yes, no);
    yes.focus();
    no.addEventListener("click", function () {
      clear(cell).append(ask);
      ask.focus();
    });
    yes.addEventListener("click", function () {
      yes.disabled = true;
      Api.del("/appointments/" + encodeURIComponent(appointment.appointment_id)).then(function () {
        status(document.getElementById("appointments-status"), "已取消 " + when(appointment) + " 的预约", "success");
        return reload();
      }, function (error) {
        status(document.getElementById("appointments-status"), error.message, "error");
        clear(cell).append(ask);
      });
    });
  });
  return ask;
}

function row(appointment) {
  var actions = el("td", { "data-label": "操作", class: "row-actions" });
  if (appointment.cancellable) {
    actions.append(cancelAction(actions, appointment));
  } else {
    actions.append(el("span", { class: "none" }, appointment.status === "booked" ? "不可取消" : "—"));
  }
  return el("tr", { "data-appointment-id": appointment.appointment_id }, [
    el("th", { scope: "row", "data-label": "事项名称" }, el("a", { href: appointment.guide_url }, appointment.subitem_name)),
    el("td", { "data-label": "预约时间" }, when(appointment)),
    el("td", { "data-label": "办理地点" }, appointment.location),
    el("td", { "data-label": "状态" }, statusBadge(BADGE_LOOKS[appointment.status], appointment.status_label)),
    actions
  ]);
}

function reload() {
  return Api.get("/appointments").then(function (answer) {
    clear(document.getElementById("appointments-rows")).append(...answer.items.map(row));
    document.getElementById("appointments-empty").hidden = answer.items.length > 0;
    document.getElementById("appointments-table-wrap").hidden = answer.items.length === 0;
  });
}

function start() {
  reload().then(function () {
    loading("appointments", "");
    document.getElementById("appointments-content").hidden = false;
  }, function (error) {
    showProblem("appointments", "我的预约未能打开", error.message + "。请稍后刷新页面重试。");
  });
}

boot({
  page: "appointments-page", prefix: "appointments", what: "我的预约", loadingText: "正在读取您的预约…",
  signIn: true, start: start,
  role: {
    not: "staff", title: "审批人员没有“我的预约”", text: "本部门当天的预约请在审批工作台的“今日预约”中查看。",
    links: function (page) { return [{ href: page.getAttribute("data-review"), label: "进入审批工作台" }]; }
  }
});
