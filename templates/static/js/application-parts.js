/* window.PortalApplications: what the application pages share (网上申报, 我的申请, 办件详情, 审批工作台) —
   building elements, China-time stamps, status badges, the read-only views of an application (form values,
   materials with their files, history timeline, corrections), the modal <dialog>, and the way to 登录.
   The API's detail shape is described in functions/application_views.py. */
(function () {
  "use strict";

  var Api = window.PortalApi;
  var FORMAT_NAMES = { pdf: "PDF", jpg: "JPG", png: "PNG" };
  var ACCOUNT_TYPES = { natural: "自然人", legal: "法人" };
  var CORRECTION_KINDS = { material: "申请材料", field: "申请表" };
  // Download links are signed for 5 minutes (application_views.DOWNLOAD_SECONDS); older ones are fetched again.
  var LINK_SECONDS = 240;

  /* el("a", {href: "/x", class: "y"}, ["text", child]) — attributes set as given; `hidden: true` hides. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      node.setAttribute(name, value === true ? "" : String(value));
    });
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined) {
      return node;
    }
    (Array.isArray(children) ? children : [children]).forEach(function (child) {
      if (child === null || child === undefined || child === false) {
        return;
      }
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
    return node;
  }

  function hiddenText(text) {
    return el("span", { class: "visually-hidden" }, text);
  }

  /* "2026-11-26T20:16:05+08:00" → "2026-11-26 20:16": the API's times are China time already. */
  function formatTime(iso) {
    if (!iso) {
      return "";
    }
    var match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
    return match ? match[1] + " " + match[2] : iso;
  }

  /* The evaluation's time comes as epoch seconds (the rest of the detail gives ISO strings). */
  function chinaTime(at) {
    if (typeof at === "string") {
      return formatTime(at);
    }
    return formatTime(new Date(at * 1000 + 8 * 3600 * 1000).toISOString());
  }

  /* 好差评 as given: rating, comment, time. The applicant's detail and the staff's show the same block. */
  function fillEvaluation(result, evaluation) {
    result.hidden = !evaluation;
    if (!evaluation) {
      return;
    }
    result.querySelector("[data-evaluation-label]").textContent = evaluation.label;
    var comment = result.querySelector("[data-evaluation-comment]");
    comment.textContent = evaluation.comment ? "评价内容：" + evaluation.comment : "";
    comment.hidden = !evaluation.comment;
    result.querySelector("[data-evaluation-time]").textContent = evaluation.at ? "评价时间：" + chinaTime(evaluation.at) : "";
  }

  function humanSize(bytes) {
    if (bytes >= 1048576) {
      return (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
    }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function formatNames(formats) {
    return formats.map(function (format) { return FORMAT_NAMES[format] || format.toUpperCase(); }).join("、");
  }

  function statusBadge(status, label) {
    return el("span", { class: "status-badge status-" + status }, label);
  }

  function params() {
    return new URLSearchParams(window.location.search);
  }

  /* To 登录, coming back to this very page (with its query) afterwards. */
  function toLogin(page) {
    var here = window.location.pathname + window.location.search + window.location.hash;
    window.location.replace(page.getAttribute("data-login") + "?next=" + encodeURIComponent(here));
  }

  function loading(prefix, text) {
    var line = document.getElementById(prefix + "-loading");
    line.textContent = text || "";
    line.hidden = !text;
  }

  /* A problem that stops the page (not found, not allowed, API down): a titled notice with links, focused. */
  function showProblem(prefix, title, text, links) {
    loading(prefix, "");
    var box = document.getElementById(prefix + "-problem");
    box.querySelector("[data-problem-title]").textContent = title;
    box.querySelector("[data-problem-text]").textContent = text || "";
    var linkLine = clear(box.querySelector("[data-problem-links]"));
    (links || []).forEach(function (link, index) {
      if (index) {
        linkLine.appendChild(document.createTextNode("　"));
      }
      linkLine.appendChild(el("a", { href: link.href }, link.label));
    });
    box.hidden = false;
    box.focus();
  }

  /* The common failure of a page load: 401 → 登录; anything else → the problem notice. */
  function loadFailed(page, prefix, error, what) {
    if (error.status === 401) {
      toLogin(page);
      return;
    }
    if (error.status === 404) {
      showProblem(prefix, "办件不存在", "该办件不存在，或您无权查看。", [
        { href: page.getAttribute("data-my-applications") || page.getAttribute("data-review") || "/", label: "返回列表" }
      ]);
      return;
    }
    showProblem(prefix, what + "未能打开", error.message + "。请稍后刷新页面重试。");
  }

  function fact(label, value) {
    return el("div", null, [el("dt", null, label), el("dd", null, value === "" || value === null || value === undefined ? "—" : value)]);
  }

  /* 办件编号, 事项, 部门, 地区, 状态, times: the head of a detail. */
  function fillSummary(dl, app) {
    clear(dl);
    append(dl, [
      fact("办件编号", app.number ? el("span", { class: "code application-number" }, app.number) : "草稿（提交后生成）"),
      fact("事项名称", app.subitem_name),
      fact("事项编码", el("span", { class: "code" }, app.subitem_code)),
      fact("实施部门", app.department_name),
      fact("地区", app.region_name),
      fact("办件状态", statusBadge(app.status, app.status_label)),
      fact("提交时间", formatTime(app.submitted_at) || "未提交"),
      fact("最近更新", formatTime(app.updated_at))
    ]);
  }

  /* The form as submitted, labelled from the catalogue's fields, in the guide's order. */
  /* The form's values; reveal(field, button, valueNode), when given, is offered for each masked personal number. */
  function fillFormValues(dl, app, reveal) {
    clear(dl);
    app.fields.forEach(function (field) {
      var value = app.form_data[field.name];
      var shown = el("span", { class: "form-value" }, value === undefined || value === "" ? "未填写" : value);
      var masked = reveal && typeof value === "string" && value.indexOf("*") !== -1;
      var button = masked ? el("button", { type: "button", class: "button button-secondary button-small reveal" },
        ["查看完整号码", hiddenText("：" + field.label + "（查看将被记录）")]) : null;
      if (button) {
        button.addEventListener("click", function () {
          reveal(field, button, shown);
        });
      }
      dl.appendChild(fact(field.label, button ? el("span", null, [shown, " ", button]) : shown));
    });
  }

  function fillApplicant(dl, applicant) {
    clear(dl);
    var rows = [fact("申请人类型", ACCOUNT_TYPES[applicant.account_type] || applicant.account_type)];
    if (applicant.account_type === "legal") {
      rows.push(fact("机构名称", applicant.name), fact("统一社会信用代码", applicant.credit_code), fact("经办人", applicant.real_name));
    } else {
      rows.push(fact("姓名", applicant.real_name || applicant.name));
    }
    rows.push(fact("身份证", applicant.id_number));
    append(dl, rows);
  }

  /* One uploaded file: its name as the (short-lived) download link, and its size. */
  function fileEntry(file) {
    return el("span", { class: "file-entry" }, [
      el("a", { class: "file-link", href: file.download_url, "data-upload-id": file.upload_id }, file.filename),
      el("span", { class: "file-size" }, "（" + humanSize(file.size) + "）")
    ]);
  }

  function materialMeta(material) {
    return [material.kind, material.copies + " 份", "格式：" + formatNames(material.formats),
            "单个文件不超过 " + humanSize(material.max_size)].join(" · ");
  }

  function requiredMark(material) {
    return el("span", { class: "req " + (material.required ? "req-yes" : "req-no") }, material.required ? "必需" : "非必需");
  }

  /* Materials and their files, read-only (办件详情, 审批工作台). */
  function fillMaterials(list, app) {
    clear(list);
    app.materials.forEach(function (material, index) {
      var files = material.files.length ? el("ul", { class: "file-list" }, material.files.map(function (file) {
        return el("li", null, fileEntry(file));
      })) : el("p", { class: "file-none" }, "未上传");
      list.appendChild(el("li", { class: "material" }, [
        el("div", { class: "material-head" }, [
          el("h3", { class: "material-name" }, [el("span", { class: "material-index", "aria-hidden": "true" }, String(index + 1)), material.name]),
          requiredMark(material)
        ]),
        files,
        replacedFiles(material)
      ]));
    });
  }

  /* Files a 补正 replaced: kept with the case, so staff see what was first submitted. */
  function replacedFiles(material) {
    var replaced = material.replaced_files || [];
    if (!replaced.length) {
      return null;
    }
    return el("div", { class: "replaced-files" }, [
      el("p", { class: "replaced-title" }, "补正前的文件"),
      el("ul", { class: "file-list" }, replaced.map(function (file) {
        return el("li", null, [el("span", { class: "replaced-round" }, "第 " + file.round + " 次补正前："), fileEntry(file)]);
      }))
    ]);
  }

  /* Whether the API allows the viewer this action now: the pages keep no status rules of their own. */
  function can(app, action) {
    return (app.allowed_actions || []).indexOf(action) !== -1;
  }

  /* "申请材料“养犬登记表”：未签字" — one correction item as the applicant and staff read it. */
  function correctionText(item) {
    var where = CORRECTION_KINDS[item.kind];
    return (where ? where + "“" + item.label + "”" : item.label) + (item.reason ? "：" + item.reason : "");
  }

  /* The history as a timeline, oldest first: time, who, 状态 from → to, comment. */
  function fillHistory(list, history) {
    clear(list);
    if (!history.length) {
      list.appendChild(el("li", { class: "timeline-empty" }, "尚无办理记录（草稿提交后开始记录）。"));
      return;
    }
    history.forEach(function (entry) {
      // A 要求补正 without a comment of its own comes as "；需补正：…".
      var comment = (entry.comment || "").replace(/^；/, "");
      var change = entry.from_label
        ? [statusBadge(entry.from, entry.from_label), el("span", { class: "timeline-arrow", "aria-hidden": "true" }, "→"),
           hiddenText("变为"), statusBadge(entry.to, entry.to_label)]
        : [statusBadge(entry.to, entry.to_label)];
      list.appendChild(el("li", { class: "timeline-entry" }, [
        el("p", { class: "timeline-head" }, [
          el("time", { class: "timeline-time", datetime: entry.at }, formatTime(entry.at)),
          el("span", { class: "timeline-actor" }, [hiddenText("办理人："), entry.actor, entry.actor_role === "staff" ? "" : "（申请人）"])
        ]),
        el("p", { class: "timeline-change" }, [hiddenText("状态：")].concat(change)),
        comment ? el("p", { class: "timeline-comment" }, [hiddenText("意见："), comment]) : null,
        (entry.items || []).length ? el("ul", { class: "timeline-items" }, entry.items.map(function (item) {
          return el("li", null, correctionText(item));
        })) : null
      ]));
    });
  }

  function fillCorrections(section, corrections) {
    var list = clear(section.querySelector("[data-corrections]"));
    corrections.forEach(function (item) {
      list.appendChild(el("li", null, correctionText(item)));
    });
    section.hidden = !corrections.length;
  }

  /* A modal <dialog> from templates/partials/application.html. options.onYes(controller) runs on 是;
     否, Esc and controller.close() close it and return focus to the control that opened it. While
     controller.busy(true) holds, the dialog cannot be closed (a request is on its way). */
  function Dialog(dialog) {
    var self = this;
    self.dialog = dialog;
    self.yes = dialog.querySelector("[data-dialog-yes]");
    self.no = dialog.querySelector("[data-dialog-no]");
    self.error = dialog.querySelector(".dialog-error");
    self.opener = null;
    self.onYes = null;
    self.working = false;
    self.yes.addEventListener("click", function () {
      if (!self.working && self.onYes) {
        self.onYes(self);
      }
    });
    self.no.addEventListener("click", function () {
      if (!self.working) {
        self.close();
      }
    });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault(); // Esc: the same as 否, unless a request is on its way
      if (!self.working) {
        self.close();
      }
    });
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault(); // Enter in a text box never sends the dialog's decision by itself
    });
  }

  Dialog.prototype.open = function (opener, onYes, focus) {
    this.opener = opener || document.activeElement;
    this.onYes = onYes;
    this.showError("");
    this.busy(false);
    if (!this.dialog.open) {
      this.dialog.showModal();
    }
    (focus || this.yes).focus();
  };

  Dialog.prototype.close = function () {
    this.busy(false);
    if (this.dialog.open) {
      this.dialog.close();
    }
    if (this.opener && document.body.contains(this.opener) && !this.opener.closest("[hidden]")) {
      this.opener.focus();
    }
  };

  Dialog.prototype.busy = function (on, text) {
    if (on === this.working) {
      return;
    }
    this.working = on;
    var F = window.PortalForms;
    if (F) {
      F.busy(this.yes, on, text);
    }
    if (on) {
      this.no.setAttribute("aria-disabled", "true");
    } else {
      this.no.removeAttribute("aria-disabled");
    }
  };

  Dialog.prototype.showError = function (message) {
    this.error.textContent = message || "";
    this.error.hidden = !message;
  };

  /* A download link older than its signature is replaced by a fresh one before it is followed. */
  function freshDownloads(root, state) {
    root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-upload-id]");
      if (!link || (Date.now() - state.loadedAt) / 1000 < LINK_SECONDS) {
        return;
      }
      event.preventDefault();
      var id = link.getAttribute("data-upload-id");
      state.refresh().then(function () {
        var fresh = root.querySelector('a[data-upload-id="' + id + '"]');
        if (fresh) {
          window.location.assign(fresh.href);
        }
      });
    });
  }

  /* One Idempotency-Key per submission attempt (SPEC §4.5); crypto.randomUUID needs a secure context. */
  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function onReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  window.PortalApplications = {
    Api: Api,
    el: el,
    append: append,
    clear: clear,
    hiddenText: hiddenText,
    formatTime: formatTime,
    fillEvaluation: fillEvaluation,
    humanSize: humanSize,
    formatNames: formatNames,
    statusBadge: statusBadge,
    params: params,
    toLogin: toLogin,
    loading: loading,
    showProblem: showProblem,
    loadFailed: loadFailed,
    fillSummary: fillSummary,
    fillFormValues: fillFormValues,
    fillApplicant: fillApplicant,
    fillMaterials: fillMaterials,
    fillHistory: fillHistory,
    fillCorrections: fillCorrections,
    correctionText: correctionText,
    can: can,
    fileEntry: fileEntry,
    materialMeta: materialMeta,
    requiredMark: requiredMark,
    Dialog: Dialog,
    freshDownloads: freshDownloads,
    uuid: uuid,
    onReady: onReady
  };
})();
