/* 今日预约 (GET /api/review/appointments?date=): the department's 预约办理 of a day, by time; today (China time, the
   API's default) when the page opens, another day from the date field. */

import * as Api from "../api.js";
import { clear, el } from "../dom.js";
import { failed } from "./common.js";

function appointmentRow(item) {
  return el("tr", { "data-appointment-id": item.appointment_id }, [
    el("td", { "data-label": "时段" }, item.start.slice(11, 16) + "—" + item.end.slice(11, 16)),
    el("td", { "data-label": "事项名称" }, item.subitem_name),
    el("td", { "data-label": "申请人" }, item.applicant_name),
    el("td", { "data-label": "联系电话" }, item.applicant_phone)
  ]);
}

var latest = 0; // an answer to an earlier request that comes in late is dropped

function loadDay(date) {
  var out = document.getElementById("review-appointments-status");
  var asked = ++latest;
  out.textContent = "正在读取…";
  return Api.get("/review/appointments" + (date ? "?date=" + encodeURIComponent(date) : "")).then(function (answer) {
    if (asked !== latest) {
      return;
    }
    var field = document.getElementById("review-appointments-date");
    if (!field.value) { // the day the API took (today); a day typed meanwhile stays
      field.value = answer.date;
    }
    clear(document.getElementById("review-appointments-rows")).append(...answer.items.map(appointmentRow));
    document.getElementById("review-appointments-wrap").hidden = answer.items.length === 0;
    out.textContent = answer.items.length ? answer.date + " 共 " + answer.items.length + " 个预约" : answer.date + " 暂无预约。";
  }, function (error) {
    failed(error, out);
  });
}

export function bindDayAppointments() {
  document.getElementById("review-appointments-form").addEventListener("submit", function (event) {
    event.preventDefault();
    loadDay(document.getElementById("review-appointments-date").value);
  });
  loadDay("");
}
