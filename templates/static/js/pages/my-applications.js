/* 我的申请 (/my/applications/): GET /api/applications, 20 at a time, newest first; 加载更多 follows next_cursor.
   Drafts lead back to 网上申报 (继续填写) and have 删除草稿, asked once more before DELETE /api/applications/{id};
   待补正 leads to 去补正, everything else to 办件详情. An organisation's list (its administrator's, or a 经办人's
   acting for it) names the 经办人 who submitted each. */

import * as Api from "../api.js";
import { can, statusBadge } from "../applications/views.js";
import { boot, loading, showProblem } from "../boot.js";
import { el, hiddenText, status } from "../dom.js";
import { formatTime } from "../lib/format.js";
import { linkInRegion } from "../lib/regions.js";

var PAGE_SIZE = 20;

/* 删除草稿, then 确定删除 / 不删除 in its place (as 我的预约's 取消预约); a deleted row leaves the table. */
function deleteAction(state, app) {
  var ask = el("button", { type: "button", class: "button button-secondary row-action" },
    ["删除草稿", hiddenText("：" + app.subitem_name)]);
  ask.addEventListener("click", function () {
    var cell = ask.parentNode;
    var yes = el("button", { type: "button", class: "button button-primary row-action" }, "确定删除");
    var no = el("button", { type: "button", class: "button button-secondary row-action" }, "不删除");
    var question = el("span", null, "确定删除该草稿？已填写的内容和上传的文件将一并删除。");
    ask.replaceWith(question, yes, no);
    yes.focus();
    function back() {
      question.remove();
      yes.remove();
      no.replaceWith(ask);
      ask.focus();
    }
    no.addEventListener("click", back);
    yes.addEventListener("click", function () {
      yes.disabled = true;
      Api.del("/applications/" + encodeURIComponent(app.id)).then(function () {
        cell.closest("tr").remove();
        state.count -= 1;
        document.getElementById("my-empty").hidden = state.count > 0;
        document.getElementById("my-table-wrap").hidden = state.count === 0;
        status(document.getElementById("my-status"), "已删除“" + app.subitem_name + "”的草稿", "success");
        document.getElementById("my-title").focus();
      }, function (error) {
        status(document.getElementById("my-status"), error.message, "error");
        back();
      });
    });
  });
  return ask;
}

function actions(page, state, app) {
  // Each application opens on its own region's pages.
  var apply = linkInRegion(page.getAttribute("data-apply"), app.region) + "?application=" + encodeURIComponent(app.id);
  var detail = linkInRegion(page.getAttribute("data-application"), app.region) + "?id=" + encodeURIComponent(app.id);
  if (!app.number) { // never submitted: a draft
    var go = el("a", { class: "row-action", href: apply }, ["继续填写", hiddenText("：" + app.subitem_name)]);
    return can(app, "delete") ? [go, deleteAction(state, app)] : [go];
  }
  var links = [];
  if (can(app, "edit")) { // submitted, and editable again: 待补正
    links.push(el("a", { class: "row-action row-action-strong", href: apply }, ["去补正", hiddenText("：" + app.number)]));
  }
  links.push(el("a", { class: "row-action", href: detail }, ["查看详情", hiddenText("：" + app.number)]));
  (app.documents || []).forEach(function (doc) { // 结果文书 straight from the list (a short-lived link)
    links.push(el("a", { class: "row-action", href: doc.download_url, "data-upload-id": doc.sha256,
      "data-expires-in": doc.expires_in }, ["下载结果文书", hiddenText("：《" + doc.title + "》" + doc.document_number)]));
  });
  return links;
}

function row(page, state, app) {
  return el("tr", { "data-application-id": app.id }, [
    el("td", { "data-label": "办件编号", class: "code" }, app.number || el("span", { class: "none" }, "—（草稿）")),
    el("th", { scope: "row", "data-label": "事项名称" }, app.subitem_name),
    state.organization ? el("td", { "data-label": "经办人", class: "acted-by" }, app.acted_by || "单位账号") : null,
    el("td", { "data-label": "地区" }, app.region_name),
    el("td", { "data-label": "提交时间" }, formatTime(app.submitted_at) || el("span", { class: "none" }, "未提交")),
    el("td", { "data-label": "状态" }, statusBadge(app.status, app.status_label)),
    el("td", { "data-label": "操作", class: "row-actions" }, el("span", { class: "row-action-links" }, actions(page, state, app)))
  ]);
}

/* The next page of rows; resolves to the first row added (null when none were). */
function load(page, state) {
  var query = "?limit=" + PAGE_SIZE + (state.cursor ? "&cursor=" + encodeURIComponent(state.cursor) : "");
  return Api.get("/applications" + query).then(function (answer) {
    var rows = answer.items.map(function (app) { return row(page, state, app); });
    document.getElementById("my-rows").append(...rows);
    state.count += rows.length;
    state.cursor = answer.next_cursor;
    state.loadedAt = state.count === rows.length ? Date.now() : state.loadedAt; // the oldest links count
    document.getElementById("my-more").hidden = !state.cursor;
    document.getElementById("my-empty").hidden = state.count > 0;
    document.getElementById("my-table-wrap").hidden = state.count === 0;
    return rows[0] || null;
  });
}

function loadMore(page, state) {
  var more = document.getElementById("my-more");
  var out = document.getElementById("my-more-status");
  more.addEventListener("click", function () {
    if (more.getAttribute("aria-disabled") === "true") {
      return;
    }
    more.setAttribute("aria-disabled", "true");
    out.textContent = "正在加载…";
    load(page, state).then(function (first) {
      more.removeAttribute("aria-disabled");
      out.textContent = first ? "已加载更多申请" : "没有更多申请了";
      // Keyboard users continue at the first new row, not back at the top.
      var link = first && first.querySelector("a");
      if (link) {
        link.focus();
      }
    }, function (error) {
      more.removeAttribute("aria-disabled");
      out.textContent = "加载失败：" + error.message;
    });
  });
}

/* A 结果文书 link signed longer ago than it lasts is fetched fresh from the application's detail, then followed. */
function freshDocumentLinks(state) {
  document.getElementById("my-rows").addEventListener("click", function (event) {
    var link = event.target.closest("a[data-upload-id]");
    if (!link || (Date.now() - state.loadedAt) / 1000 < Number(link.getAttribute("data-expires-in")) - 60) {
      return;
    }
    event.preventDefault();
    var id = link.closest("tr").getAttribute("data-application-id");
    Api.get("/applications/" + encodeURIComponent(id)).then(function (app) {
      var fresh = app.documents.find(function (doc) { return doc.sha256 === link.getAttribute("data-upload-id"); });
      if (fresh) {
        window.location.assign(fresh.download_url);
      }
    });
  });
}

function start(page, account) {
  var state = { cursor: null, count: 0, loadedAt: Date.now() };
  state.organization = account.account_type === "legal" || Boolean(account.acting_for);
  document.getElementById("my-acted-by-head").hidden = !state.organization;
  freshDocumentLinks(state);
  load(page, state).then(function () {
    loading("my", "");
    document.getElementById("my-content").hidden = false;
  }, function (error) {
    showProblem("my", "我的申请未能打开", error.message + "。请稍后刷新页面重试。");
  });
  loadMore(page, state);
}

boot({
  page: "my-page", prefix: "my", what: "我的申请", loadingText: "正在读取您的申请…", signIn: true, start: start,
  role: {
    not: "staff", title: "审批人员没有“我的申请”", text: "审批人员请在审批工作台办理本部门的办件。",
    links: function (page) { return [{ href: page.getAttribute("data-review"), label: "进入审批工作台" }]; }
  }
});
