/* 服务指南 (/<region>/guide/<code>/) of a sub-item that can be applied for online: once GET /api/me says who is
   signed in, the "网上申报需先登录" sentence goes, and for an account the sub-item does not serve (its audiences,
   data-audiences from the build) or for staff, 申报 gives way to a note saying why. A visitor keeps the page as built;
   the API refuses a wrong audience anyway (422 wrong_audience), this only says so before the click. No login. */

import * as Api from "../api.js";

var ACCOUNT_NAMES = { natural: "自然人", legal: "法人" };

/* The account type a new application would be made for: an organisation's while its 经办人 acts for it. */
function actingType(account) {
  return account.acting_for ? "legal" : account.account_type;
}

/* Why this account cannot apply here, or "" when it can. */
export function refusal(account, audiences, audienceNames) {
  if (account.role === "staff") {
    return "当前为审批人员账号，不能网上申报。请使用申请人账号登录后申报。";
  }
  var type = actingType(account);
  if (audiences.indexOf(type) === -1) {
    return "该事项的服务对象为" + audienceNames + "，当前" + ACCOUNT_NAMES[type] + "账号不能申报。";
  }
  return "";
}

function showFor(box, account) {
  box.querySelectorAll("[data-login-note]").forEach(function (note) {
    note.hidden = true;
  });
  var audiences = (box.getAttribute("data-audiences") || "").split(" ");
  var why = refusal(account, audiences, box.getAttribute("data-audience-names") || "");
  if (!why) {
    return;
  }
  box.querySelector(".button-apply").hidden = true;
  var note = box.querySelector("[data-audience-note]");
  note.textContent = why;
  note.hidden = false;
}

function start() {
  var boxes = document.querySelectorAll(".guide-actions[data-audiences]");
  if (!boxes.length) {
    return;
  }
  Api.me().then(function (account) {
    if (account) {
      boxes.forEach(function (box) {
        showFor(box, account);
      });
    }
  }, function () {
    /* API unreachable: the page stays as built, 申报 leads to 登录 and the API decides */
  });
}

start();
