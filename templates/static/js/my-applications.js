/* 我的申请 (/my/applications/): GET /api/applications, 20 at a time, newest first; 加载更多 follows next_cursor.
   Drafts lead back to 网上申报 (继续填写), 待补正 to 去补正, everything else to 办件详情. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var P = window.PortalApplications;
  var PAGE_SIZE = 20;

  function action(page, app) {
    var apply = page.getAttribute("data-apply") + "?application=" + encodeURIComponent(app.id);
    var detail = page.getAttribute("data-application") + "?id=" + encodeURIComponent(app.id);
    var links = [];
    if (!app.number) { // never submitted: a draft
      links.push(P.el("a", { class: "row-action", href: apply }, ["继续填写", P.hiddenText("：" + app.subitem_name)]));
    } else {
      if (P.can(app, "edit")) { // submitted, and editable again: 待补正
        links.push(P.el("a", { class: "row-action row-action-strong", href: apply }, ["去补正", P.hiddenText("：" + app.number)]));
      }
      links.push(P.el("a", { class: "row-action", href: detail }, ["查看详情", P.hiddenText("：" + app.number)]));
    }
    return links;
  }

  function row(page, app) {
    return P.el("tr", { "data-application-id": app.id }, [
      P.el("td", { "data-label": "办件编号", class: "code" }, app.number || P.el("span", { class: "none" }, "—（草稿）")),
      P.el("th", { scope: "row", "data-label": "事项名称" }, app.subitem_name),
      P.el("td", { "data-label": "地区" }, app.region_name),
      P.el("td", { "data-label": "提交时间" }, P.formatTime(app.submitted_at) || P.el("span", { class: "none" }, "未提交")),
      P.el("td", { "data-label": "状态" }, P.statusBadge(app.status, app.status_label)),
      P.el("td", { "data-label": "操作", class: "row-actions" }, P.el("span", { class: "row-action-links" }, action(page, app)))
    ]);
  }

  function load(page, state) {
    var rows = document.getElementById("my-rows");
    var more = document.getElementById("my-more");
    var query = "?limit=" + PAGE_SIZE + (state.cursor ? "&cursor=" + encodeURIComponent(state.cursor) : "");
    return Api.get("/applications" + query).then(function (answer) {
      var first = null;
      answer.items.forEach(function (app) {
        var tr = row(page, app);
        first = first || tr;
        rows.appendChild(tr);
      });
      state.count += answer.items.length;
      state.cursor = answer.next_cursor;
      more.hidden = !state.cursor;
      document.getElementById("my-empty").hidden = state.count > 0;
      document.getElementById("my-table-wrap").hidden = state.count === 0;
      return first;
    }).catch(function (error) {
      if (error.status === 401) {
        P.toLogin(page);
      }
      throw error;
    });
  }

  function init() {
    var page = document.getElementById("my-page");
    if (!page || !Api || !P) {
      return;
    }
    var state = { cursor: null, count: 0 };
    P.loading("my", "正在读取您的申请…");
    Api.me().then(function (account) {
      if (!account) {
        P.toLogin(page);
        return null;
      }
      if (account.role === "staff") {
        P.showProblem("my", "审批人员没有“我的申请”", "审批人员请在审批工作台办理本部门的办件。", [
          { href: page.getAttribute("data-review"), label: "进入审批工作台" }
        ]);
        return null;
      }
      return load(page, state).then(function () {
        P.loading("my", "");
        document.getElementById("my-content").hidden = false;
      });
    }).catch(function (error) {
      if (error.status !== 401) {
        P.showProblem("my", "我的申请未能打开", error.message + "。请稍后刷新页面重试。");
      }
    });

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

  if (P) {
    P.onReady(init);
  }
})();
