/* 办件详情 (/my/application/?id=): GET /api/applications/{id}; the actions its allowed_actions name:
   edit (继续填写 / 去补正 on the 申报 page), withdraw (撤回, after a confirmation dialog), evaluate (好差评). */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;
  var P = window.PortalApplications;
  var LOW_RATING = 2; // 不满意 and 非常不满意 must say why

  function render(page, state) {
    var app = state.app;
    var content = document.getElementById("detail-content");
    document.getElementById("detail-title").textContent = app.subitem_name;
    document.title = "办件详情：" + app.subitem_name + " - " + state.siteTitle;
    P.fillSummary(content.querySelector("[data-summary]"), app);
    P.fillCorrections(document.getElementById("detail-corrections"), app.corrections);
    P.fillFormValues(content.querySelector("[data-form-values]"), app);
    P.fillMaterials(content.querySelector("[data-materials]"), app);
    P.fillHistory(content.querySelector("[data-history]"), app.history);
    renderActions(page, app);
    renderEvaluation(app);
    state.loadedAt = Date.now();
  }

  function renderActions(page, app) {
    var allowed = app.allowed_actions;
    var edit = document.getElementById("detail-edit");
    edit.hidden = allowed.indexOf("edit") === -1;
    edit.textContent = app.corrections.length ? "去补正" : "继续填写";
    edit.href = page.getAttribute("data-apply") + "?application=" + encodeURIComponent(app.id);
    document.getElementById("detail-withdraw").hidden = allowed.indexOf("withdraw") === -1;
    document.getElementById("detail-actions").hidden = edit.hidden && allowed.indexOf("withdraw") === -1;
  }

  function renderEvaluation(app) {
    var section = document.getElementById("detail-evaluation");
    var result = document.getElementById("detail-evaluation-result");
    var form = document.getElementById("evaluation-form");
    var evaluation = app.evaluation;
    form.hidden = app.allowed_actions.indexOf("evaluate") === -1;
    P.fillEvaluation(result, evaluation);
    section.hidden = form.hidden && !evaluation;
  }

  function announce(text) {
    var out = document.getElementById("detail-status");
    F.status(out, text, "success");
    out.focus();
  }

  function withdrawAction(page, state) {
    var dialog = new P.Dialog(document.getElementById("withdraw-confirm"));
    var button = document.getElementById("detail-withdraw");
    button.addEventListener("click", function () {
      // 否 is where focus starts: withdrawing cannot be undone.
      dialog.open(button, function () {
        dialog.busy(true, "正在撤回…");
        Api.post("/applications/" + encodeURIComponent(state.app.id) + "/withdraw").then(function (app) {
          state.app = app;
          dialog.busy(false);
          dialog.opener = null;
          dialog.close();
          render(page, state);
          announce("申请已撤回。办件状态：" + app.status_label + "。");
        }, function (error) {
          dialog.busy(false);
          if (error.status === 401) {
            P.toLogin(page);
            return;
          }
          dialog.showError(error.message);
          if (error.status === 409) {
            refresh(state);
          }
        });
      }, dialog.no);
    });
  }

  function evaluationForm(page, state) {
    var form = document.getElementById("evaluation-form");
    var button = form.querySelector(".button-submit");
    var out = document.getElementById("evaluation-status");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (F.isBusy(button)) {
        return;
      }
      F.clearErrors(form);
      var found = F.checkRequired(form);
      var picked = form.querySelector('input[name="rating"]:checked');
      var comment = F.control(form, "comment");
      if (picked && Number(picked.value) <= LOW_RATING && !comment.value.trim()) {
        found.comment = "选择“不满意”或“非常不满意”时，请写明原因";
      }
      if (F.hasProblems(found)) {
        F.showErrors(form, { fields: found, message: "请检查填写的内容" });
        return;
      }
      F.busy(button, true, "正在提交…");
      Api.post("/applications/" + encodeURIComponent(state.app.id) + "/evaluation", {
        rating: Number(picked.value), comment: comment.value.trim()
      }).then(function (app) {
        F.busy(button, false);
        state.app = app;
        render(page, state);
        announce("感谢您的评价。");
      }, function (error) {
        F.busy(button, false);
        if (error.status === 401) {
          P.toLogin(page);
          return;
        }
        F.showErrors(form, error);
        if (error.status === 409) {
          refresh(state);
        }
      });
    });
    // The comment is marked required as soon as a low rating is picked.
    form.addEventListener("change", function (event) {
      if (event.target.name === "rating") {
        var low = Number(event.target.value) <= LOW_RATING;
        comment().required = low;
        document.getElementById("eval-comment-optional").textContent = low ? "（必填：请写明不满意的原因）" : "（选填）";
      }
    });
    function comment() {
      return F.control(form, "comment");
    }
  }

  function refresh(state) {
    return Api.get("/applications/" + encodeURIComponent(state.app.id)).then(function (app) {
      state.app = app;
      render(state.page, state);
    });
  }

  function init() {
    var page = document.getElementById("detail-page");
    if (!page || !Api || !F || !P) {
      return;
    }
    var id = P.params().get("id");
    var state = { page: page, app: null, loadedAt: 0, siteTitle: document.title.replace(/^[^-]+- /, "") };
    state.refresh = function () {
      return refresh(state);
    };
    P.loading("detail", "正在读取办件…");
    Api.me().then(function (account) {
      if (!account) {
        P.toLogin(page);
        return;
      }
      if (!id) {
        P.showProblem("detail", "没有指定办件", "请从“我的申请”中选择要查看的办件。", [
          { href: page.getAttribute("data-my-applications"), label: "我的申请" }
        ]);
        return;
      }
      Api.get("/applications/" + encodeURIComponent(id)).then(function (app) {
        state.app = app;
        render(page, state);
        withdrawAction(page, state);
        evaluationForm(page, state);
        P.freshDownloads(document.getElementById("detail-materials"), state);
        P.loading("detail", "");
        document.getElementById("detail-content").hidden = false;
        document.getElementById("detail-title").focus();
      }, function (error) {
        P.loadFailed(page, "detail", error, "办件详情");
      });
    }, function (error) {
      P.showProblem("detail", "办件详情未能打开", error.message + "。请稍后刷新页面重试。");
    });
  }

  if (P) {
    P.onReady(init);
  }
})();
