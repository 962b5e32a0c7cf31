/* 网上申报 (/apply/): continue the draft (GET one by ?application=), or show the sub-item's empty form or the
   draft already started (GET /api/applications/new?region=&subitem_code=: stores nothing; the first save does),
   build 基本信息 from the sub-item's fields (apply/fields.js) and 申请材料 from its materials
   (apply/materials.js), then 下一步 → 确认提交申请？ 是 → 申报成功 (apply/submit.js).
   The same page serves 补正 (status correction_required): what to correct on top, then resubmit. */

import * as Api from "../api.js";
import { freshDownloads } from "../applications/downloads.js";
import { can, fillCorrections, statusBadge } from "../applications/views.js";
import { boot, loading, showProblem } from "../boot.js";
import { clear, params, siteTitle, status } from "../dom.js";
import { moveToRegion } from "../lib/regions.js";
import { renderFields, watchForm } from "../apply/fields.js";
import { refreshFiles, renderMaterials, watchMaterials } from "../apply/materials.js";
import { ApplyState } from "../apply/state.js";
import { bindDiscard } from "../apply/discard.js";
import { bindNext, showGuideChanges } from "../apply/submit.js";

function fillSummary(app) {
  document.querySelectorAll("[data-app]").forEach(function (node) {
    var key = node.getAttribute("data-app");
    clear(node).append(key === "status_label" ? statusBadge(app.status, app.status_label) : app[key] || "");
  });
  document.querySelector("[data-app-number]").hidden = !app.number;
  document.getElementById("apply-title").textContent = app.subitem_name;
  document.title = "网上申报：" + app.subitem_name + " - " + siteTitle();
}

function notEditable(page, app) {
  showProblem("apply", "该办件当前状态为“" + app.status_label + "”，不能再修改",
    "办件编号 " + (app.number || "—") + "，当前状态：" + app.status_label + "。", [
      { href: page.getAttribute("data-application") + "?id=" + encodeURIComponent(app.id), label: "查看办件详情" },
      { href: page.getAttribute("data-my-applications"), label: "我的申请" }
    ]);
}

function focusFirst(app) {
  var first = app.guide_changes.length ? "apply-guide-changes" : app.corrections.length ? "apply-corrections" : "apply-title";
  document.getElementById(first).focus();
}

function show(state, created) {
  var app = state.app;
  fillSummary(app);
  if (!can(app, "edit") && !app.guide_changes.length) {
    notEditable(state.page, app);
    return;
  }
  fillCorrections(document.getElementById("apply-corrections"), app.corrections);
  if (app.guide_changes.length) {
    showGuideChanges(app.guide_changes, app.guide_url,
      can(app, "submit") ? "该事项的办事要求在您开始申报后有调整，请按调整后的要求核对后再提交：" : "", false);
    if (!can(app, "edit")) {
      loading("apply", "");
      return;
    }
  }
  renderFields(state);
  renderMaterials(state);
  watchForm(state);
  watchMaterials(state);
  freshDownloads(document.getElementById("apply-materials"), {
    get loadedAt() { return state.loadedAt; },
    refresh: function () {
      return refreshFiles(state);
    }
  });
  bindNext(state);
  bindDiscard(state);
  loading("apply", "");
  document.getElementById("apply-content").hidden = false;
  status(document.getElementById("apply-autosave"), !created && !app.number ? "已恢复您上次保存的草稿，可以继续填写。" : "");
  focusFirst(app);
}

/* The application to show: ?application= continues one, ?region=&item= finds the draft or the empty form. */
function loadApplication(query) {
  if (query.get("application")) {
    return Api.get("/applications/" + encodeURIComponent(query.get("application"))).then(function (app) {
      return { app: app, created: false };
    });
  }
  var which = "?region=" + encodeURIComponent(query.get("region")) + "&subitem_code=" + encodeURIComponent(query.get("item"));
  return Api.get("/applications/new" + which).then(function (app) {
    return { app: app, created: !app.id };
  });
}

function start(page) {
  var query = params();
  var back = [{ href: page.getAttribute("data-home"), label: "返回首页" }, { href: page.getAttribute("data-my-applications"), label: "我的申请" }];
  if (!query.get("application") && !(query.get("region") && query.get("item"))) {
    showProblem("apply", "请先选择要申报的事项", "在服务指南页面点击“申报”即可开始网上申报。", back);
    return;
  }
  if (query.get("region") && moveToRegion(query.get("region"))) {
    return; // the region's own copy of this page
  }
  var state = new ApplyState(page);
  loadApplication(query).then(function (loaded) {
    if (moveToRegion(loaded.app.region)) {
      return;
    }
    state.app = loaded.app;
    show(state, loaded.created);
  }, function (error) {
    if (error.status === 404 || error.status === 422 || error.status === 403) {
      showProblem("apply", error.status === 404 ? "找不到要申报的事项" : "不能网上申报该事项", error.message, back);
    } else {
      showProblem("apply", "申报页面未能打开", error.message + "。请稍后刷新页面重试。");
    }
  });
}

boot({
  page: "apply-page", prefix: "apply", what: "申报页面", loadingText: "正在打开申报页面…", signIn: true, start: start,
  role: {
    not: "staff", title: "审批人员账号不能申报事项", text: "请使用申请人账号登录后申报。",
    links: function (page) { return [{ href: page.getAttribute("data-review"), label: "进入审批工作台" }]; }
  }
});
