/* The read-only views of an application that 办件详情, 审批工作台 and 网上申报 share: summary, form values,
   applicant, materials with their files, history timeline, corrections, 好差评, status badges.
   The API's detail shape is described in functions/application_views.py. */

import { append, clear, el, hiddenText } from "../dom.js";
import { chinaTime, correctionText, formatNames, formatTime, humanSize } from "../lib/format.js";

var ACCOUNT_TYPES = { natural: "自然人", legal: "法人" };

export function statusBadge(status, label) {
  return el("span", { class: "status-badge status-" + status }, label);
}

/* Whether the API allows the viewer this action now: the pages keep no status rules of their own. */
export function can(app, action) {
  return (app.allowed_actions || []).indexOf(action) !== -1;
}

function fact(label, value) {
  return el("div", null, [el("dt", null, label), el("dd", null, value === "" || value === null || value === undefined ? "—" : value)]);
}

/* 好差评 as given: rating, comment, time, and a 差评's 整改 reply. The applicant's detail and the staff's show the same
   block. */
export function fillEvaluation(result, evaluation) {
  result.hidden = !evaluation;
  if (!evaluation) {
    return;
  }
  result.querySelector("[data-evaluation-label]").textContent = evaluation.label;
  var comment = result.querySelector("[data-evaluation-comment]");
  comment.textContent = evaluation.comment ? "评价内容：" + evaluation.comment : "";
  comment.hidden = !evaluation.comment;
  result.querySelector("[data-evaluation-time]").textContent = evaluation.at ? "评价时间：" + chinaTime(evaluation.at) : "";
  // A 差评's 整改 reply, as the department wrote it.
  var reply = evaluation.reply;
  result.querySelector("[data-evaluation-reply]").hidden = !reply;
  if (reply) {
    result.querySelector("[data-evaluation-reply-by]").textContent = "（" + reply.by + "，" + formatTime(reply.at) + "）";
    result.querySelector("[data-evaluation-reply-text]").textContent = reply.text;
  }
}

/* 办件编号, 事项, 部门, 地区, 状态, times: the head of a detail. */
export function fillSummary(dl, app) {
  clear(dl);
  append(dl, [
    fact("办件编号", app.number ? el("span", { class: "code application-number" }, app.number) : "草稿（提交后生成）"),
    fact("事项名称", app.subitem_name),
    fact("事项编码", el("span", { class: "code" }, app.subitem_code)),
    fact("实施部门", app.department_name),
    fact("地区", app.region_name),
    fact("办件状态", statusBadge(app.status, app.status_label)),
    fact("提交时间", formatTime(app.submitted_at) || "未提交"),
    app.acted_by ? fact("经办人", app.acted_by) : null, // the organisation's 经办人 who submitted it
    fact("最近更新", formatTime(app.updated_at))
  ].filter(Boolean));
}

/* The form as submitted, labelled from the catalogue's fields, in the guide's order;
   reveal(field, button, valueNode), when given, is offered for each masked personal number. */
export function fillFormValues(dl, app, reveal) {
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

export function fillApplicant(dl, applicant) {
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
export function fileEntry(file) {
  return el("span", { class: "file-entry" }, [
    el("a", { class: "file-link", href: file.download_url, "data-upload-id": file.upload_id, "data-expires-in": file.expires_in },
      file.filename),
    el("span", { class: "file-size" }, "（" + humanSize(file.size) + "）")
  ]);
}

/* The 结果文书 of a decided application: the PDF (a short-lived link, like a material's), 文号, date and code. */
export function fillDocuments(section, documents) {
  var list = clear(section.querySelector("[data-documents]"));
  (documents || []).forEach(function (doc) {
    list.appendChild(el("li", { class: "document-entry" }, [
      el("a", { class: "file-link document-link", href: doc.download_url, "data-upload-id": doc.sha256,
        "data-expires-in": doc.expires_in }, ["下载《" + doc.title + "》", el("span", { class: "file-size" }, "（PDF，" + humanSize(doc.size) + "）")]),
      el("dl", { class: "document-facts" }, [
        el("div", null, [el("dt", null, "文号"), el("dd", null, doc.document_number)]),
        el("div", null, [el("dt", null, "出具时间"), el("dd", null, formatTime(doc.issued_at))]),
        el("div", null, [el("dt", null, "验证码"), el("dd", { class: "code" }, doc.verification_code)])
      ])
    ]));
  });
  section.hidden = !(documents && documents.length);
}

export function materialMeta(material) {
  return [material.kind, material.copies + " 份", "格式：" + formatNames(material.formats),
    "单个文件不超过 " + humanSize(material.max_size)].join(" · ");
}

export function requiredMark(material) {
  return el("span", { class: "req " + (material.required ? "req-yes" : "req-no") }, material.required ? "必需" : "非必需");
}

export function materialHead(material, index, nameId) {
  return el("div", { class: "material-head" }, [
    el("h3", { class: "material-name", id: nameId || null }, [
      el("span", { class: "material-index", "aria-hidden": "true" }, String(index + 1)), material.name
    ]),
    requiredMark(material)
  ]);
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

/* Materials and their files, read-only (办件详情, 审批工作台). */
export function fillMaterials(list, app) {
  clear(list);
  app.materials.forEach(function (material, index) {
    var files = material.files.length ? el("ul", { class: "file-list" }, material.files.map(function (file) {
      return el("li", null, fileEntry(file));
    })) : el("p", { class: "file-none" }, "未上传");
    list.appendChild(el("li", { class: "material" }, [materialHead(material, index), files, replacedFiles(material)]));
  });
}

function historyEntry(entry) {
  // A 要求补正 without a comment of its own comes as "；需补正：…".
  var comment = (entry.comment || "").replace(/^；/, "");
  var change = entry.from_label
    ? [statusBadge(entry.from, entry.from_label), el("span", { class: "timeline-arrow", "aria-hidden": "true" }, "→"),
      hiddenText("变为"), statusBadge(entry.to, entry.to_label)]
    : [statusBadge(entry.to, entry.to_label)];
  return el("li", { class: "timeline-entry" }, [
    el("p", { class: "timeline-head" }, [
      el("time", { class: "timeline-time", datetime: entry.at }, formatTime(entry.at)),
      el("span", { class: "timeline-actor" }, [hiddenText("办理人："), entry.actor, entry.actor_role === "staff" ? "" : "（申请人）"])
    ]),
    el("p", { class: "timeline-change" }, [hiddenText("状态：")].concat(change)),
    comment ? el("p", { class: "timeline-comment" }, [hiddenText("意见："), comment]) : null,
    (entry.items || []).length ? el("ul", { class: "timeline-items" }, entry.items.map(function (item) {
      return el("li", null, correctionText(item));
    })) : null
  ]);
}

/* The history as a timeline, oldest first: time, who, 状态 from → to, comment. */
export function fillHistory(list, history) {
  clear(list);
  if (!history.length) {
    list.appendChild(el("li", { class: "timeline-empty" }, "尚无办理记录（草稿提交后开始记录）。"));
    return;
  }
  history.forEach(function (entry) {
    list.appendChild(historyEntry(entry));
  });
}

export function fillCorrections(section, corrections) {
  var list = clear(section.querySelector("[data-corrections]"));
  corrections.forEach(function (item) {
    list.appendChild(el("li", null, correctionText(item)));
  });
  section.hidden = !corrections.length;
}
