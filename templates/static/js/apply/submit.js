/* 下一步 → 确认提交申请？ → 是 → POST …/submit with an Idempotency-Key → 申报成功 with 办件编号. */

import * as Api from "../api.js";
import { Dialog } from "../applications/dialog.js";
import { clear, el, siteTitle, status } from "../dom.js";
import { bindSubmit, showErrors } from "../forms.js";
import { uuid } from "../lib/urls.js";
import { saveForm } from "./fields.js";
import { refreshFiles, uploadsPending } from "./materials.js";

export function setStep(step) {
  document.querySelectorAll(".apply-steps [data-step]").forEach(function (item) {
    if (item.getAttribute("data-step") === step) {
      item.setAttribute("aria-current", "step");
    } else {
      item.removeAttribute("aria-current");
    }
  });
}

/* What is still missing, as the server would say it: required fields, refused values, required materials. */
function missing(state, required) {
  var found = Object.assign({}, state.saveErrors, required);
  state.app.materials.forEach(function (material) {
    if (material.required && !state.files[material.id].length) {
      found["materials." + material.id] = "请上传“" + material.name + "”";
    }
  });
  return found;
}

/* 事项已调整: what changed since the application was started, a link to the guide, and (when it can still be
   submitted) a reload that shows the form as it is now. */
export function showGuideChanges(changes, guideUrl, message, canReload) {
  var notice = document.getElementById("apply-guide-changes");
  var list = clear(notice.querySelector("[data-guide-changes]"));
  changes.forEach(function (text) {
    list.appendChild(el("li", null, text));
  });
  notice.querySelector("[data-guide-message]").textContent = message || "";
  var link = notice.querySelector("[data-guide-link]");
  link.hidden = !guideUrl;
  link.href = guideUrl || "#";
  var reload = notice.querySelector("[data-guide-reload]");
  reload.hidden = !canReload;
  reload.onclick = function () {
    window.location.reload();
  };
  notice.hidden = false;
  notice.focus();
}

function done(state, result) {
  var page = state.page;
  document.getElementById("apply-content").hidden = true;
  document.getElementById("apply-errors").hidden = true;
  var panel = document.getElementById("apply-done");
  panel.querySelector("[data-done-number]").textContent = result.number;
  document.getElementById("apply-done-detail").href = page.getAttribute("data-application") + "?id=" + encodeURIComponent(result.application_id);
  setStep("done");
  panel.hidden = false;
  document.title = "申报成功 - " + siteTitle();
  // Reloading now shows this application, not a new draft of the same item.
  window.history.replaceState(null, "", page.getAttribute("data-apply") + "?application=" + encodeURIComponent(result.application_id));
  panel.focus();
  panel.scrollIntoView({ block: "start" });
}

/* 是 in the dialog: the same key for every retry of this attempt — a double click or a resend after a network
   failure gets the first answer back, never a second application (SPEC §4.5). */
function submitter(state, dialog) {
  return bindSubmit(dialog.form, {
    button: dialog.yes,
    listen: false,
    setBusy: function (on) {
      dialog.busy(on, "正在提交…");
    },
    send: function () {
      state.submitKey = state.submitKey || uuid(window.crypto);
      dialog.showError("");
      // The guide version the page shows: if an editor changed the item since, the API says 事项已调整.
      return state.write(function () {
        return state.stored().then(function () {
          return Api.post(state.path("/submit"), { guide_version: state.app.guide_version },
            { headers: { "Idempotency-Key": state.submitKey } });
        });
      });
    },
    done: function (result) {
      dialog.finish();
      done(state, result);
    },
    failed: function (error) {
      if (error.status === 0 || error.status >= 500) {
        dialog.showError(error.message + "。请点击“是”重试，不会重复提交。");
        return true;
      }
      dialog.close();
      setStep("fill");
      if (error.code === "subitem_changed" || error.code === "subitem_unavailable") {
        showGuideChanges(error.changes || [], error.guide_url, error.message, error.code === "subitem_changed");
        return true;
      }
      showErrors(state.form, error);
      refreshFiles(state).catch(function () {});
      return true;
    }
  });
}

/* 下一步: save what is typed, check what is missing, then ask 确认提交申请？ */
export function bindNext(state) {
  var dialog = new Dialog(document.getElementById("apply-confirm"));
  if (state.app.number) { // submitted before: this is the resubmission of a 补正
    document.getElementById("apply-confirm-title").textContent = "确认提交补正后的申请？";
    document.getElementById("apply-confirm-text").textContent = "这是办件 " + state.app.number +
      " 补正后的重新提交，办件编号不变；提交后由审批部门继续办理。";
  }
  dialog.dialog.addEventListener("close", function () {
    if (document.getElementById("apply-done").hidden) {
      setStep("fill");
    }
  });
  var submit = submitter(state, dialog);
  var button = document.getElementById("apply-next");
  var required = {};
  bindSubmit(state.form, {
    button: button,
    busyText: "正在保存…",
    check: function (problems) {
      if (uploadsPending(state)) {
        status(document.getElementById("apply-autosave"), "文件正在上传，请等上传完成后再点击“下一步”。", "error");
        return null;
      }
      required = problems; // judged after the save: it may refuse more
      return {};
    },
    send: function () {
      return saveForm(state, { force: true });
    },
    done: function () {
      var found = missing(state, required);
      if (Object.keys(found).length) {
        showErrors(state.form, { fields: found, message: "请检查填写的内容" });
        return;
      }
      setStep("confirm");
      dialog.open(button, submit);
    }
  });
}
