/* 审批工作台 (/review/): staff only. ?status= lists the department's applications in one status
   (GET /api/review/applications), ?id= shows one (GET …/{id}) with the actions its status allows, each
   confirmed in a dialog with its comment (and, for 要求补正, the list of what to correct):
   POST …/{id}/actions {action, comment, corrections}. A refused transition (409) is shown as the API words it. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;
  var P = window.PortalApplications;
  var DEFAULT_STATUS = "submitted";
  var ACTIONS = {
    accept: { label: "受理", about: "受理后办件进入审批。", primary: true },
    reject: { label: "不予受理", about: "不予受理须说明理由，申请人会收到短信通知。", needsComment: true },
    request_correction: { label: "要求补正", about: "请列出需要申请人补正的内容，申请人补正后会重新提交。", corrections: true },
    approve: { label: "准予许可", about: "准予许可后办件办结。", primary: true },
    deny: { label: "不予许可", about: "不予许可须说明理由，申请人会收到短信通知。", needsComment: true }
  };
  var ORDER = ["accept", "request_correction", "reject", "approve", "deny"];
  // Statuses that still wait for a staff decision: their rows say 办理, the others 查看.
  var OPEN_STATUSES = { submitted: true, accepted: true };

  function reviewUrl(page, query) {
    return page.getAttribute("data-review") + (query ? "?" + query : "");
  }

  /* --- the list -------------------------------------------------------------------------------------- */

  function currentStatus() {
    return P.params().get("status") || DEFAULT_STATUS;
  }

  function markFilter(status) {
    Array.prototype.forEach.call(document.querySelectorAll(".status-filter-link"), function (link) {
      if (link.getAttribute("data-status") === status) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function listRow(page, state, app) {
    var open = OPEN_STATUSES[app.status];
    var link = P.el("a", { class: "row-action" + (open ? " row-action-strong" : ""),
                           href: reviewUrl(page, "id=" + encodeURIComponent(app.id)) },
      [open ? "办理" : "查看", P.hiddenText("：" + app.number)]);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      go(page, state, link.getAttribute("href"));
    });
    return P.el("tr", { "data-application-id": app.id }, [
      P.el("td", { "data-label": "办件编号", class: "code" }, app.number),
      P.el("td", { "data-label": "申请人" }, app.applicant_name || ""),
      P.el("th", { scope: "row", "data-label": "事项名称" }, app.subitem_name),
      P.el("td", { "data-label": "提交时间" }, P.formatTime(app.submitted_at)),
      P.el("td", { "data-label": "状态" }, P.statusBadge(app.status, app.status_label)),
      P.el("td", { "data-label": "操作", class: "row-actions" }, link)
    ]);
  }

  function showList(page, state, focus) {
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
      var shown = document.getElementById("review-rows").children.length;
      out.textContent = "共 " + shown + " 件" + (status === "all" ? "" : "“" + label + "”") + "办件" +
        (answer.next_cursor ? "，还有更多" : "");
      if (focus) {
        document.getElementById("review-list-title").focus();
      }
    }, function (error) {
      if (mine === state.sequence) {
        failed(page, error, out);
      }
    });
  }

  /* One page of the list (the first replaces the rows, 加载更多 appends); one status pages by cursor. */
  function loadPage(page, state, status, mine) {
    var params = [];
    if (status !== "all") {
      params.push("status=" + encodeURIComponent(status));
    }
    if (state.cursor) {
      params.push("cursor=" + encodeURIComponent(state.cursor));
    }
    var more = document.getElementById("review-more");
    return Api.get("/review/applications" + (params.length ? "?" + params.join("&") : "")).then(function (answer) {
      if (mine !== state.sequence) {
        return null;
      }
      var rows = document.getElementById("review-rows");
      if (!state.cursor) {
        P.clear(rows);
      }
      answer.items.forEach(function (app) {
        rows.appendChild(listRow(page, state, app));
      });
      state.cursor = answer.next_cursor;
      more.hidden = !answer.next_cursor;
      document.getElementById("review-empty").hidden = rows.children.length > 0;
      document.getElementById("review-table-wrap").hidden = rows.children.length === 0;
      return answer;
    });
  }

  function setDepartment(account) {
    if (account.department_name) {
      document.getElementById("review-lead").textContent = "本部门：" + account.department_name + "（" +
        account.region_name + "）。受理、审批本部门的网上申报办件。";
    }
  }

  /* --- one application ------------------------------------------------------------------------------- */

  function showDetail(page, state, id, focus) {
    document.getElementById("review-list").hidden = true;
    P.loading("review", "正在读取办件…");
    var mine = (state.sequence += 1);
    return Api.get("/review/applications/" + encodeURIComponent(id)).then(function (app) {
      if (mine !== state.sequence) {
        return;
      }
      P.loading("review", "");
      state.app = app;
      renderDetail(page, state);
      document.getElementById("review-detail").hidden = false;
      F.status(document.getElementById("review-status"), "");
      if (focus) {
        document.getElementById("review-detail-title").focus();
      }
    }, function (error) {
      if (mine === state.sequence) {
        P.loading("review", "");
        if (error.status === 404) {
          P.showProblem("review", "办件不存在", "该办件不存在，或不属于本部门。", [{ href: reviewUrl(page), label: "返回办件列表" }]);
        } else {
          failed(page, error);
        }
      }
    });
  }

  function renderDetail(page, state) {
    var app = state.app;
    var box = document.getElementById("review-detail");
    document.getElementById("review-detail-title").textContent = app.subitem_name + "（" + app.number + "）";
    document.title = app.number + " - 审批工作台 - " + state.siteTitle;
    setDepartment(app);
    P.fillSummary(box.querySelector("[data-summary]"), app);
    P.fillCorrections(document.getElementById("review-corrections-notice"), app.status === "correction_required" ? app.corrections : []);
    P.fillApplicant(box.querySelector("[data-applicant]"), app.applicant);
    P.fillFormValues(box.querySelector("[data-form-values]"), app);
    P.fillMaterials(box.querySelector("[data-materials]"), app);
    P.fillHistory(box.querySelector("[data-history]"), app.history);
    var evaluation = document.getElementById("review-evaluation");
    P.fillEvaluation(evaluation.querySelector("[data-evaluation]"), app.evaluation);
    evaluation.hidden = !app.evaluation;
    state.loadedAt = Date.now();
    var actions = P.clear(document.getElementById("review-actions"));
    ORDER.filter(function (action) { return app.allowed_actions.indexOf(action) !== -1; }).forEach(function (action) {
      var button = P.el("button", {
        type: "button", class: "button " + (ACTIONS[action].primary ? "button-primary" : "button-secondary"),
        "data-action": action
      }, ACTIONS[action].label);
      button.addEventListener("click", function () {
        openAction(page, state, action, button);
      });
      actions.appendChild(button);
    });
    actions.hidden = !actions.childNodes.length;
    document.getElementById("review-no-actions").hidden = !actions.hidden;
  }

  /* --- the action dialog ----------------------------------------------------------------------------- */

  function correctionLine(state, value) {
    var list = document.getElementById("review-corrections-lines");
    var number = list.children.length + 1;
    var id = "review-correction-" + (state.lineIds += 1);
    var input = P.el("input", {
      class: "input", id: id, type: "text", maxlength: 200, "data-local": true, name: "correction_item",
      "aria-describedby": "review-corrections-hint review-corrections-error"
    });
    input.value = value || "";
    var remove = P.el("button", { type: "button", class: "button button-secondary button-small line-remove" }, [
      "删除", P.hiddenText("第 " + number + " 项")
    ]);
    var label = P.el("label", { class: "line-label", for: id }, "第 " + number + " 项");
    var item = P.el("li", { class: "corrections-line" }, [label, P.el("div", { class: "field-row" }, [input, remove])]);
    remove.addEventListener("click", function () {
      var previous = item.previousElementSibling;
      item.parentNode.removeChild(item);
      renumber();
      var target = previous ? previous.querySelector("input") : list.querySelector("input");
      (target || document.getElementById("review-corrections-add")).focus();
    });
    list.appendChild(item);
    return input;
  }

  function renumber() {
    Array.prototype.forEach.call(document.querySelectorAll("#review-corrections-lines > li"), function (item, index) {
      item.querySelector(".line-label").textContent = "第 " + (index + 1) + " 项";
      item.querySelector(".line-remove .visually-hidden").textContent = "第 " + (index + 1) + " 项";
    });
  }

  function openAction(page, state, action, button) {
    var spec = ACTIONS[action];
    var form = state.dialog.dialog.querySelector("form");
    var comment = document.getElementById("review-comment");
    var editor = document.getElementById("review-corrections");
    F.clearErrors(form);
    F.setError(editor, "");
    document.getElementById("review-action-title").textContent = spec.label + "：" + state.app.number;
    document.getElementById("review-action-about").textContent = state.app.subitem_name + "。" + spec.about;
    document.getElementById("review-comment-optional").textContent = spec.needsComment ? "（必填）" : "（选填）";
    document.getElementById("review-comment-hint").textContent = spec.needsComment
      ? "请写明理由，申请人会看到。" : "将记入办理记录，申请人可以看到。";
    comment.required = Boolean(spec.needsComment);
    comment.value = "";
    editor.hidden = !spec.corrections;
    editor.disabled = !spec.corrections;
    P.clear(document.getElementById("review-corrections-lines"));
    if (spec.corrections) {
      correctionLine(state);
    }
    state.dialog.yes.textContent = "确认" + spec.label;
    state.dialog.yes.hidden = false;
    state.dialog.open(button, function () {
      decide(page, state, action);
    }, spec.corrections ? document.querySelector("#review-corrections-lines input") : comment);
  }

  function decide(page, state, action) {
    var spec = ACTIONS[action];
    var dialog = state.dialog;
    var form = dialog.dialog.querySelector("form");
    var comment = document.getElementById("review-comment").value.trim();
    var corrections = Array.prototype.map.call(document.querySelectorAll("#review-corrections-lines input"), function (input) {
      return input.value.trim();
    }).filter(Boolean);
    F.clearErrors(form);
    var found = {};
    if (spec.needsComment && !comment) {
      found.comment = spec.label + "必须说明理由，请填写审批意见";
    }
    if (spec.corrections && !corrections.length) {
      found.corrections = "请至少填写一项需补正的内容";
    }
    if (F.hasProblems(found)) {
      F.showErrors(form, { fields: found, message: "请检查填写的内容" });
      return;
    }
    dialog.busy(true, "正在提交…");
    Api.post("/review/applications/" + encodeURIComponent(state.app.id) + "/actions", {
      action: action, comment: comment, corrections: spec.corrections ? corrections : []
    }).then(function (app) {
      state.app = app;
      dialog.opener = null;
      dialog.close();
      renderDetail(page, state);
      var out = document.getElementById("review-status");
      F.status(out, "已" + spec.label + "。办件状态：" + app.status_label + "，申请人将收到短信通知。", "success");
      out.focus();
    }, function (error) {
      dialog.busy(false);
      if (error.status === 401) {
        P.toLogin(page);
        return;
      }
      if (error.status === 409) {
        // The status changed since the page was read (someone else acted, the applicant withdrew): say so,
        // take away the button that can no longer work, and refresh the page behind the dialog.
        dialog.showError(error.message + "。页面已刷新为最新状态。");
        dialog.yes.hidden = true;
        dialog.no.focus();
        showDetail(page, state, state.app.id, false);
        return;
      }
      F.showErrors(form, error);
    });
  }

  /* --- routing and start ----------------------------------------------------------------------------- */

  function failed(page, error, out) {
    if (error.status === 401) {
      P.toLogin(page);
    } else if (error.status === 403) {
      P.showProblem("review", "仅审批人员可以使用审批工作台", error.message);
    } else if (out) {
      out.textContent = "读取失败：" + error.message;
    } else {
      P.showProblem("review", "审批工作台未能打开", error.message + "。请稍后刷新页面重试。");
    }
  }

  function route(page, state, focus) {
    document.getElementById("review-problem").hidden = true;
    var id = P.params().get("id");
    return id ? showDetail(page, state, id, focus) : showList(page, state, focus);
  }

  function go(page, state, href) {
    window.history.pushState(null, "", href);
    route(page, state, true);
  }

  function start(page, state) {
    state.dialog = new P.Dialog(document.getElementById("review-action"));
    document.getElementById("review-corrections-add").addEventListener("click", function () {
      correctionLine(state).focus();
    });
    Array.prototype.forEach.call(document.querySelectorAll(".status-filter-link, #review-back"), function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var status = link.getAttribute("data-status") || state.lastStatus;
        go(page, state, reviewUrl(page, "status=" + encodeURIComponent(status)));
      });
    });
    window.addEventListener("popstate", function () {
      route(page, state, true);
    });
    P.freshDownloads(document.getElementById("review-materials"), state);
    state.refresh = function () {
      return showDetail(page, state, state.app.id, false);
    };
    document.getElementById("review-more").addEventListener("click", function () {
      var out = document.getElementById("review-list-status");
      var mine = (state.sequence += 1);
      out.textContent = "正在读取…";
      loadPage(page, state, currentStatus(), mine).then(function (answer) {
        if (answer) {
          out.textContent = "已加载更多，共 " + document.getElementById("review-rows").children.length + " 件" +
            (answer.next_cursor ? "，还有更多" : "");
        }
      }, function (error) {
        failed(page, error, out);
      });
    });
    P.loading("review", "");
    route(page, state, false);
  }

  function init() {
    var page = document.getElementById("review-page");
    if (!page || !Api || !F || !P) {
      return;
    }
    var state = { app: null, sequence: 0, lineIds: 0, loadedAt: 0, lastStatus: DEFAULT_STATUS,
                  siteTitle: document.title.replace(/^[^-]+- /, "") };
    P.loading("review", "正在打开审批工作台…");
    Api.me().then(function (account) {
      if (!account) {
        P.toLogin(page);
        return;
      }
      if (account.role !== "staff") {
        P.showProblem("review", "仅审批人员可以使用审批工作台",
          "您当前登录的是申请人账号。审批人员账号由系统管理员开设，请使用审批人员账号登录。", [
            { href: page.getAttribute("data-home"), label: "返回首页" }
          ]);
        return;
      }
      setDepartment(account);
      start(page, state);
    }, function (error) {
      P.showProblem("review", "审批工作台未能打开", error.message + "。请稍后刷新页面重试。");
    });
  }

  if (P) {
    P.onReady(init);
  }
})();
