/* 网上申报 (/apply/): start or continue the draft (POST /api/applications, or GET one by ?application=),
   build 基本信息 from the sub-item's fields and 申请材料 from its materials, save as the user types, upload each
   material's files, then 下一步 → 确认提交申请？ 是 → POST …/submit with an Idempotency-Key → 申报成功 with 办件编号.
   The same page serves 补正 (status correction_required): what to correct on top, then resubmit. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var F = window.PortalForms;
  var P = window.PortalApplications;
  var SAVE_DELAY_MS = 800;
  var TYPES = { pdf: "application/pdf", jpg: "image/jpeg", png: "image/png" };
  var ACCEPT = { pdf: ".pdf,application/pdf", jpg: ".jpg,.jpeg,image/jpeg", png: ".png,image/png" };
  var EXTENSIONS = { pdf: "pdf", jpg: "jpg", jpeg: "jpg", png: "png" };
  // Type hints where the catalogue gives none: what the server's check expects.
  var TYPE_HINTS = {
    id_number: "18 位居民身份证号码。",
    phone: "手机号码，或带区号的固定电话（如 0412-5591041）。",
    date: "格式：年-月-日，如 2026-11-26。",
    number: "请填写数字。",
    email: "如 name@example.com。"
  };

  /* --- the state of the page: one application, written to by one request at a time ---------------- */

  function State(page) {
    this.page = page;
    this.app = null;
    this.form = document.getElementById("apply-form");
    this.files = {}; // material id → [file] as the server last confirmed them
    this.pending = {}; // material id → number of uploads on their way
    this.writes = Promise.resolve();
    this.submitKey = null;
    this.saveTimer = null;
    this.dirty = false;
    this.saveErrors = {}; // "form_data.x" → message, from the last autosave
    this.touched = {}; // "form_data.x" → true: edited since the last save
    this.loadedAt = Date.now();
  }

  /* Writes (form, materials, submit) go one after another, so no two race for the application's version. */
  State.prototype.write = function (task) {
    var run = this.writes.then(task, task);
    this.writes = run.catch(function () {});
    return run;
  };

  State.prototype.path = function (suffix) {
    return "/applications/" + encodeURIComponent(this.app.id) + (suffix || "");
  };

  /* Something the applicant changed: the next 是 is a new submission attempt, with a new key. */
  State.prototype.changed = function () {
    this.submitKey = null;
  };

  /* --- 基本信息 -------------------------------------------------------------------------------------- */

  function fieldInput(field, id, value) {
    var attrs = {
      class: "input", id: id, name: "form_data." + field.name, "data-label": field.label, required: field.required
    };
    var input;
    if (field.type === "textarea") {
      input = P.el("textarea", Object.assign(attrs, { class: "input textarea", rows: 4, maxlength: 2000 }));
      input.value = value;
      return input;
    }
    if (field.type === "select") {
      input = P.el("select", Object.assign(attrs, { class: "input select" }), [P.el("option", { value: "" }, "请选择")]);
      field.options.forEach(function (option) {
        input.appendChild(P.el("option", { value: option }, option));
      });
      input.value = field.options.indexOf(value) === -1 ? "" : value;
      return input;
    }
    var types = {
      text: { type: "text", maxlength: 200 },
      number: { type: "text", inputmode: "decimal", maxlength: 20, class: "input input-short" },
      date: { type: "date", class: "input input-short" },
      phone: { type: "tel", inputmode: "tel", maxlength: 20, autocomplete: "tel", class: "input input-short" },
      id_number: { type: "text", maxlength: 18, autocapitalize: "characters", spellcheck: "false", class: "input input-short" },
      email: { type: "email", maxlength: 254, autocomplete: "email", spellcheck: "false" }
    };
    input = P.el("input", Object.assign(attrs, types[field.type] || types.text));
    input.value = value;
    return input;
  }

  function fieldBlock(field, value, locked) {
    var id = "f-" + field.name;
    var sealed = typeof value === "string" && value.indexOf("*") !== -1;
    var hintText = sealed ? "已加密保存，只显示部分号码；不需更改时请保留原样，如需更改请输入完整号码。"
      : field.help || TYPE_HINTS[field.type] || "";
    if (locked) {
      return P.el("div", { class: "field field-locked", id: id + "-field" }, [
        P.el("p", { class: "field-label" }, field.label),
        P.el("p", { class: "field-value" }, value === undefined || value === null || value === "" ? "未填写" : String(value)),
        P.el("p", { class: "field-hint" }, "本次补正无需修改此项。")
      ]);
    }
    var described = (hintText ? [id + "-hint"] : []).concat([id + "-error"]).join(" ");
    var input = fieldInput(field, id, value === undefined || value === null ? "" : String(value));
    input.setAttribute("aria-describedby", described);
    var label = P.el("label", { class: "field-label", for: id }, [
      field.label,
      field.required ? P.el("span", { class: "field-required", "aria-hidden": "true" }, "*") : P.el("span", { class: "field-optional" }, "（选填）")
    ]);
    return P.el("div", { class: "field", id: id + "-field" }, [
      label,
      hintText ? P.el("p", { class: "field-hint", id: id + "-hint" }, hintText) : null,
      P.el("p", { class: "field-error", id: id + "-error", hidden: true }),
      input
    ]);
  }

  function renderFields(state) {
    var box = P.clear(document.getElementById("apply-fields"));
    state.app.fields.forEach(function (field) {
      box.appendChild(fieldBlock(field, state.app.form_data[field.name], !marked(state.app, "field", field.name)));
    });
  }

  /* In a 补正, only what staff marked can be changed (一次性告知); the rest is shown, and saved as it was. */
  function marked(app, kind, id) {
    var items = app.corrections.filter(function (item) { return item.kind; });
    return !items.length || items.some(function (item) { return item.kind === kind && item.id === id; });
  }

  function lockedValues(state) {
    var values = {};
    state.app.fields.forEach(function (field) {
      var value = state.app.form_data[field.name];
      if (!marked(state.app, "field", field.name) && value !== undefined && value !== "") {
        values[field.name] = value;
      }
    });
    return values;
  }

  /* Save the form now (autosave, 下一步, leaving the page). What the server refuses is left out and
     reported beside its field, so the rest is still kept. Resolves to {field name: problem}. */
  function saveForm(state, options) {
    var opts = options || {};
    window.clearTimeout(state.saveTimer);
    if (!state.dirty && !opts.force) {
      return Promise.resolve(state.saveErrors);
    }
    state.dirty = false;
    var touched = state.touched;
    var before = state.saveErrors;
    state.touched = {};
    var out = document.getElementById("apply-autosave");
    var values = Object.assign(lockedValues(state), F.collect(state.form).form_data || {});
    var attempt = function (data, refused) {
      return Api.put(state.path("/form"), { form_data: data }, { keepalive: opts.keepalive }).then(function (app) {
        state.app.updated_at = app.updated_at;
        state.saveErrors = refused;
        var note = Object.keys(refused).length ? "（有 " + Object.keys(refused).length + " 项填写有误，未保存）" : "";
        var what = state.app.number ? "修改已自动保存 " : "草稿已自动保存 ";
        F.status(out, what + P.formatTime(app.updated_at).slice(11) + note, note ? "error" : null);
        return refused;
      }, function (error) {
        var problems = {};
        Object.keys(error.fields || {}).forEach(function (key) {
          if (key.indexOf("form_data.") === 0) {
            problems[key] = error.fields[key];
          }
        });
        if (error.status === 422 && Object.keys(problems).length && !Object.keys(refused).length) {
          var rest = {};
          Object.keys(data).forEach(function (name) {
            if (!problems["form_data." + name]) {
              rest[name] = data[name];
            }
          });
          return attempt(rest, problems);
        }
        throw error;
      });
    };
    return state.write(function () {
      return attempt(values, {});
    }).then(function (refused) {
      showSaveErrors(state, refused, Object.assign({}, before, touched));
      return refused;
    }, function (error) {
      state.dirty = true;
      if (error.status === 401) {
        P.toLogin(state.page);
      }
      F.status(out, "草稿未能保存：" + error.message, "error");
      throw error;
    });
  }

  /* A problem found by the autosave is shown once the applicant has left that field, not while typing;
     a field edited since (or refused before) and now saved loses its error. Other errors stay. */
  function showSaveErrors(state, refused, revisited) {
    Array.prototype.forEach.call(state.form.querySelectorAll('[name^="form_data."]'), function (input) {
      var message = refused[input.name];
      if (message && input !== document.activeElement) {
        F.setError(input, message);
      } else if (!message && revisited[input.name]) {
        F.setError(input, "");
      }
    });
  }

  function watchForm(state) {
    var onEdit = function (event) {
      var target = event.target;
      if (!target.name || target.name.indexOf("form_data.") !== 0) {
        return;
      }
      state.changed();
      state.dirty = true;
      state.touched[target.name] = true;
      window.clearTimeout(state.saveTimer);
      state.saveTimer = window.setTimeout(function () {
        saveForm(state).catch(function () {});
      }, SAVE_DELAY_MS);
    };
    state.form.addEventListener("input", onEdit);
    state.form.addEventListener("change", onEdit);
    state.form.addEventListener("focusout", function (event) {
      var message = state.saveErrors[event.target.name];
      if (message) {
        F.setError(event.target, message);
      }
    });
    // Leaving the page (closing the tab, following a link): what is typed is sent even as the page goes.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && state.dirty) {
        saveForm(state, { keepalive: true }).catch(function () {});
      }
    });
  }

  /* --- 申请材料 -------------------------------------------------------------------------------------- */

  function materialBlock(material, index) {
    var id = "mat-" + material.id;
    var downloads = [];
    if (material.blank_form) {
      downloads.push(P.el("a", { class: "download", href: material.blank_form, download: "" }, ["空白表格", P.hiddenText("：" + material.name)]));
    }
    if (material.sample) {
      downloads.push(P.el("a", { class: "download", href: material.sample, download: "" }, ["示例样表", P.hiddenText("：" + material.name)]));
    }
    var accept = material.formats.map(function (format) { return ACCEPT[format]; }).join(",");
    return P.el("li", { class: "material material-slot", id: id + "-item" }, [
      P.el("div", { class: "material-head" }, [
        P.el("h3", { class: "material-name", id: id + "-name" }, [
          P.el("span", { class: "material-index", "aria-hidden": "true" }, String(index + 1)), material.name
        ]),
        P.requiredMark(material)
      ]),
      P.el("p", { class: "material-meta", id: id + "-meta" }, P.materialMeta(material)),
      material.notes ? P.el("p", { class: "material-notes" }, material.notes) : null,
      downloads.length ? P.el("p", { class: "material-downloads" }, downloads) : null,
      P.el("div", { class: "field material-upload", id: id + "-field" }, [
        P.el("p", { class: "field-error", id: id + "-error", hidden: true }),
        P.el("ul", { class: "file-list", id: id + "-files", "aria-label": "已上传的文件：" + material.name }),
        P.el("p", { class: "file-none", id: id + "-none" }, "尚未上传文件"),
        P.el("label", { class: "upload-label", for: id }, ["上传文件", P.hiddenText("（" + material.name + "）")]),
        P.el("input", {
          class: "input-file", id: id, type: "file", name: "materials." + material.id, accept: accept, multiple: true,
          "data-label": material.name, "data-material": material.id,
          "aria-describedby": id + "-meta " + id + "-status " + id + "-error"
        }),
        P.el("p", { class: "field-status", id: id + "-status", "aria-live": "polite" })
      ])
    ]);
  }

  function renderMaterials(state) {
    var list = P.clear(document.getElementById("apply-materials"));
    state.app.materials.forEach(function (material, index) {
      state.files[material.id] = material.files.slice();
      state.pending[material.id] = 0;
      var block = materialBlock(material, index);
      if (!marked(state.app, "material", material.id)) {
        block.classList.add("material-locked");
        var upload = block.querySelector(".material-upload");
        upload.querySelector(".upload-label").hidden = true;
        upload.querySelector(".input-file").hidden = true; // nothing to choose: not marked for this 补正
        upload.querySelector(".input-file").disabled = true;
        upload.appendChild(P.el("p", { class: "field-hint" }, "本次补正无需更换此项材料。"));
      }
      list.appendChild(block);
      renderFiles(state, material);
    });
  }

  function renderFiles(state, material) {
    var id = "mat-" + material.id;
    var list = P.clear(document.getElementById(id + "-files"));
    var files = state.files[material.id];
    var changeable = marked(state.app, "material", material.id);
    files.forEach(function (file) {
      var remove = changeable ? P.el("button", { type: "button", class: "file-remove", "data-remove": file.upload_id }, [
        "删除", P.hiddenText(file.filename)
      ]) : null;
      if (remove) {
        remove.addEventListener("click", function () {
          removeFile(state, material, file, remove);
        });
      }
      list.appendChild(P.el("li", { class: "file-item" }, [P.fileEntry(file), remove]));
    });
    list.hidden = !files.length;
    document.getElementById(id + "-none").hidden = Boolean(files.length);
  }

  /* PUT the material's whole list of files; the server's answer becomes the list shown. */
  function putFiles(state, material, uploadIds) {
    return state.write(function () {
      return Api.put(state.path("/materials/" + encodeURIComponent(material.id)), { upload_ids: uploadIds });
    }).then(function (app) {
      var fresh = app.materials.filter(function (m) { return m.id === material.id; })[0];
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

  /* The file's format by its type, or by its extension when the system gives no type. */
  function formatOf(file) {
    for (var format in TYPES) {
      if (TYPES[format] === file.type) {
        return format;
      }
    }
    var extension = (/\.([a-z0-9]+)$/i.exec(file.name) || [])[1];
    return extension ? EXTENSIONS[extension.toLowerCase()] || null : null;
  }

  function checkFile(material, file) {
    var format = formatOf(file);
    if (!format || material.formats.indexOf(format) === -1) {
      return "“" + file.name + "”不是 " + P.formatNames(material.formats) + " 文件，本项材料只接受这些格式";
    }
    if (!file.size) {
      return "“" + file.name + "”是空文件，请重新选择";
    }
    if (file.size > material.max_size) {
      return "“" + file.name + "”超过 " + P.humanSize(material.max_size) + "，请压缩后再上传";
    }
    return null;
  }

  function uploadFiles(state, material, input) {
    var chosen = Array.prototype.slice.call(input.files || []);
    input.value = ""; // the same file can be chosen again after a failure or a removal
    if (!chosen.length) {
      return;
    }
    var out = document.getElementById("mat-" + material.id + "-status");
    var problems = [];
    var good = chosen.filter(function (file) {
      var problem = checkFile(material, file);
      if (problem) {
        problems.push(problem);
      }
      return !problem;
    });
    F.setError(input, problems.join("；"));
    if (!good.length) {
      F.status(out, "");
      return;
    }
    state.pending[material.id] += good.length;
    F.status(out, "正在上传 " + good.map(function (file) { return file.name; }).join("、") + "…");
    var uploads = good.map(function (file) {
      var format = formatOf(file);
      return Api.uploadFile({
        purpose: "material", application_id: state.app.id, material_id: material.id,
        filename: file.name.slice(-200), content_type: TYPES[format], size: file.size
      }, file).then(function (result) {
        return { ok: true, id: result.upload_id, file: file };
      }, function (error) {
        var fields = error.fields || {};
        return { ok: false, file: file, error: error, message: fields.file || fields.content_type || fields.size || error.message };
      });
    });
    Promise.all(uploads).then(function (results) {
      var done = results.filter(function (r) { return r.ok; });
      var failed = results.filter(function (r) { return !r.ok; });
      var save = done.length
        ? putFiles(state, material, ids(state, material).concat(done.map(function (r) { return r.id; })))
        : Promise.resolve();
      return save.then(function () {
        return { done: done, failed: failed };
      });
    }).then(function (outcome) {
      var failures = outcome.failed.map(function (r) { return "“" + r.file.name + "”未能上传：" + r.message; });
      F.setError(input, problems.concat(failures).join("；"));
      var names = outcome.done.map(function (r) { return r.file.name; }).join("、");
      F.status(out, names ? "已上传 " + names : "", names ? "success" : null);
      if (outcome.failed.some(function (r) { return r.error.status === 401; })) {
        P.toLogin(state.page);
      }
    }, function (error) {
      F.setError(input, problems.concat(["文件未能保存到申请中：" + error.message]).join("；"));
      F.status(out, "");
      if (error.status === 401) {
        P.toLogin(state.page);
      }
    }).then(function () {
      state.pending[material.id] -= good.length;
    });
  }

  function removeFile(state, material, file, button) {
    if (F.isBusy(button)) {
      return;
    }
    var out = document.getElementById("mat-" + material.id + "-status");
    F.busy(button, true, "正在删除…");
    var position = ids(state, material).indexOf(file.upload_id);
    var rest = ids(state, material).filter(function (id) { return id !== file.upload_id; });
    putFiles(state, material, rest).then(function () {
      F.status(out, "已删除 " + file.filename, "success");
      // Focus stays in the list: the file that took its place, else the previous one, else 上传文件.
      var buttons = document.querySelectorAll("#mat-" + material.id + "-files [data-remove]");
      var next = buttons[Math.min(position, buttons.length - 1)];
      (next || document.getElementById("mat-" + material.id)).focus();
    }, function (error) {
      F.busy(button, false);
      F.status(out, "未能删除：" + error.message, "error");
      if (error.status === 401) {
        P.toLogin(state.page);
      }
    });
  }

  function watchMaterials(state) {
    state.app.materials.forEach(function (material) {
      var input = document.getElementById("mat-" + material.id);
      input.addEventListener("change", function () {
        uploadFiles(state, material, input);
      });
    });
  }

  /* The files as the server has them now (fresh download links; another tab may have changed them). */
  function refreshFiles(state) {
    return Api.get(state.path()).then(function (fresh) {
      state.loadedAt = Date.now();
      fresh.materials.forEach(function (material) {
        state.files[material.id] = material.files.slice();
        renderFiles(state, material);
      });
    });
  }

  function uploadsPending(state) {
    return Object.keys(state.pending).some(function (id) { return state.pending[id] > 0; });
  }

  /* --- 下一步 → 确认提交申请？ → 是 ------------------------------------------------------------------ */

  function setStep(step) {
    Array.prototype.forEach.call(document.querySelectorAll(".apply-steps [data-step]"), function (item) {
      if (item.getAttribute("data-step") === step) {
        item.setAttribute("aria-current", "step");
      } else {
        item.removeAttribute("aria-current");
      }
    });
  }

  /* What is still missing, as the server would say it: required fields, refused values, required materials. */
  function problems(state) {
    var found = F.checkRequired(state.form);
    Object.keys(state.saveErrors).forEach(function (name) {
      found[name] = found[name] || state.saveErrors[name];
    });
    state.app.materials.forEach(function (material) {
      if (material.required && !state.files[material.id].length) {
        found["materials." + material.id] = "请上传“" + material.name + "”";
      }
    });
    return found;
  }

  function next(state, dialog, button) {
    if (F.isBusy(button)) {
      return;
    }
    F.clearErrors(state.form);
    if (uploadsPending(state)) {
      F.status(document.getElementById("apply-autosave"), "文件正在上传，请等上传完成后再点击“下一步”。", "error");
      return;
    }
    F.busy(button, true, "正在保存…");
    saveForm(state, { force: true }).then(function () {
      F.busy(button, false);
      var found = problems(state);
      if (F.hasProblems(found)) {
        F.showErrors(state.form, { fields: found, message: "请检查填写的内容" });
        return;
      }
      setStep("confirm");
      dialog.open(button, function () {
        submit(state, dialog);
      });
    }, function (error) {
      F.busy(button, false);
      F.showErrors(state.form, error);
    });
  }

  function submit(state, dialog) {
    // The same key for every retry of this attempt: a double click or a resend after a network failure
    // gets the first answer back, never a second application (SPEC §4.5).
    state.submitKey = state.submitKey || P.uuid();
    dialog.busy(true, "正在提交…");
    dialog.showError("");
    state.write(function () {
      // The guide version the page shows: if an editor changed the item since, the API says 事项已调整.
      return Api.post(state.path("/submit"), { guide_version: state.app.guide_version },
        { headers: { "Idempotency-Key": state.submitKey } });
    }).then(function (result) {
      dialog.busy(false);
      dialog.opener = null;
      dialog.close();
      done(state, result);
    }, function (error) {
      dialog.busy(false);
      if (error.status === 0 || error.status >= 500) {
        dialog.showError(error.message + "。请点击“是”重试，不会重复提交。");
        return;
      }
      dialog.close();
      setStep("fill");
      if (error.status === 401) {
        P.toLogin(state.page);
        return;
      }
      if (error.code === "subitem_changed" || error.code === "subitem_unavailable") {
        showGuideChanges(error.changes || [], error.guide_url, error.message, error.code === "subitem_changed");
        return;
      }
      F.showErrors(state.form, error);
      refreshFiles(state).catch(function () {});
    });
  }

  /* 事项已调整: what changed since the application was started, a link to the guide, and (when it can still be
     submitted) a reload that shows the form as it is now. */
  function showGuideChanges(changes, guideUrl, message, canReload) {
    var notice = document.getElementById("apply-guide-changes");
    var list = P.clear(notice.querySelector("[data-guide-changes]"));
    changes.forEach(function (text) {
      list.appendChild(P.el("li", null, text));
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
    var detail = page.getAttribute("data-application") + "?id=" + encodeURIComponent(result.application_id);
    document.getElementById("apply-content").hidden = true;
    document.getElementById("apply-errors").hidden = true;
    var panel = document.getElementById("apply-done");
    panel.querySelector("[data-done-number]").textContent = result.number;
    document.getElementById("apply-done-detail").href = detail;
    setStep("done");
    panel.hidden = false;
    document.title = "申报成功 - " + document.title.replace(/^[^-]+- /, "");
    // Reloading now shows this application, not a new draft of the same item.
    window.history.replaceState(null, "", page.getAttribute("data-apply") + "?application=" + encodeURIComponent(result.application_id));
    panel.focus();
    panel.scrollIntoView({ block: "start" });
  }

  /* --- loading --------------------------------------------------------------------------------------- */

  function fillSummary(app) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-app]"), function (node) {
      var key = node.getAttribute("data-app");
      P.clear(node);
      node.appendChild(key === "status_label" ? P.statusBadge(app.status, app.status_label) : document.createTextNode(app[key] || ""));
    });
    document.querySelector("[data-app-number]").hidden = !app.number;
    var title = document.getElementById("apply-title");
    title.textContent = app.subitem_name;
    document.title = "网上申报：" + app.subitem_name + " - " + document.title.replace(/^[^-]+- /, "");
  }

  function show(state, created) {
    var app = state.app;
    var page = state.page;
    fillSummary(app);
    if (!P.can(app, "edit") && !app.guide_changes.length) {
      P.showProblem("apply", "该办件当前状态为“" + app.status_label + "”，不能再修改",
        "办件编号 " + (app.number || "—") + "，当前状态：" + app.status_label + "。", [
          { href: page.getAttribute("data-application") + "?id=" + encodeURIComponent(app.id), label: "查看办件详情" },
          { href: page.getAttribute("data-my-applications"), label: "我的申请" }
        ]);
      return;
    }
    P.fillCorrections(document.getElementById("apply-corrections"), app.corrections);
    if (app.guide_changes.length) {
      showGuideChanges(app.guide_changes, app.guide_url,
        P.can(app, "submit") ? "该事项的办事要求在您开始申报后有调整，请按调整后的要求核对后再提交：" : "", false);
      if (!P.can(app, "edit")) {
        P.loading("apply", "");
        return;
      }
    }
    renderFields(state);
    renderMaterials(state);
    watchForm(state);
    watchMaterials(state);
    P.freshDownloads(document.getElementById("apply-materials"), {
      get loadedAt() { return state.loadedAt; },
      refresh: function () {
        return refreshFiles(state);
      }
    });
    var dialog = new P.Dialog(document.getElementById("apply-confirm"));
    if (app.number) { // submitted before: this is the resubmission of a 补正
      document.getElementById("apply-confirm-title").textContent = "确认提交补正后的申请？";
      document.getElementById("apply-confirm-text").textContent = "这是办件 " + app.number +
        " 补正后的重新提交，办件编号不变；提交后由审批部门继续办理。";
    }
    dialog.dialog.addEventListener("close", function () {
      if (!document.getElementById("apply-done").hidden) {
        return;
      }
      setStep("fill");
    });
    var button = document.getElementById("apply-next");
    state.form.addEventListener("submit", function (event) {
      event.preventDefault();
      next(state, dialog, button);
    });
    P.loading("apply", "");
    document.getElementById("apply-content").hidden = false;
    F.status(document.getElementById("apply-autosave"), !created && !app.number ? "已恢复您上次保存的草稿，可以继续填写。" : "");
    if (app.guide_changes.length) {
      document.getElementById("apply-guide-changes").focus();
    } else if (app.corrections.length) {
      document.getElementById("apply-corrections").focus();
    } else {
      document.getElementById("apply-title").focus();
    }
  }

  function start(page, account) {
    var query = P.params();
    var state = new State(page);
    var my = page.getAttribute("data-my-applications");
    if (account.role === "staff") {
      P.showProblem("apply", "审批人员账号不能申报事项", "请使用申请人账号登录后申报。", [
        { href: page.getAttribute("data-review"), label: "进入审批工作台" }
      ]);
      return;
    }
    var load;
    if (query.get("application")) {
      load = Api.get("/applications/" + encodeURIComponent(query.get("application"))).then(function (app) {
        return { app: app, created: false };
      });
    } else if (query.get("region") && query.get("item")) {
      load = Api.post("/applications", { region: query.get("region"), subitem_code: query.get("item") }, { withStatus: true })
        .then(function (answer) {
          return { app: answer.data, created: answer.status === 201 };
        });
    } else {
      P.showProblem("apply", "请先选择要申报的事项", "在服务指南页面点击“申报”即可开始网上申报。", [
        { href: page.getAttribute("data-home"), label: "返回首页" }, { href: my, label: "我的申请" }
      ]);
      return;
    }
    load.then(function (loaded) {
      state.app = loaded.app;
      show(state, loaded.created);
    }, function (error) {
      if (error.status === 401) {
        P.toLogin(page);
      } else if (error.status === 404 || error.status === 422 || error.status === 403) {
        P.showProblem("apply", error.status === 404 ? "找不到要申报的事项" : "不能网上申报该事项", error.message, [
          { href: page.getAttribute("data-home"), label: "返回首页" }, { href: my, label: "我的申请" }
        ]);
      } else {
        P.showProblem("apply", "申报页面未能打开", error.message + "。请稍后刷新页面重试。");
      }
    });
  }

  function init() {
    var page = document.getElementById("apply-page");
    if (!page || !Api || !F || !P) {
      return;
    }
    P.loading("apply", "正在打开申报页面…");
    Api.me().then(function (account) {
      if (!account) {
        P.toLogin(page);
        return;
      }
      start(page, account);
    }, function (error) {
      P.showProblem("apply", "申报页面未能打开", error.message + "。请稍后刷新页面重试。");
    });
  }

  if (P) {
    P.onReady(init);
  }
})();
