/* 审批工作台's list: the department's applications in one status (GET /api/review/applications), by cursor. */

import * as Api from "../api.js";
import { statusBadge } from "../applications/views.js";
import { clear, el, hiddenText, params } from "../dom.js";
import { formatTime } from "../lib/format.js";
import { failed, reviewUrl } from "./common.js";

/* The first filter of the page (已提交): the queue that waits for staff first. */
export function defaultStatus() {
  return document.querySelector(".status-filter-link").getAttribute("data-status");
}

export function currentStatus() {
  return params().get("status") || defaultStatus();
}

function markFilter(status) {
  document.querySelectorAll(".status-filter-link").forEach(function (link) {
    if (link.getAttribute("data-status") === status) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  });
}

function listRow(page, state, app) {
  // Rows that still wait for a staff decision say 办理, the others 查看.
  var open = app.allowed_actions.length > 0;
  var link = el("a", { class: "row-action" + (open ? " row-action-strong" : ""), href: reviewUrl(page, "id=" + encodeURIComponent(app.id)) },
    [open ? "办理" : "查看", hiddenText("：" + app.number)]);
  link.addEventListener("click", function (event) {
    event.preventDefault();
    state.go(link.getAttribute("href"));
  });
  return el("tr", { "data-application-id": app.id }, [
    el("td", { "data-label": "办件编号", class: "code" }, app.number),
    el("td", { "data-label": "申请人" }, app.applicant_name || ""),
    el("th", { scope: "row", "data-label": "事项名称" }, app.subitem_name),
    el("td", { "data-label": "提交时间" }, formatTime(app.submitted_at)),
    el("td", { "data-label": "状态" }, statusBadge(app.status, app.status_label)),
    el("td", { "data-label": "操作", class: "row-actions" }, link)
  ]);
}

/* One page of the list (the first replaces the rows, 加载更多 appends); one status pages by cursor. */
function loadPage(page, state, status, mine) {
  var query = new URLSearchParams();
  if (status !== "all") {
    query.set("status", status);
  }
  if (state.cursor) {
    query.set("cursor", state.cursor);
  }
  var text = query.toString();
  return Api.get("/review/applications" + (text ? "?" + text : "")).then(function (answer) {
    if (mine !== state.sequence) {
      return null;
    }
    var rows = document.getElementById("review-rows");
    if (!state.cursor) {
      clear(rows);
    }
    answer.items.forEach(function (app) {
      rows.appendChild(listRow(page, state, app));
    });
    state.cursor = answer.next_cursor;
    document.getElementById("review-more").hidden = !answer.next_cursor;
    document.getElementById("review-empty").hidden = rows.children.length > 0;
    document.getElementById("review-table-wrap").hidden = rows.children.length === 0;
    return answer;
  });
}

function shownCount() {
  return document.getElementById("review-rows").children.length;
}

export function showList(page, state, focus) {
  var status = currentStatus();
  var label = (document.querySelector('.status-filter-link[data-status="' + status + '"]') || {}).textContent || "全部";
  var out = document.getElementById("review-list-status");
  state.lastStatus = status; // for 返回办件列表
  document.getElementById("review-detail").hidden = true;
  document.getElementById("review-list").hidden = false;
  markFilter(status);
  document.getElementById("review-list-title").textContent = "办件列表：" + label;
  document.title = "审批工作台 - " + state.siteTitle;
  out.textContent = "正在读取…";
  var mine = (state.sequence += 1);
  state.cursor = null;
  return loadPage(page, state, status, mine).then(function (answer) {
    if (!answer) {
      return;
    }
    out.textContent = "共 " + shownCount() + " 件" + (status === "all" ? "" : "“" + label + "”") + "办件" +
      (answer.next_cursor ? "，还有更多" : "");
    if (focus) {
      document.getElementById("review-list-title").focus();
    }
  }, function (error) {
    if (mine === state.sequence) {
      failed(error, out);
    }
  });
}

export function bindMore(page, state) {
  document.getElementById("review-more").addEventListener("click", function () {
    var out = document.getElementById("review-list-status");
    var mine = (state.sequence += 1);
    out.textContent = "正在读取…";
    loadPage(page, state, currentStatus(), mine).then(function (answer) {
      if (answer) {
        out.textContent = "已加载更多，共 " + shownCount() + " 件" + (answer.next_cursor ? "，还有更多" : "");
      }
    }, function (error) {
      failed(error, out);
    });
  });
}
