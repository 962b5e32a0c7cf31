/* 从我的材料选择 on 网上申报: the files kept in 我的材料 that fit this material (GET /api/me/materials with the
   application and material; the server decides format, size and validity, same-named first), chosen with check
   boxes and attached without a new upload (PUT …/materials/{id} with reuse_ids: the server copies each). */

import * as Api from "../api.js";
import { clear, el, hiddenText, status } from "../dom.js";
import { formatTime, humanSize } from "../lib/format.js";

function offerItem(pickerId, offer) {
  var id = pickerId + "-" + offer.id;
  return el("li", { class: "library-offer" }, [
    el("input", { type: "checkbox", id: id, value: offer.id, class: "library-check" }),
    el("label", { for: id }, [
      el("span", { class: "library-name" }, offer.filename),
      el("span", { class: "library-meta" },
        "（" + offer.material_name + "，" + formatTime(offer.uploaded_at) + " 上传，" + humanSize(offer.size) + "）")
    ])
  ]);
}

function closePicker(panel, opener) {
  clear(panel).hidden = true;
  opener.setAttribute("aria-expanded", "false");
  opener.focus();
}

function showOffers(panel, opener, material, offers, attach) {
  var pickerId = "lib-" + material.id;
  var out = el("p", { class: "field-status", id: pickerId + "-status", "aria-live": "polite" });
  if (!offers.length) {
    var back = el("button", { type: "button", class: "button button-secondary" }, "关闭");
    back.addEventListener("click", function () { closePicker(panel, opener); });
    clear(panel).append(el("p", { class: "empty" }, "“我的材料”中没有适用于此项材料的文件（格式、大小或有效期不符，或已添加）。"), back);
    back.focus();
    return;
  }
  var use = el("button", { type: "submit", class: "button button-primary" }, ["使用所选文件", hiddenText("：" + material.name)]);
  var cancel = el("button", { type: "button", class: "button button-secondary" }, "取消");
  var form = el("form", { class: "library-picker", novalidate: true }, [
    el("fieldset", null, [
      el("legend", null, "从我的材料选择：" + material.name),
      el("ul", { class: "library-offers" }, offers.map(function (offer) { return offerItem(pickerId, offer); }))
    ]),
    el("div", { class: "form-actions" }, [use, cancel]),
    out
  ]);
  cancel.addEventListener("click", function () { closePicker(panel, opener); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = Array.from(form.querySelectorAll(".library-check:checked")).map(function (box) { return box.value; });
    if (!chosen.length) {
      status(out, "请至少选择一个文件", "error");
      return;
    }
    use.disabled = true;
    status(out, "正在添加…");
    attach(chosen).then(function () {
      closePicker(panel, opener);
    }, function (error) {
      use.disabled = false;
      status(out, "未能添加：" + error.message, "error");
    });
  });
  clear(panel).append(form);
  form.querySelector(".library-check").focus();
}

/* The 从我的材料选择 button and its panel; attach(reuseIds) → a promise of the saved material. */
export function libraryPicker(state, material, attach) {
  var panel = el("div", { class: "library-panel", id: "lib-" + material.id + "-panel", hidden: true });
  var opener = el("button", {
    type: "button", class: "button button-secondary library-open", "aria-expanded": "false",
    "aria-controls": panel.id
  }, ["从我的材料选择", hiddenText("（" + material.name + "）")]);
  opener.addEventListener("click", function () {
    if (opener.getAttribute("aria-expanded") === "true") {
      closePicker(panel, opener);
      return;
    }
    opener.setAttribute("aria-expanded", "true");
    clear(panel).append(el("p", { class: "field-status", role: "status" }, "正在读取我的材料…"));
    panel.hidden = false;
    state.stored().then(function () { // the offers are for a stored application: choosing one attaches it anyway
      var query = "?application_id=" + encodeURIComponent(state.app.id) + "&material_id=" + encodeURIComponent(material.id);
      return Api.get("/me/materials" + query);
    }).then(function (answer) {
      showOffers(panel, opener, material, answer.items, attach);
    }, function (error) {
      clear(panel).append(el("p", { class: "field-error" }, "未能读取我的材料：" + error.message));
    });
  });
  return el("div", { class: "library-choice" }, [opener, panel]);
}
