/* 审批工作台 (/review/): staff only. ?status= lists the department's applications in one status
   (review/list.js) and its 差评 awaiting a 整改 reply (review/evaluations.js), ?id= shows one with the actions its
   status allows (review/detail.js, review/actions.js) and the reply form for a 差评;
   history.pushState moves between them without a reload. */

import { freshDownloads } from "../applications/downloads.js";
import { boot, loading } from "../boot.js";
import { params, siteTitle } from "../dom.js";
import { moveToRegion } from "../lib/regions.js";
import { bindActionDialog } from "../review/actions.js";
import { bindDayAppointments } from "../review/appointments.js";
import { bindAuditLog } from "../review/audit.js";
import { reviewUrl, setDepartment } from "../review/common.js";
import { renderDetail, showDetail } from "../review/detail.js";
import { bindAwaiting, bindReplyForm, showAwaiting } from "../review/evaluations.js";
import { bindMore, defaultStatus, showList } from "../review/list.js";

function route(page, state, focus) {
  document.getElementById("review-problem").hidden = true;
  var id = params().get("id");
  if (!id) {
    showAwaiting(page, state); // 待整改差评, beside the list
  }
  return id ? showDetail(page, state, id, focus) : showList(page, state, focus);
}

function start(page, account) {
  if (moveToRegion(account.region)) {
    return; // 审批工作台 is shown in the region of the staff member's department
  }
  var state = {
    app: null, action: null, sequence: 0, lineIds: 0, loadedAt: 0, lastStatus: defaultStatus(), siteTitle: siteTitle(),
    go: function (href) {
      window.history.pushState(null, "", href);
      route(page, state, true);
    },
    render: function () {
      renderDetail(state);
    },
    refresh: function () {
      return showDetail(page, state, state.app.id, false);
    }
  };
  setDepartment(account);
  bindActionDialog(state);
  document.querySelectorAll(".status-filter-link, #review-back").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var status = link.getAttribute("data-status") || state.lastStatus;
      state.go(reviewUrl(page, "status=" + encodeURIComponent(status)));
    });
  });
  window.addEventListener("popstate", function () {
    route(page, state, true);
  });
  freshDownloads(document.getElementById("review-materials"), state);
  freshDownloads(document.getElementById("review-documents"), state);
  bindAuditLog(state);
  bindDayAppointments();
  bindAwaiting(page, state);
  bindReplyForm(state);
  bindMore(page, state);
  loading("review", "");
  route(page, state, false);
}

boot({
  page: "review-page", prefix: "review", what: "审批工作台", loadingText: "正在打开审批工作台…", signIn: true, start: start,
  role: {
    only: "staff", title: "仅审批人员可以使用审批工作台",
    text: "您当前登录的是申请人账号。审批人员账号由系统管理员开设，请使用审批人员账号登录。",
    links: function (page) { return [{ href: page.getAttribute("data-home"), label: "返回首页" }]; }
  }
});
