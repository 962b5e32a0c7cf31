/* 消息中心 (/my/messages/): GET /api/messages 20 at a time, newest first (加载更多 follows next_cursor). Each message
   is a <details>: opening an unread one marks it read (POST /api/messages/{id}/read) and lowers the header's count;
   全部标为已读 marks them all (POST /api/messages/read-all). */

import * as Api from "../api.js";
import { boot, loading, showProblem } from "../boot.js";
import { el, hiddenText } from "../dom.js";
import { formatTime } from "../lib/format.js";
import { announceUnread } from "../lib/unread.js";

var KIND_LABELS = {
  status: "办件进度",
  correction: "补正通知",
  document: "结果文书",
  security: "账号安全",
  evaluation_reply: "差评整改",
  appointment: "预约办理"
};

function markRead(item, message) {
  if (message.read) {
    return;
  }
  message.read = true; // once, however often it is opened
  Api.post("/messages/" + encodeURIComponent(message.id) + "/read").then(function () {
    item.removeAttribute("data-unread");
    var tag = item.querySelector(".message-unread");
    if (tag) {
      tag.remove();
    }
    announceUnread({ delta: -1 });
  }, function () {
    message.read = false; // try again on the next opening
  });
}

function messageItem(page, message) {
  var summary = el("summary", { class: "message-summary" }, [
    message.read ? null : el("span", { class: "message-unread" }, "未读"),
    el("span", { class: "message-kind" }, KIND_LABELS[message.kind] || "通知"),
    el("span", { class: "message-title" }, message.title),
    el("time", { class: "message-time", datetime: message.at }, formatTime(message.at))
  ]);
  var body = el("div", { class: "message-body" }, el("p", null, message.text));
  if (message.application_id) {
    var href = page.getAttribute("data-application") + "?id=" + encodeURIComponent(message.application_id);
    body.append(el("p", null, el("a", { href: href }, ["查看办件详情", hiddenText("：" + message.title)])));
  }
  var details = el("details", { class: "message-details" }, [summary, body]);
  var item = el("li", { class: "message", "data-message-id": message.id, "data-unread": !message.read }, details);
  details.addEventListener("toggle", function () {
    if (details.open) {
      markRead(item, message);
    }
  });
  return item;
}

function summarise(state) {
  var unread = document.querySelectorAll("#messages-list [data-unread]").length;
  document.getElementById("messages-summary").textContent =
    state.count ? "已显示 " + state.count + " 条消息" + (unread ? "，其中 " + unread + " 条未读" : "") : "";
  document.getElementById("messages-read-all").hidden = unread === 0;
}

function load(page, state) {
  var query = state.cursor ? "?cursor=" + encodeURIComponent(state.cursor) : "";
  return Api.get("/messages" + query).then(function (answer) {
    var items = answer.items.map(function (message) { return messageItem(page, message); });
    document.getElementById("messages-list").append(...items);
    state.count += items.length;
    state.cursor = answer.next_cursor;
    document.getElementById("messages-more").hidden = !state.cursor;
    document.getElementById("messages-empty").hidden = state.count > 0;
    summarise(state);
    return items[0] || null;
  });
}

function bindMore(page, state) {
  var more = document.getElementById("messages-more");
  var out = document.getElementById("messages-more-status");
  more.addEventListener("click", function () {
    more.disabled = true;
    out.textContent = "正在加载…";
    load(page, state).then(function (first) {
      more.disabled = false;
      out.textContent = first ? "已加载更多消息" : "没有更多消息了";
      if (first) {
        first.querySelector("summary").focus();
      }
    }, function (error) {
      more.disabled = false;
      out.textContent = "加载失败：" + error.message;
    });
  });
}

function bindReadAll(state) {
  var button = document.getElementById("messages-read-all");
  button.addEventListener("click", function () {
    button.disabled = true;
    Api.post("/messages/read-all").then(function () {
      document.querySelectorAll("#messages-list [data-unread]").forEach(function (item) {
        item.removeAttribute("data-unread");
        item.querySelector(".message-unread").remove();
      });
      button.disabled = false;
      announceUnread({ count: 0 });
      summarise(state);
      document.getElementById("messages-summary").textContent += "。已全部标为已读";
    }, function (error) {
      button.disabled = false;
      document.getElementById("messages-summary").textContent = "操作失败：" + error.message;
    });
  });
}

function start(page) {
  var state = { cursor: null, count: 0 };
  load(page, state).then(function () {
    loading("messages", "");
    document.getElementById("messages-content").hidden = false;
    bindMore(page, state);
    bindReadAll(state);
  }, function (error) {
    showProblem("messages", "消息未能加载", error.message + "。请稍后刷新页面重试。");
  });
}

boot({ page: "messages-page", prefix: "messages", what: "消息中心", loadingText: "正在加载消息…", signIn: true, start: start });
