/* 审批工作台's detail: one application of the department (GET /api/review/applications/{id}) with its actions. */

import * as Api from "../api.js";
import * as View from "../applications/views.js";
import { loading, showProblem } from "../boot.js";
import { clear, status } from "../dom.js";
import { actionButtons, reveal } from "./actions.js";
import { failed, reviewUrl, setDepartment } from "./common.js";
import { renderReplyForm } from "./evaluations.js";

export function renderDetail(state) {
  var app = state.app;
  var box = document.getElementById("review-detail");
  document.getElementById("review-detail-title").textContent = app.subitem_name + "（" + app.number + "）";
  document.title = app.number + " - 审批工作台 - " + state.siteTitle;
  setDepartment(app);
  View.fillSummary(box.querySelector("[data-summary]"), app);
  View.fillCorrections(document.getElementById("review-corrections-notice"), app.corrections);
  View.fillApplicant(box.querySelector("[data-applicant]"), app.applicant);
  View.fillFormValues(box.querySelector("[data-form-values]"), app, function (field, button, shown) {
    reveal(state, field, button, shown);
  });
  View.fillMaterials(box.querySelector("[data-materials]"), app);
  View.fillHistory(box.querySelector("[data-history]"), app.history);
  View.fillDocuments(document.getElementById("review-documents"), app.documents);
  var evaluation = document.getElementById("review-evaluation");
  View.fillEvaluation(evaluation.querySelector("[data-evaluation]"), app.evaluation);
  evaluation.hidden = !app.evaluation;
  renderReplyForm(state);
  state.loadedAt = Date.now();
  var actions = clear(document.getElementById("review-actions"));
  actions.append(...actionButtons(state));
  actions.hidden = !actions.childNodes.length;
  document.getElementById("review-no-actions").hidden = !actions.hidden;
}

export function showDetail(page, state, id, focus) {
  document.getElementById("review-list").hidden = true;
  loading("review", "正在读取办件…");
  var mine = (state.sequence += 1);
  return Api.get("/review/applications/" + encodeURIComponent(id)).then(function (app) {
    if (mine !== state.sequence) {
      return;
    }
    loading("review", "");
    state.app = app;
    renderDetail(state);
    document.getElementById("review-detail").hidden = false;
    status(document.getElementById("review-status"), "");
    if (focus) {
      document.getElementById("review-detail-title").focus();
    }
  }, function (error) {
    if (mine !== state.sequence) {
      return;
    }
    loading("review", "");
    if (error.status === 404) {
      showProblem("review", "办件不存在", "该办件不存在，或不属于本部门。", [{ href: reviewUrl(page), label: "返回办件列表" }]);
    } else {
      failed(error);
    }
  });
}
