/* 我的材料 (/my/materials/): GET /api/me/materials, the newest first. A file no submitted application holds has
   删除, asked once more before DELETE /api/me/materials/{id}; one a submitted application holds stays with it. */

import * as Api from "../api.js";
import { boot, loading, showProblem } from "../boot.js";
import { clear, el, hiddenText, status } from "../dom.js";
import { formatTime, humanSize } from "../lib/format.js";

function page() {
  return document.getElementById("materials-page");
}

function validity(file) {
  if (file.expired) {
    return el("span", { class: "kept-expired" }, "已过期（" + formatTime(file.valid_until).slice(0, 10) + "）");
  }
  return file.valid_until ? formatTime(file.valid_until).slice(0, 10) + " 前有效" : "长期";
}

function uses(file) {
  if (!file.used_by.length) {
    return el("span", { class: "none" }, "未使用");
  }
  var base = page().getAttribute("data-application");
  return el("ul", { class: "kept-uses" }, file.used_by.map(function (use) {
    var label = use.subitem_name + (use.number ? "（" + use.number + "）" : "") + " · " + use.status_label;
    return el("li", null, el("a", { href: base + "?id=" + encodeURIComponent(use.application_id) }, label));
  }));
}

function deleteAction(cell, file) {
  var ask = el("button", { type: "button", class: "button button-secondary row-action" }, ["删除", hiddenText("：" + file.filename)]);
  ask.addEventListener("click", function () {
    var yes = el("button", { type: "button", class: "button button-primary row-action" }, ["确定删除", hiddenText("：" + file.filename)]);
    var no = el("button", { type: "button", class: "button button-secondary row-action" }, "不删除");
    clear(cell).append(el("span", null, "删除后不能恢复，已添加到草稿中的文件不受影响。"), yes, no);
    yes.focus();
    no.addEventListener("click", function () {
      clear(cell).append(ask);
      ask.focus();
    });
    yes.addEventListener("click", function () {
      yes.disabled = true;
      Api.del("/me/materials/" + encodeURIComponent(file.id)).then(function () {
        status(document.getElementById("materials-status"), "已删除 " + file.filename, "success");
        return reload().then(function () { document.getElementById("materials-title").focus(); });
      }, function (error) {
        status(document.getElementById("materials-status"), error.message, "error");
        clear(cell).append(ask);
        ask.focus();
      });
    });
  });
  return ask;
}

function row(file) {
  var actions = el("td", { "data-label": "操作", class: "row-actions" });
  actions.append(file.deletable ? deleteAction(actions, file) : el("span", { class: "none" }, "随办件留存"));
  return el("tr", { "data-file-id": file.id }, [
    el("th", { scope: "row", "data-label": "文件名" }, el("a", { class: "file-link", href: file.download_url }, file.filename)),
    el("td", { "data-label": "作为何种材料上传" }, file.material_name),
    el("td", { "data-label": "上传时间" }, formatTime(file.uploaded_at)),
    el("td", { "data-label": "大小" }, humanSize(file.size)),
    el("td", { "data-label": "有效期" }, validity(file)),
    el("td", { "data-label": "使用该文件的办件" }, uses(file)),
    actions
  ]);
}

function reload() {
  return Api.get("/me/materials").then(function (answer) {
    clear(document.getElementById("materials-rows")).append(...answer.items.map(row));
    document.getElementById("materials-empty").hidden = answer.items.length > 0;
    document.getElementById("materials-table-wrap").hidden = answer.items.length === 0;
  });
}

function start() {
  reload().then(function () {
    loading("materials", "");
    document.getElementById("materials-content").hidden = false;
  }, function (error) {
    showProblem("materials", "我的材料未能打开", error.message + "。请稍后刷新页面重试。");
  });
}

boot({
  page: "materials-page", prefix: "materials", what: "我的材料", loadingText: "正在读取您的材料…",
  signIn: true, start: start,
  role: {
    not: "staff", title: "审批人员没有“我的材料”", text: "审批人员在审批工作台查看办件的申请材料。",
    links: function (page) { return [{ href: page.getAttribute("data-review"), label: "进入审批工作台" }]; }
  }
});
