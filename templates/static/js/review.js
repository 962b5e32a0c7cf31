/* 审批工作台 (/review/): staff only. ?status= lists the department's applications in one status
   (GET /api/review/applications), ?id= shows one (GET …/{id}) with the actions its status allows, each
   confirmed in a dialog with its comment (and, for 要求补正, the list of what to correct):
   POST …/{id}/actions {action, comment, corrections}. A refused transition (409) is shown as the API words it. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;
  var P = window.PortalApplications;
  var ACTIONS = {
    accept: { label: "受理", about: "受理后办件进入审批。", primary: true },
    reject: { label: "不予受理", about: "不予受理须说明理由，申请人会收到短信通知。", needsComment: true },
    request_correction: { label: "要求补正", about: "请一次列全需要申请人补正的材料和内容，申请人补正后会重新提交。", corrections: true },
    approve: { label: "准予许可", about: "准予许可后办件办结。", primary: true },
    deny: { label: "不予许可", about: "不予许可须说明理由，申请人会收到短信通知。", needsComment: true }
  };
  var ORDER = ["accept", "request_correction", "reject", "approve", "deny"];

  function reviewUrl(page, query) {
    return page.getAttribute("data-review") + (query ? "?" + query : "");
  }

  /* --- the list -------------------------------------------------------------------------------------- */

  /* The first filter of the page (已提交): the queue that waits for staff first. */
  function defaultStatus() {
    return document.querySelector(".status-filter-link").getAttribute("data-status");
  }

  function currentStatus() {
    return P.params().get("status") || defaultStatus();
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
    // Rows that still wait for a staff decision say 办理, the others 查看.
    var open = app.allowed_actions.length > 0;
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
    P.fillCorrections(document.getElementById("review-corrections-notice"), app.corrections);
    P.fillApplicant(box.querySelector("[data-applicant]"), app.applicant);
    P.fillFormValues(box.querySelector("[data-form-values]"), app, function (field, button, shown) {
      reveal(page, state, field, button, shown);
    });
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

  /* One choice per material and per form field of the application: a checkbox, and the reason once checked. */
  function correctionChoice(state, kind, id, label) {
    var key = "review-correction-" + (state.lineIds += 1);
    var box = P.el("input", { type: "checkbox", id: key, "data-local": true, "data-kind": kind, "data-id": id });
    var reason = P.el("input", {
      class: "input", id: key + "-reason", name: key + "-reason", type: "text", maxlength: 200, "data-local": true, disabled: true,
      "data-label": "“" + label + "”的补正原因", "aria-describedby": key + "-reason-error"
    });
    var reasonField = P.el("div", { class: "field correction-reason", hidden: true }, [
      P.el("label", { class: "line-label", for: key + "-reason" }, ["补正原因", P.hiddenText("：" + label)]),
      P.el("p", { class: "field-error", id: key + "-reason-error", hidden: true }),
      reason
    ]);
    box.addEventListener("change", function () {
      reasonField.hidden = !box.checked;
      reason.disabled = !box.checked;
      if (box.checked) {
        reason.focus();
      }
    });
    return P.el("li", { class: "correction-choice" }, [
      P.el("label", { class: "choice", for: key }, [box, " " + (kind === "material" ? "申请材料" : "申请表") + "：" + label]),
      reasonField
    ]);
  }

  function fillCorrectionChoices(state) {
    var list = P.clear(document.getElementById("review-corrections-items"));
    state.app.materials.forEach(function (material) {
      list.appendChild(correctionChoice(state, "material", material.id, material.name));
    });
    state.app.fields.forEach(function (field) {
      list.appendChild(correctionChoice(state, "field", field.name, field.label));
    });
  }

  /* The chosen items; a checked one without a reason gets its error. */
  function chosenCorrections(found) {
    var items = [];
    Array.prototype.forEach.call(document.querySelectorAll("#review-corrections-items input[type=checkbox]"), function (box) {
      if (!box.checked) {
        return;
      }
      var reason = document.getElementById(box.id + "-reason");
      // The API names a problem by the item's place in the list it was sent.
      reason.setAttribute("data-error-for", "corrections." + items.length + ".reason corrections." + items.length + ".id");
      if (!reason.value.trim()) {
        found[reason.name] = "请写明" + reason.getAttribute("data-label");
      }
      items.push({ kind: box.getAttribute("data-kind"), id: box.getAttribute("data-id"), reason: reason.value.trim() });
    });
    return items;
  }

  /* 查看完整号码: the API records who opened which number of which application, then answers it. */
  function reveal(page, state, field, button, shown) {
    if (F.isBusy(button)) {
      return;
    }
    F.busy(button, true, "正在读取…");
    Api.post("/review/applications/" + encodeURIComponent(state.app.id) + "/reveal", { field: field.name }).then(function (answer) {
      shown.textContent = answer.value;
      button.parentNode.replaceChild(P.el("span", { class: "reveal-note" }, "（已记录本次查看）"), button);
    }, function (error) {
      F.busy(button, false);
      if (error.status === 401) {
        P.toLogin(page);
        return;
      }
      F.status(document.getElementById("review-status"), error.message, "error");
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
    P.clear(document.getElementById("review-corrections-items"));
    if (spec.corrections) {
      fillCorrectionChoices(state);
    }
    state.dialog.yes.textContent = "确认" + spec.label;
    state.dialog.yes.hidden = false;
    state.dialog.open(button, function () {
      decide(page, state, action);
    }, spec.corrections ? document.querySelector("#review-corrections-items input") : comment);
  }

  function decide(page, state, action) {
    var spec = ACTIONS[action];
    var dialog = state.dialog;
    var form = dialog.dialog.querySelector("form");
    var comment = document.getElementById("review-comment").value.trim();
    F.clearErrors(form);
    var found = {};
    var corrections = spec.corrections ? chosenCorrections(found) : [];
    if (spec.needsComment && !comment) {
      found.comment = spec.label + "必须说明理由，请填写审批意见";
    }
    if (spec.corrections && !corrections.length) {
      found.corrections = "请至少勾选一项需要补正的材料或内容";
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

  /* --- 个人信息查看记录 (GET /api/review/audit-log): 50 at a time, newest first -------------------------- */

  function loadAuditLog(page, state) {
    var out = document.getElementById("review-audit-status");
    var button = document.getElementById("review-audit-show");
    out.textContent = "正在读取…";
    Api.get("/review/audit-log" + (state.auditCursor ? "?cursor=" + encodeURIComponent(state.auditCursor) : "")).then(function (answer) {
      var rows = document.getElementById("review-audit-rows");
      answer.items.forEach(function (entry) {
        rows.appendChild(P.el("tr", null, [
          P.el("td", { "data-label": "查看时间" }, P.formatTime(entry.at)),
          P.el("td", { "data-label": "查看人" }, entry.staff_name),
          P.el("td", { "data-label": "办件编号", class: "code" }, entry.number || ""),
          P.el("td", { "data-label": "事项名称" }, entry.subitem_name),
          P.el("td", { "data-label": "查看内容" }, entry.field_label)
        ]));
      });
      state.auditCursor = answer.next_cursor;
      document.getElementById("review-audit-wrap").hidden = !rows.children.length;
      out.textContent = rows.children.length ? "共 " + rows.children.length + " 条" + (answer.next_cursor ? "，还有更多" : "") : "暂无查看记录。";
      button.textContent = "加载更多记录";
      button.hidden = !answer.next_cursor;
    }, function (error) {
      failed(page, error, out);
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
    document.getElementById("review-audit-show").addEventListener("click", function () {
      loadAuditLog(page, state);
    });
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
    var state = { app: null, sequence: 0, lineIds: 0, loadedAt: 0, lastStatus: defaultStatus(),
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
