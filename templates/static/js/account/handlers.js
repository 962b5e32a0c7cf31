/* 个人中心's 经办人 parts. For a 法人 account: 经办人管理 — POST /api/me/handlers {login_name} invites, GET lists,
   DELETE /api/me/handlers/{id} revokes. For a 自然人: 我的单位 — GET /api/me/organizations, accept / decline an
   invitation, 切换为单位身份 (POST /api/me/acting) and 切换回个人 (DELETE /api/me/acting); a switch reloads the page,
   so the header and every list show whom the person now acts for. */

import * as Api from "../api.js";
import { clear, el, hiddenText, status } from "../dom.js";
import { bindSubmit, control } from "../forms.js";
import { formatTime } from "../lib/format.js";

// The application statuses' colours, by likeness: open, granted, declined, ended.
var BADGES = { invited: "status-submitted", accepted: "status-approved", declined: "status-withdrawn", revoked: "status-denied" };

function badge(status, label) {
  return el("span", { class: "status-badge " + BADGES[status] }, label);
}

function button(text, hidden, onClick) {
  var node = el("button", { type: "button", class: "button button-secondary button-small" }, [text, hiddenText(hidden)]);
  node.addEventListener("click", function () {
    node.disabled = true;
    onClick(node);
  });
  return node;
}

/* --- 经办人管理 (the 法人 administrator) --------------------------------------------------------------------- */

function handlerRow(grant, reload) {
  var out = document.getElementById("handler-status");
  var open = grant.status === "invited" || grant.status === "accepted";
  var revoke = open ? button(grant.status === "accepted" ? "撤销授权" : "撤回邀请", "：" + grant.login_name, function (node) {
    Api.del("/me/handlers/" + encodeURIComponent(grant.id)).then(function () {
      status(out, "已撤销 " + grant.login_name + " 的经办人授权，立即生效。", "success");
      reload();
    }, function (error) {
      node.disabled = false;
      status(out, error.message, "error");
    });
  }) : null;
  return el("tr", { "data-grant-id": grant.id }, [
    el("th", { scope: "row", "data-label": "登录名", class: "code" }, grant.login_name),
    el("td", { "data-label": "姓名" }, grant.name || el("span", { class: "none" }, "接受后显示")),
    el("td", { "data-label": "状态" }, badge(grant.status, grant.status_label)),
    el("td", { "data-label": "邀请时间" }, formatTime(grant.invited_at)),
    el("td", { "data-label": "操作", class: "row-actions" }, revoke || el("span", { class: "none" }, "—"))
  ]);
}

function loadHandlers() {
  return Api.get("/me/handlers").then(function (answer) {
    var rows = document.getElementById("handler-rows");
    clear(rows);
    answer.items.forEach(function (grant) {
      rows.appendChild(handlerRow(grant, loadHandlers));
    });
    document.getElementById("handler-empty").hidden = answer.items.length > 0;
  });
}

function startHandlerManagement() {
  var form = document.getElementById("handler-form");
  var out = document.getElementById("handler-status");
  bindSubmit(form, {
    busyText: "正在邀请…",
    check: function (problems) {
      status(out, "");
      return problems;
    },
    send: function (values) {
      return Api.post("/me/handlers", { login_name: values.login_name });
    },
    done: function (grant) {
      control(form, "login_name").value = "";
      status(out, "已向 " + grant.login_name + " 发送邀请，对方接受后即可以本单位名义办理。", "success");
      return loadHandlers();
    }
  });
  loadHandlers().catch(function (error) {
    status(out, "经办人列表未能读取：" + error.message, "error");
  });
}

/* --- 我的单位 (a 自然人) ------------------------------------------------------------------------------------- */

function organizationItem(item, out) {
  var name = item.organization_name;
  var id = encodeURIComponent(item.organization_id);
  var failed = function (node) {
    return function (error) {
      node.disabled = false;
      status(out, error.message, "error");
    };
  };
  var actions = [];
  if (item.status === "invited") {
    actions.push(button("接受邀请", "：" + name, function (node) {
      Api.post("/me/organizations/" + id + "/accept").then(function () {
        status(out, "已接受“" + name + "”的邀请，可切换为单位身份办理。", "success");
        loadOrganizations();
      }, failed(node));
    }));
    actions.push(button("拒绝", "：" + name, function (node) {
      Api.post("/me/organizations/" + id + "/decline").then(function () {
        status(out, "已拒绝“" + name + "”的邀请。", "success");
        loadOrganizations();
      }, failed(node));
    }));
  } else if (item.status === "accepted" && item.acting) {
    actions.push(button("切换回个人", "", function (node) {
      Api.del("/me/acting").then(function () { window.location.reload(); }, failed(node));
    }));
  } else if (item.status === "accepted") {
    actions.push(button("切换为单位身份", "：" + name, function (node) {
      Api.post("/me/acting", { organization_id: item.organization_id }).then(function () {
        window.location.reload();
      }, failed(node));
    }));
  }
  return el("li", { class: "organization-item", "data-organization-id": item.organization_id }, [
    el("span", { class: "organization-name" }, name),
    badge(item.status, item.acting ? "当前身份" : item.status_label),
    el("span", { class: "organization-actions" }, actions)
  ]);
}

function loadOrganizations() {
  var out = document.getElementById("organization-status");
  return Api.get("/me/organizations").then(function (answer) {
    var list = document.getElementById("organization-list");
    clear(list);
    var shown = answer.items.filter(function (item) { return item.status === "invited" || item.status === "accepted"; });
    shown.forEach(function (item) {
      list.appendChild(organizationItem(item, out));
    });
    document.getElementById("organization-empty").hidden = shown.length > 0;
  }, function (error) {
    status(out, "单位列表未能读取：" + error.message, "error");
  });
}

/* account: GET /api/me (the person's own account, with acting_for while acting for an organisation). */
export function startHandlers(page, account) {
  var notice = document.getElementById("acting-notice");
  notice.hidden = !account.acting_for;
  if (account.acting_for) {
    notice.querySelector("[data-acting-name]").textContent = account.acting_for.name;
  }
  if (account.account_type === "legal") {
    startHandlerManagement();
  } else if (account.role !== "staff") {
    loadOrganizations();
  }
}
