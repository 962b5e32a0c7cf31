/* 个人信息查看记录 (GET /api/review/audit-log): 50 at a time, newest first. */

import * as Api from "../api.js";
import { el } from "../dom.js";
import { formatTime } from "../lib/format.js";
import { failed } from "./common.js";

function auditRow(entry) {
  return el("tr", null, [
    el("td", { "data-label": "查看时间" }, formatTime(entry.at)),
    el("td", { "data-label": "查看人" }, entry.staff_name),
    el("td", { "data-label": "办件编号", class: "code" }, entry.number || ""),
    el("td", { "data-label": "事项名称" }, entry.subitem_name),
    el("td", { "data-label": "查看内容" }, entry.field_label)
  ]);
}

function loadAuditLog(state) {
  var out = document.getElementById("review-audit-status");
  var button = document.getElementById("review-audit-show");
  out.textContent = "正在读取…";
  Api.get("/review/audit-log" + (state.auditCursor ? "?cursor=" + encodeURIComponent(state.auditCursor) : "")).then(function (answer) {
    var rows = document.getElementById("review-audit-rows");
    rows.append(...answer.items.map(auditRow));
    state.auditCursor = answer.next_cursor;
    document.getElementById("review-audit-wrap").hidden = !rows.children.length;
    out.textContent = rows.children.length ? "共 " + rows.children.length + " 条" + (answer.next_cursor ? "，还有更多" : "") : "暂无查看记录。";
    button.textContent = "加载更多记录";
    button.hidden = !answer.next_cursor;
  }, function (error) {
    failed(error, out);
  });
}

export function bindAuditLog(state) {
  document.getElementById("review-audit-show").addEventListener("click", function () {
    loadAuditLog(state);
  });
}
