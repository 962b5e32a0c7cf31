/* 办件详情 (/my/application/?id=): GET /api/applications/{id}; the actions its allowed_actions name:
   edit (继续填写 / 去补正 on the 申报 page), withdraw (撤回, after a confirmation dialog), evaluate (好差评). */

import * as Api from "../api.js";
import { Dialog } from "../applications/dialog.js";
import { freshDownloads } from "../applications/downloads.js";
import * as View from "../applications/views.js";
import { boot, loading, showProblem } from "../boot.js";
import { params, siteTitle, status } from "../dom.js";
import { bindSubmit, control } from "../forms.js";
import { moveToRegion } from "../lib/regions.js";

var LOW_RATING = 2; // 不满意 and 非常不满意 must say why

function render(state) {
  var app = state.app;
  var content = document.getElementById("detail-content");
  document.getElementById("detail-title").textContent = app.subitem_name;
  document.title = "办件详情：" + app.subitem_name + " - " + state.siteTitle;
  View.fillSummary(content.querySelector("[data-summary]"), app);
  View.fillCorrections(document.getElementById("detail-corrections"), app.corrections);
  View.fillFormValues(content.querySelector("[data-form-values]"), app);
  View.fillMaterials(content.querySelector("[data-materials]"), app);
  View.fillHistory(content.querySelector("[data-history]"), app.history);
  View.fillDocuments(document.getElementById("detail-documents"), app.documents);
  renderActions(state.page, app);
  renderEvaluation(app);
  state.loadedAt = Date.now();
}

function renderActions(page, app) {
  var edit = document.getElementById("detail-edit");
  edit.hidden = !View.can(app, "edit");
  edit.textContent = app.corrections.length ? "去补正" : "继续填写";
  edit.href = page.getAttribute("data-apply") + "?application=" + encodeURIComponent(app.id);
  document.getElementById("detail-withdraw").hidden = !View.can(app, "withdraw");
  document.getElementById("detail-actions").hidden = edit.hidden && !View.can(app, "withdraw");
}

function renderEvaluation(app) {
  var section = document.getElementById("detail-evaluation");
  var form = document.getElementById("evaluation-form");
  form.hidden = !View.can(app, "evaluate");
  View.fillEvaluation(document.getElementById("detail-evaluation-result"), app.evaluation);
  section.hidden = form.hidden && !app.evaluation;
}

function announce(text) {
  var out = document.getElementById("detail-status");
  status(out, text, "success");
  out.focus();
}

function path(state, suffix) {
  return "/applications/" + encodeURIComponent(state.app.id) + (suffix || "");
}

function refresh(state) {
  return Api.get(path(state)).then(function (app) {
    state.app = app;
    render(state);
  });
}

/* An answer that is the application as it is now: shown, and said. */
function changed(state, text) {
  return function (app) {
    state.app = app;
    render(state);
    announce(typeof text === "function" ? text(app) : text);
  };
}

/* A refusal because the application changed meanwhile (409): the page is read again behind the message. */
function conflict(state) {
  return function (error) {
    if (error.status === 409) {
      refresh(state);
    }
    return false;
  };
}

function withdrawAction(state) {
  var dialog = new Dialog(document.getElementById("withdraw-confirm"));
  var button = document.getElementById("detail-withdraw");
  var run = bindSubmit(dialog.form, {
    button: dialog.yes,
    listen: false,
    setBusy: function (on) {
      dialog.busy(on, "正在撤回…");
    },
    send: function () {
      return Api.post(path(state, "/withdraw"));
    },
    done: function (app) {
      dialog.finish();
      changed(state, function (fresh) { return "申请已撤回。办件状态：" + fresh.status_label + "。"; })(app);
    },
    failed: function (error) {
      dialog.showError(error.message);
      conflict(state)(error);
      return true;
    }
  });
  button.addEventListener("click", function () {
    dialog.open(button, run, dialog.no); // 否 is where focus starts: withdrawing cannot be undone
  });
}

function evaluationForm(state) {
  var form = document.getElementById("evaluation-form");
  var comment = control(form, "comment");
  var rating = function () {
    var picked = form.querySelector('input[name="rating"]:checked');
    return picked ? Number(picked.value) : null;
  };
  bindSubmit(form, {
    check: function (found) {
      if (rating() !== null && rating() <= LOW_RATING && !comment.value.trim()) {
        found.comment = "选择“不满意”或“非常不满意”时，请写明原因";
      }
      return found;
    },
    send: function () {
      return Api.post(path(state, "/evaluation"), { rating: rating(), comment: comment.value.trim() });
    },
    done: changed(state, "感谢您的评价。"),
    failed: conflict(state)
  });
  // The comment is marked required as soon as a low rating is picked.
  form.addEventListener("change", function (event) {
    if (event.target.name === "rating") {
      var low = Number(event.target.value) <= LOW_RATING;
      comment.required = low;
      document.getElementById("eval-comment-optional").textContent = low ? "（必填：请写明不满意的原因）" : "（选填）";
    }
  });
}

function start(page) {
  var id = params().get("id");
  var state = { page: page, app: null, loadedAt: 0, siteTitle: siteTitle() };
  state.refresh = function () {
    return refresh(state);
  };
  if (!id) {
    showProblem("detail", "没有指定办件", "请从“我的申请”中选择要查看的办件。", [
      { href: page.getAttribute("data-my-applications"), label: "我的申请" }
    ]);
    return;
  }
  Api.get("/applications/" + encodeURIComponent(id)).then(function (app) {
    if (moveToRegion(app.region)) {
      return; // shown on its own region's copy of this page
    }
    state.app = app;
    render(state);
    withdrawAction(state);
    evaluationForm(state);
    freshDownloads(document.getElementById("detail-materials"), state);
    freshDownloads(document.getElementById("detail-documents"), state);
    loading("detail", "");
    document.getElementById("detail-content").hidden = false;
    document.getElementById("detail-title").focus();
  }, function (error) {
    loadFailed(page, error);
  });
}

function loadFailed(page, error) {
  if (error.status === 404) {
    showProblem("detail", "办件不存在", "该办件不存在，或您无权查看。", [
      { href: page.getAttribute("data-my-applications") || "/", label: "返回列表" }
    ]);
    return;
  }
  showProblem("detail", "办件详情未能打开", error.message + "。请稍后刷新页面重试。");
}

boot({ page: "detail-page", prefix: "detail", what: "办件详情", loadingText: "正在读取办件…", signIn: true, start: start });
