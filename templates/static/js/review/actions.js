/* 审批工作台's decisions: each action its allowed_actions name, confirmed in a dialog with its comment (and, for
   要求补正, the list of what to correct): POST …/{id}/actions {action, comment, corrections}. A refused
   transition (409) is shown as the API words it. Also 查看完整号码 (POST …/{id}/reveal). */

import * as Api from "../api.js";
import { Dialog } from "../applications/dialog.js";
import { clear, el, hiddenText, status } from "../dom.js";
import { bindSubmit, busy, clearErrors, isBusy, setError } from "../forms.js";

var ACTIONS = {
  accept: { label: "受理", about: "受理后办件进入审批。", primary: true },
  reject: { label: "不予受理", about: "不予受理须说明理由，申请人会收到短信通知。", needsComment: true },
  request_correction: { label: "要求补正", about: "请一次列全需要申请人补正的材料和内容，申请人补正后会重新提交。", corrections: true },
  approve: { label: "准予许可", about: "准予许可后办件办结。", primary: true },
  deny: { label: "不予许可", about: "不予许可须说明理由，申请人会收到短信通知。", needsComment: true }
};
var ORDER = ["accept", "request_correction", "reject", "approve", "deny"];

function applicationPath(state, suffix) {
  return "/review/applications/" + encodeURIComponent(state.app.id) + suffix;
}

/* The buttons of the actions the API allows now, in the order staff expect. */
export function actionButtons(state) {
  return ORDER.filter(function (action) { return state.app.allowed_actions.indexOf(action) !== -1; }).map(function (action) {
    var button = el("button", {
      type: "button", class: "button " + (ACTIONS[action].primary ? "button-primary" : "button-secondary"), "data-action": action
    }, ACTIONS[action].label);
    button.addEventListener("click", function () {
      openAction(state, action, button);
    });
    return button;
  });
}

/* One choice per material and per form field of the application: a checkbox, and the reason once checked. */
function correctionChoice(state, kind, id, label) {
  var key = "review-correction-" + (state.lineIds += 1);
  var box = el("input", { type: "checkbox", id: key, "data-local": true, "data-kind": kind, "data-id": id });
  var reason = el("input", {
    class: "input", id: key + "-reason", name: key + "-reason", type: "text", maxlength: 200, "data-local": true, disabled: true,
    "data-label": "“" + label + "”的补正原因", "aria-describedby": key + "-reason-error"
  });
  var reasonField = el("div", { class: "field correction-reason", hidden: true }, [
    el("label", { class: "line-label", for: key + "-reason" }, ["补正原因", hiddenText("：" + label)]),
    el("p", { class: "field-error", id: key + "-reason-error", hidden: true }),
    reason
  ]);
  box.addEventListener("change", function () {
    reasonField.hidden = !box.checked;
    reason.disabled = !box.checked;
    if (box.checked) {
      reason.focus();
    }
  });
  return el("li", { class: "correction-choice" }, [
    el("label", { class: "choice", for: key }, [box, " " + (kind === "material" ? "申请材料" : "申请表") + "：" + label]),
    reasonField
  ]);
}

function fillCorrectionChoices(state) {
  var list = clear(document.getElementById("review-corrections-items"));
  state.app.materials.forEach(function (material) {
    list.appendChild(correctionChoice(state, "material", material.id, material.name));
  });
  state.app.fields.forEach(function (field) {
    list.appendChild(correctionChoice(state, "field", field.name, field.label));
  });
}

/* The chosen items; a checked one without a reason gets its error in `found`. */
function chosenCorrections(found) {
  var items = [];
  document.querySelectorAll("#review-corrections-items input[type=checkbox]").forEach(function (box) {
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

function openAction(state, action, button) {
  var spec = ACTIONS[action];
  var comment = document.getElementById("review-comment");
  var editor = document.getElementById("review-corrections");
  state.action = action;
  clearErrors(state.dialog.form);
  setError(editor, "");
  document.getElementById("review-action-title").textContent = spec.label + "：" + state.app.number;
  document.getElementById("review-action-about").textContent = state.app.subitem_name + "。" + spec.about;
  document.getElementById("review-comment-optional").textContent = spec.needsComment ? "（必填）" : "（选填）";
  document.getElementById("review-comment-hint").textContent = spec.needsComment
    ? "请写明理由，申请人会看到。" : "将记入办理记录，申请人可以看到。";
  comment.required = Boolean(spec.needsComment);
  comment.value = "";
  editor.hidden = !spec.corrections;
  editor.disabled = !spec.corrections;
  clear(document.getElementById("review-corrections-items"));
  if (spec.corrections) {
    fillCorrectionChoices(state);
  }
  state.dialog.yes.textContent = "确认" + spec.label;
  state.dialog.yes.hidden = false;
  state.dialog.open(button, state.decide, spec.corrections ? document.querySelector("#review-corrections-items input") : comment);
}

/* The action dialog, bound once: its 是 sends the action openAction chose. */
export function bindActionDialog(state) {
  var dialog = (state.dialog = new Dialog(document.getElementById("review-action")));
  var spec = function () {
    return ACTIONS[state.action];
  };
  var corrections = [];
  state.decide = bindSubmit(dialog.form, {
    button: dialog.yes,
    listen: false,
    setBusy: function (on) {
      dialog.busy(on, "正在提交…");
    },
    check: function () {
      var found = {}; // the comment's own message, not the generic 请填写
      corrections = spec().corrections ? chosenCorrections(found) : [];
      if (spec().needsComment && !document.getElementById("review-comment").value.trim()) {
        found.comment = spec().label + "必须说明理由，请填写审批意见";
      }
      if (spec().corrections && !corrections.length) {
        found.corrections = "请至少勾选一项需要补正的材料或内容";
      }
      return found;
    },
    send: function () {
      return Api.post(applicationPath(state, "/actions"), {
        action: state.action, comment: document.getElementById("review-comment").value.trim(), corrections: corrections
      });
    },
    done: function (app) {
      var label = spec().label;
      state.app = app;
      dialog.finish();
      state.render();
      var out = document.getElementById("review-status");
      status(out, "已" + label + "。办件状态：" + app.status_label + "，申请人将收到短信通知。", "success");
      out.focus();
    },
    failed: function (error) {
      if (error.status !== 409) {
        return false;
      }
      // The status changed since the page was read (someone else acted, the applicant withdrew): say so,
      // take away the button that can no longer work, and refresh the page behind the dialog.
      dialog.showError(error.message + "。页面已刷新为最新状态。");
      dialog.yes.hidden = true;
      dialog.no.focus();
      state.refresh();
      return true;
    }
  });
}

/* 查看完整号码: the API records who opened which number of which application, then answers it. */
export function reveal(state, field, button, shown) {
  if (isBusy(button)) {
    return;
  }
  busy(button, true, "正在读取…");
  Api.post(applicationPath(state, "/reveal"), { field: field.name }).then(function (answer) {
    shown.textContent = answer.value;
    button.replaceWith(el("span", { class: "reveal-note" }, "（已记录本次查看）"));
  }, function (error) {
    busy(button, false);
    status(document.getElementById("review-status"), error.message, "error");
  });
}
