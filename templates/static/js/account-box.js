/* The header's account box (#account-box) on every page: 登录 / 注册 for visitors (登录 returning here
   afterwards), or 我的申请 (审批工作台 for staff), 消息 with the unread count, the signed-in user's name
   (→ 个人中心) and 退出. A 经办人 acting for an organisation sees "<机构名称> · <姓名>" and 切换回个人.
   Without JavaScript the links simply stay. */
import * as Api from "./api.js";
import { applyChange, badgeText, onUnread } from "./lib/unread.js";
import { linkInRegion } from "./lib/regions.js";
import { withNext } from "./lib/urls.js";

// Pages a login should not return to: the account pages themselves (each region has its copy).
var NO_RETURN = /^\/([a-z0-9-]+\/)?(login|register|password-reset)\//;

function returnHere(box) {
  var login = box.querySelector(".account-login");
  var here = window.location.pathname + window.location.search;
  if (login && !NO_RETURN.test(window.location.pathname)) {
    login.setAttribute("href", withNext(login.getAttribute("href"), here));
  }
}

function logout(button) {
  button.disabled = true;
  button.textContent = "正在退出…";
  Api.del("/sessions/current", { expect401: true }).then(function () {
    window.location.reload();
  }, function (error) {
    if (error.status === 401) {
      window.location.reload(); // the session had already ended
      return;
    }
    button.disabled = false;
    button.textContent = "退出失败，重试";
    button.title = error.message;
  });
}

function showAccount(box, account) {
  // This region's copies of the pages (data-* of #account-box, from the build).
  var accountUrl = box.getAttribute("data-account");
  var link = document.createElement("a");
  link.className = "account-name";
  link.href = accountUrl;
  link.title = "进入个人中心";
  if (window.location.pathname === accountUrl) {
    link.setAttribute("aria-current", "page");
  }
  var name = document.createElement("span");
  name.className = "account-name-text";
  // Acting for an organisation: whose name the applications are made in, and who is making them.
  name.textContent = account.acting_for ? account.acting_for.name + " · " + account.real_name : account.display_name;
  var hint = document.createElement("span");
  hint.className = "visually-hidden";
  hint.textContent = "（个人中心）";
  link.appendChild(name);
  link.appendChild(hint);

  var button = document.createElement("button");
  button.type = "button";
  button.className = "account-logout";
  button.textContent = "退出";
  button.addEventListener("click", function () {
    logout(button);
  });

  var work = document.createElement("a");
  work.className = "account-work";
  // Staff work in their department's region.
  work.href = account.role === "staff" ? linkInRegion(box.getAttribute("data-review"), account.region) : box.getAttribute("data-my-applications");
  work.textContent = account.role === "staff" ? "审批工作台" : "我的申请";
  if (window.location.pathname === work.getAttribute("href")) {
    work.setAttribute("aria-current", "page");
  }

  box.textContent = "";
  box.appendChild(work);
  box.appendChild(messagesLink(box));
  box.appendChild(link);
  if (account.acting_for) {
    link.classList.add("account-acting");
    link.title = "正在以单位经办人身份办理；进入个人中心";
    box.appendChild(switchBack());
  }
  box.appendChild(button);
  box.setAttribute("data-signed-in", "");
}

/* 切换回个人: act as oneself again, then show the page as oneself. */
function switchBack() {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "account-switch";
  button.textContent = "切换回个人";
  button.addEventListener("click", function () {
    button.disabled = true;
    Api.del("/me/acting").then(function () {
      window.location.reload();
    }, function (error) {
      button.disabled = false;
      button.title = error.message;
    });
  });
  return button;
}

/* 消息 → 消息中心, with a badge of the unread count (read by screen readers as "N 条未读"). */
function messagesLink(box) {
  var href = box.getAttribute("data-messages");
  var link = document.createElement("a");
  link.className = "account-messages";
  link.href = href;
  if (window.location.pathname === href) {
    link.setAttribute("aria-current", "page");
  }
  link.append("消息");
  var badge = document.createElement("span");
  badge.className = "unread-badge";
  badge.hidden = true;
  link.appendChild(badge);
  var count = 0;
  function show(value) {
    count = value;
    var text = badgeText(count);
    badge.hidden = !text;
    badge.textContent = text;
    link.setAttribute("aria-label", text ? "消息，" + text + " 条未读" : "消息");
  }
  onUnread(function (change) {
    show(applyChange(count, change));
  });
  Api.get("/messages/unread-count").then(function (answer) {
    show(answer.count);
  }, function () {
    /* the count is a convenience: the link still leads to 消息中心 */
  });
  return link;
}

export function startAccountBox() {
  var box = document.getElementById("account-box");
  if (!box) {
    return;
  }
  returnHere(box);
  Api.me().then(function (account) {
    if (account) {
      showAccount(box, account);
    }
  }, function () {
    /* API unreachable (e.g. the static site served alone): the 登录 / 注册 links stay. */
  });
}
