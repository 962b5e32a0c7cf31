/* 删除草稿 on 网上申报: asked once more (确定删除 / 不删除, as 我的申请 asks), then DELETE /api/applications/{id}
   and on to 我的申请. A draft never stored (only its empty form shown) has nothing to delete: it is just left. */

import * as Api from "../api.js";
import { el, status } from "../dom.js";

function leave(state) {
  window.location.assign(state.page.getAttribute("data-my-applications"));
}

export function bindDiscard(state) {
  var box = document.getElementById("apply-discard");
  var ask = document.getElementById("apply-discard-ask");
  box.hidden = Boolean(state.app.number); // a draft only: a 补正 is a submitted case
  ask.addEventListener("click", function () {
    var yes = el("button", { type: "button", class: "button button-primary" }, "确定删除");
    var no = el("button", { type: "button", class: "button button-secondary" }, "不删除");
    var question = el("span", null, "确定删除该草稿？已填写的内容和上传的文件将一并删除。");
    ask.hidden = true;
    box.append(question, yes, no);
    yes.focus();
    function back() {
      question.remove();
      yes.remove();
      no.remove();
      ask.hidden = false;
      ask.focus();
    }
    no.addEventListener("click", back);
    yes.addEventListener("click", function () {
      yes.disabled = true;
      state.discard(); // no save from now on: leaving the page must not store the draft again
      state.writes.then(function () {
        return state.app.id ? Api.del(state.path()) : null;
      }).then(function () {
        leave(state);
      }, function (error) {
        state.discarded = false;
        state.dirty = true; // what was typed is saved with the next change
        status(document.getElementById("apply-autosave"), "草稿未能删除：" + error.message, "error");
        back();
      });
    });
  });
}
