/* 预约办理 (/my/appointments/new/?region=&item=): the booking window's days (GET /api/appointments/days; weekends and
   holidays shown closed), the picked day's half hours with the seats left (GET /api/appointments/slots), then
   确认预约 (POST /api/appointments) and 预约成功. A slot taken meanwhile answers 409: the day's slots are read again. */

import * as Api from "../api.js";
import { boot, loading, showProblem } from "../boot.js";
import { clear, el, params, status } from "../dom.js";
import { moveToRegion } from "../lib/regions.js";

function clockOf(iso) {
  return iso.slice(11, 16);
}

function choice(name, value, label, note, disabled) {
  var input = el("input", { type: "radio", name: name, value: value });
  input.disabled = Boolean(disabled);
  return el("label", { class: "booking-choice" }, [input, el("span", null, label), note ? el("span", { class: "booking-left" }, note) : null]);
}

function showSlots(query, day) {
  var box = document.getElementById("book-slots");
  var out = document.getElementById("book-slots-status");
  var submit = document.getElementById("book-submit");
  submit.disabled = true;
  status(out, "正在读取可预约时段…");
  return Api.get("/appointments/slots?" + new URLSearchParams({ ...query, date: day })).then(function (slots) {
    clear(box).append(el("legend", null, "选择时段"));
    slots.forEach(function (slot) {
      var full = slot.available === 0;
      box.append(choice("start", slot.start, clockOf(slot.start) + "—" + clockOf(slot.end),
        full ? "已约满" : "余 " + slot.available + " 个", full));
    });
    box.hidden = slots.length === 0;
    status(out, slots.length ? "" : "该日不办公，请选择其他日期");
  }, function (error) {
    box.hidden = true;
    status(out, error.message, "error");
  });
}

function bindForm(query) {
  var form = document.getElementById("book-form");
  var submit = document.getElementById("book-submit");
  var out = document.getElementById("book-status");
  form.addEventListener("change", function (event) {
    if (event.target.name === "day") {
      status(out, "");
      showSlots(query, event.target.value);
    } else if (event.target.name === "start") {
      submit.disabled = false;
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var picked = form.querySelector("input[name=start]:checked");
    if (!picked || submit.getAttribute("aria-disabled") === "true") {
      return;
    }
    submit.setAttribute("aria-disabled", "true");
    status(out, "正在提交预约…");
    Api.post("/appointments", { region: query.region, subitem_code: query.subitem_code, start: picked.value }).then(
      function (booked) {
        document.getElementById("book-content").hidden = true;
        document.getElementById("book-done-text").textContent = "您已预约 " + booked.start.slice(0, 10) + " " +
          clockOf(booked.start) + "—" + clockOf(booked.end) + " 到" + booked.location + "办理“" + booked.subitem_name + "”。";
        document.getElementById("book-done").hidden = false;
        document.getElementById("book-done-title").focus();
      },
      function (error) {
        submit.removeAttribute("aria-disabled");
        status(out, error.message, "error");
        var day = form.querySelector("input[name=day]:checked");
        if (error.status === 409 && day) {
          showSlots(query, day.value); // the seats changed: show them as they are now
        }
      }
    );
  });
}

function start() {
  var query = { region: params().get("region") || "", subitem_code: params().get("item") || "" };
  if (moveToRegion(query.region)) {
    return; // the region's own copy of this page
  }
  Api.get("/appointments/days?" + new URLSearchParams(query)).then(function (options) {
    document.getElementById("book-subitem").textContent = options.subitem_name;
    document.getElementById("book-department").textContent = options.department_name;
    document.getElementById("book-location").textContent = options.location;
    var days = document.getElementById("book-days");
    options.days.forEach(function (day) {
      days.append(choice("day", day.date, day.date.slice(5) + " " + day.weekday, day.open ? "" : "不办公", !day.open));
    });
    bindForm(query);
    loading("book", "");
    document.getElementById("book-content").hidden = false;
  }, function (error) {
    showProblem("book", "预约页面未能打开", error.message + "。请从服务指南的“预约办理”重新进入。");
  });
}

boot({
  page: "book-page", prefix: "book", what: "预约页面", loadingText: "正在读取可预约日期…", signIn: true, start: start,
  role: {
    not: "staff", title: "审批人员不能预约办理", text: "预约办理供申请人使用。",
    links: function (page) { return [{ href: page.getAttribute("data-review"), label: "进入审批工作台" }]; }
  }
});
