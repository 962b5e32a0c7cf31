/* 申请材料 of 网上申报: one slot per material, its files uploaded (POST /api/uploads → the ticket's URL →
   …/complete) or chosen from 我的材料 (library.js), and attached (PUT …/materials/{id}); the formats, content types
   and size limit come from the API. */

import * as Api from "../api.js";
import { fileEntry, materialHead, materialMeta } from "../applications/views.js";
import { clear, el, hiddenText, status } from "../dom.js";
import { busy, isBusy, setError } from "../forms.js";
import { fileProblem as refusedFile } from "../lib/errors.js";
import { acceptList, fileProblem, formatOf } from "../lib/files.js";
import { libraryPicker } from "./library.js";

function slotId(material) {
  return "mat-" + material.id;
}

function downloads(material) {
  var links = [];
  if (material.blank_form) {
    links.push(el("a", { class: "download", href: material.blank_form, download: "" }, ["空白表格", hiddenText("：" + material.name)]));
  }
  if (material.sample) {
    links.push(el("a", { class: "download", href: material.sample, download: "" }, ["示例样表", hiddenText("：" + material.name)]));
  }
  return links.length ? el("p", { class: "material-downloads" }, links) : null;
}

function uploadField(material) {
  var id = slotId(material);
  return el("div", { class: "field material-upload", id: id + "-field" }, [
    el("p", { class: "field-error", id: id + "-error", hidden: true }),
    el("ul", { class: "file-list", id: id + "-files", "aria-label": "已上传的文件：" + material.name }),
    el("p", { class: "file-none", id: id + "-none" }, "尚未上传文件"),
    el("label", { class: "upload-label", for: id }, ["上传文件", hiddenText("（" + material.name + "）")]),
    el("input", {
      class: "input-file", id: id, type: "file", name: "materials." + material.id, accept: acceptList(material.content_types),
      multiple: true, "data-label": material.name, "data-material": material.id,
      "aria-describedby": id + "-meta " + id + "-status " + id + "-error"
    }),
    el("p", { class: "field-status", id: id + "-status", "aria-live": "polite" })
  ]);
}

function materialBlock(material, index) {
  var id = slotId(material);
  return el("li", { class: "material material-slot", id: id + "-item" }, [
    materialHead(material, index, id + "-name"),
    el("p", { class: "material-meta", id: id + "-meta" }, materialMeta(material)),
    material.notes ? el("p", { class: "material-notes" }, material.notes) : null,
    downloads(material),
    uploadField(material)
  ]);
}

/* Nothing to choose for a material this 补正 does not reopen. */
function lock(block) {
  block.classList.add("material-locked");
  var upload = block.querySelector(".material-upload");
  upload.querySelector(".upload-label").hidden = true;
  upload.querySelector(".input-file").hidden = true;
  upload.querySelector(".input-file").disabled = true;
  upload.querySelector(".library-choice").hidden = true;
  upload.appendChild(el("p", { class: "field-hint" }, "本次补正无需更换此项材料。"));
}

export function renderMaterials(state) {
  var list = clear(document.getElementById("apply-materials"));
  state.app.materials.forEach(function (material, index) {
    state.files[material.id] = material.files.slice();
    state.pending[material.id] = 0;
    var block = materialBlock(material, index);
    block.querySelector(".material-upload").insertBefore(libraryPicker(state, material, function (reuseIds) {
      return putFiles(state, material, ids(state, material), reuseIds).then(function () {
        status(document.getElementById(slotId(material) + "-status"), "已从我的材料添加 " + reuseIds.length + " 个文件", "success");
      });
    }), block.querySelector("#" + slotId(material) + "-status"));
    if (!state.marked("material", material.id)) {
      lock(block);
    }
    list.appendChild(block);
    renderFiles(state, material);
  });
}

function renderFiles(state, material) {
  var id = slotId(material);
  var list = clear(document.getElementById(id + "-files"));
  var files = state.files[material.id];
  var changeable = state.marked("material", material.id);
  files.forEach(function (file) {
    var remove = changeable ? el("button", { type: "button", class: "file-remove", "data-remove": file.upload_id }, [
      "删除", hiddenText(file.filename)
    ]) : null;
    if (remove) {
      remove.addEventListener("click", function () {
        removeFile(state, material, file, remove);
      });
    }
    list.appendChild(el("li", { class: "file-item" }, [fileEntry(file), remove]));
  });
  list.hidden = !files.length;
  document.getElementById(id + "-none").hidden = Boolean(files.length);
}

/* PUT the material's whole list of files; the server's answer becomes the list shown. */
function putFiles(state, material, uploadIds, reuseIds) {
  return state.write(function () {
    return state.stored().then(function () {
      return Api.put(state.path("/materials/" + encodeURIComponent(material.id)), { upload_ids: uploadIds, reuse_ids: reuseIds || [] });
    });
  }).then(function (app) {
    var fresh = app.materials.find(function (m) { return m.id === material.id; });
    state.files[material.id] = fresh ? fresh.files.slice() : [];
    state.app.updated_at = app.updated_at;
    state.loadedAt = Date.now();
    state.changed();
    renderFiles(state, material);
  });
}

function ids(state, material) {
  return state.files[material.id].map(function (file) { return file.upload_id; });
}

/* Each good file sent; resolves to [{ok, id, file} | {ok: false, file, message}]. */
function sendFiles(state, material, files) {
  return Promise.all(files.map(function (file) {
    return state.stored().then(function () {
      return Api.uploadFile({
        purpose: "material", application_id: state.app.id, material_id: material.id,
        filename: file.name.slice(-200), content_type: material.content_types[formatOf(file, material.content_types)], size: file.size
      }, file);
    }).then(function (result) {
      return { ok: true, id: result.upload_id, file: file };
    }, function (error) {
      return { ok: false, file: file, message: refusedFile(error) };
    });
  }));
}

function uploadFiles(state, material, input) {
  var chosen = Array.from(input.files || []);
  input.value = ""; // the same file can be chosen again after a failure or a removal
  if (!chosen.length) {
    return;
  }
  var out = document.getElementById(slotId(material) + "-status");
  var problems = chosen.map(function (file) { return fileProblem(material, file); }).filter(Boolean);
  var good = chosen.filter(function (file) { return !fileProblem(material, file); });
  setError(input, problems.join("；"));
  if (!good.length) {
    status(out, "");
    return;
  }
  state.pending[material.id] += good.length;
  status(out, "正在上传 " + good.map(function (file) { return file.name; }).join("、") + "…");
  sendFiles(state, material, good).then(function (results) {
    var done = results.filter(function (r) { return r.ok; });
    var failed = results.filter(function (r) { return !r.ok; });
    var save = done.length ? putFiles(state, material, ids(state, material).concat(done.map(function (r) { return r.id; }))) : null;
    return Promise.resolve(save).then(function () {
      var failures = failed.map(function (r) { return "“" + r.file.name + "”未能上传：" + r.message; });
      setError(input, problems.concat(failures).join("；"));
      var names = done.map(function (r) { return r.file.name; }).join("、");
      status(out, names ? "已上传 " + names : "", names ? "success" : null);
    });
  }).catch(function (error) {
    setError(input, problems.concat(["文件未能保存到申请中：" + error.message]).join("；"));
    status(out, "");
  }).then(function () {
    state.pending[material.id] -= good.length;
  });
}

function removeFile(state, material, file, button) {
  if (isBusy(button)) {
    return;
  }
  var out = document.getElementById(slotId(material) + "-status");
  busy(button, true, "正在删除…");
  var position = ids(state, material).indexOf(file.upload_id);
  var rest = ids(state, material).filter(function (id) { return id !== file.upload_id; });
  putFiles(state, material, rest).then(function () {
    status(out, "已删除 " + file.filename, "success");
    // Focus stays in the list: the file that took its place, else the previous one, else 上传文件.
    var buttons = document.querySelectorAll("#" + slotId(material) + "-files [data-remove]");
    var next = buttons[Math.min(position, buttons.length - 1)];
    (next || document.getElementById(slotId(material))).focus();
  }, function (error) {
    busy(button, false);
    status(out, "未能删除：" + error.message, "error");
  });
}

export function watchMaterials(state) {
  state.app.materials.forEach(function (material) {
    var input = document.getElementById(slotId(material));
    input.addEventListener("change", function () {
      uploadFiles(state, material, input);
    });
  });
}

/* The files as the server has them now (fresh download links; another tab may have changed them). */
export function refreshFiles(state) {
  if (!state.app.id) { // not stored yet: no files to refresh
    return Promise.resolve();
  }
  return Api.get(state.path()).then(function (fresh) {
    state.loadedAt = Date.now();
    fresh.materials.forEach(function (material) {
      state.files[material.id] = material.files.slice();
      renderFiles(state, material);
    });
  });
}

export function uploadsPending(state) {
  return Object.keys(state.pending).some(function (id) { return state.pending[id] > 0; });
}
