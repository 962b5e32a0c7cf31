/* 审批工作台's 待整改差评 (GET /api/review/evaluations, oldest first, each with its deadline and 逾期 flag) and the
   整改 reply on an application's detail (POST /api/review/applications/{id}/evaluation-reply), offered when the
   API's allowed_actions name reply_evaluation. */

import * as Api from "../api.js";
import * as View from "../applications/views.js";
import { el, hiddenText, status } from "../dom.js";
import { bindSubmit } from "../forms.js";
import { formatTime } from "../lib/format.js";
import { failed, reviewUrl } from "./common.js";

function deadlineCell(entry) {
  // 逾期 in words (and weight), not by colour alone.
  return el("td", { "data-label": "答复期限", class: entry.overdue ? "deadline-overdue" : null }, [
    formatTime(entry.deadline),
    entry.overdue ? el("strong", { class: "overdue-flag" }, "逾期") : null
  ]);
}

function awaitingRow(page, state, entry) {
  var link = el("a", { class: "row-action row-action-strong", href: reviewUrl(page, "id=" + encodeURIComponent(entry.application_id)) },
    ["整改答复", hiddenText("：" + (entry.number || ""))]);
  link.addEventListener("click", function (event) {
    event.preventDefault();
    state.go(link.getAttribute("href"));
  });
  return el("tr", { "data-application-id": entry.application_id }, [
    el("td", { "data-label": "办件编号", class: "code" }, entry.number || ""),
    el("th", { scope: "row", "data-label": "事项名称" }, entry.subitem_name),
    el("td", { "data-label": "评价" }, [el("strong", null, entry.label), entry.comment ? el("span", { class: "bad-rating-comment" }, "：" + entry.comment) : null]),
    el("td", { "data-label": "评价时间" }, formatTime(entry.rated_at)),
    deadlineCell(entry),
    el("td", { "data-label": "操作", class: "row-actions" }, link)
  ]);
}

function loadAwaiting(page, state, more) {
  var out = document.getElementById("review-bad-status");
  var rows = document.getElementById("review-bad-rows");
  var cursor = more ? state.badCursor : null;
  out.textContent = "正在读取…";
  return Api.get("/review/evaluations" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "")).then(function (answer) {
    if (!more) {
      rows.replaceChildren();
    }
    rows.append(...answer.items.map(function (entry) { return awaitingRow(page, state, entry); }));
    state.badCursor = answer.next_cursor;
    var overdue = rows.querySelectorAll(".overdue-flag").length;
    document.getElementById("review-bad-wrap").hidden = !rows.children.length;
    document.getElementById("review-bad-more").hidden = !answer.next_cursor;
    out.textContent = rows.children.length
      ? "共 " + rows.children.length + " 条待整改差评" + (overdue ? "，其中 " + overdue + " 条已逾期" : "") + (answer.next_cursor ? "，还有更多" : "")
      : "本部门没有待整改的差评。";
  }, function (error) {
    failed(error, out);
  });
}

export function showAwaiting(page, state) {
  return loadAwaiting(page, state, false);
}

export function bindAwaiting(page, state) {
  document.getElementById("review-bad-more").addEventListener("click", function () {
    loadAwaiting(page, state, true);
  });
}

/* The reply form under the applicant's evaluation: shown while the 差评 awaits its reply. */
export function renderReplyForm(state) {
  var form = document.getElementById("review-reply-form");
  var app = state.app;
  form.hidden = !View.can(app, "reply_evaluation");
  var due = app.evaluation && app.evaluation.reply_due;
  document.getElementById("review-reply-deadline").textContent = due ? "请在 " + formatTime(due) + " 前答复申请人。" : "";
}

export function bindReplyForm(state) {
  var form = document.getElementById("review-reply-form");
  bindSubmit(form, {
    busyText: "正在提交…",
    statusLine: document.getElementById("review-reply-status"),
    statusText: "正在提交整改答复…",
    send: function (values) {
      return Api.post("/review/applications/" + encodeURIComponent(state.app.id) + "/evaluation-reply", { text: values.text.trim() });
    },
    done: function (app) {
      state.app = app;
      form.reset();
      state.render();
      var out = document.getElementById("review-status");
      status(out, "整改答复已提交，已通知申请人。", "success");
      out.focus();
    },
    failed: function (error) {
      if (error.status === 409) {
        state.refresh(); // answered meanwhile (another tab, a colleague): show the reply that stands
      }
      return false;
    }
  });
}
