/* 基本信息 of 网上申报: the sub-item's fields, each cloned from the field <template> the page's Jinja macro
   rendered (templates/partials/forms.html, catalogue_field_template), and saved as the applicant types. */

import * as Api from "../api.js";
import { clear, status } from "../dom.js";
import { collect, setError } from "../forms.js";
import { formatTime } from "../lib/format.js";

var SAVE_DELAY_MS = 800;
var SEALED_HINT = "已加密保存，只显示部分号码；不需更改时请保留原样，如需更改请输入完整号码。";

function shown(value) {
  return value === undefined || value === null ? "" : String(value);
}

/* The control for the field's type (text when the template has none for it), named and filled. */
function fillControl(block, field, id, value) {
  var controls = Array.from(block.querySelectorAll("[data-control]"));
  var input = controls.find(function (c) { return c.getAttribute("data-control") === field.type; }) ||
    controls.find(function (c) { return c.getAttribute("data-control") === "text"; });
  controls.forEach(function (c) {
    if (c !== input) {
      c.remove();
    }
  });
  input.removeAttribute("data-control");
  Object.assign(input, { id: id, name: "form_data." + field.name, required: field.required });
  input.setAttribute("data-label", field.label);
  if (field.type === "date" && input.type === "date") {
    input.min = field.min || "";
    input.max = field.max || "";
  }
  if (input.tagName === "SELECT") {
    input.append(...field.options.map(function (option) { return new Option(option, option); }));
    input.value = field.options.indexOf(value) === -1 ? "" : value;
  } else {
    input.value = value;
  }
  return input;
}

/* "2026-12-02" → "2026年12月2日", as the guide and the API's messages write a date. */
function chineseDate(iso) {
  var parts = iso.split("-").map(Number);
  return parts[0] + "年" + parts[1] + "月" + parts[2] + "日";
}

/* A date field's own limits, in the words of the guide (不晚于填写当天); the input's min/max hold them too. */
function dateLimits(field) {
  var words = [["不早于", field.not_before], ["不晚于", field.not_after]].filter(function (pair) {
    return pair[1];
  }).map(function (pair) {
    return pair[0] + (pair[1] === "today" ? "今天（" + chineseDate(pair[0] === "不早于" ? field.min : field.max) + "）" : chineseDate(pair[1]));
  });
  return words.length ? "日期" + words.join("，") + "。" : "";
}

function editableBlock(template, field, value) {
  var id = "f-" + field.name;
  var block = template.content.querySelector("[data-field]").cloneNode(true);
  block.removeAttribute("data-field");
  block.id = id + "-field";
  var input = fillControl(block, field, id, value);
  var sealed = value.indexOf("*") !== -1;
  var hintText = sealed ? SEALED_HINT : [field.help || input.getAttribute("data-hint") || "", dateLimits(field)].join("");
  input.removeAttribute("data-hint");
  var label = block.querySelector("label");
  label.htmlFor = id;
  label.prepend(field.label);
  label.querySelector(field.required ? ".field-optional" : ".field-required").remove();
  var hint = block.querySelector(".field-hint");
  if (hintText) {
    hint.id = id + "-hint";
    hint.textContent = hintText;
  } else {
    hint.remove();
  }
  block.querySelector(".field-error").id = id + "-error";
  input.setAttribute("aria-describedby", (hintText ? [id + "-hint"] : []).concat([id + "-error"]).join(" "));
  return block;
}

function lockedBlock(template, field, value) {
  var block = template.content.querySelector("[data-field-locked]").cloneNode(true);
  block.removeAttribute("data-field-locked");
  block.id = "f-" + field.name + "-field";
  block.querySelector(".field-label").textContent = field.label;
  block.querySelector(".field-value").textContent = value === "" ? "未填写" : value;
  return block;
}

/* {"form_data.x": problem} of the values the draft keeps as typed although they are wrong. */
function keptProblems(app) {
  var problems = {};
  Object.keys(app.field_problems || {}).forEach(function (name) {
    problems["form_data." + name] = app.field_problems[name];
  });
  return problems;
}

export function renderFields(state) {
  var box = clear(document.getElementById("apply-fields"));
  var template = document.getElementById("apply-field-template");
  state.app.fields.forEach(function (field) {
    var value = shown(state.app.form_data[field.name]);
    var make = state.marked("field", field.name) ? editableBlock : lockedBlock;
    box.appendChild(make(template, field, value));
  });
  // What was typed wrong last time is back in its field, with what to correct.
  state.saveErrors = keptProblems(state.app);
  showSaveErrors(state, state.saveErrors, {});
}

/* The values of fields a 补正 does not reopen: saved as they were. */
function lockedValues(state) {
  var values = {};
  state.app.fields.forEach(function (field) {
    var value = state.app.form_data[field.name];
    if (!state.marked("field", field.name) && value !== undefined && value !== "") {
      values[field.name] = value;
    }
  });
  return values;
}

/* Only the fields the API named (form_data.x), for a retry without them. */
function formProblems(error) {
  var problems = {};
  Object.keys(error.fields || {}).forEach(function (key) {
    if (key.indexOf("form_data.") === 0) {
      problems[key] = error.fields[key];
    }
  });
  return problems;
}

/* The saved draft's answer: kept values still wrong are saved as typed (field_problems); refused ones are not. */
function autosaved(state, app, refused) {
  state.app.updated_at = app.updated_at;
  var kept = keptProblems(app);
  state.saveErrors = Object.assign({}, kept, refused);
  var notes = [];
  if (Object.keys(kept).length) {
    notes.push("有 " + Object.keys(kept).length + " 项填写有误，已按您填写的内容保存，请修改后再提交");
  }
  if (Object.keys(refused).length) {
    notes.push("有 " + Object.keys(refused).length + " 项填写有误，未保存：" + Object.keys(refused).map(function (name) {
      return refused[name];
    }).join("；"));
  }
  var note = notes.length ? "（" + notes.join("；") + "）" : "";
  var what = state.app.number ? "修改已自动保存 " : "草稿已自动保存 ";
  status(document.getElementById("apply-autosave"), what + formatTime(app.updated_at).slice(11) + note, note ? "error" : null);
  return state.saveErrors;
}

/* Save the form now (autosave, 下一步, leaving the page). A wrong value is saved as typed and its problem shown
   beside its field; what the server refuses outright (no one types it) is left out and reported, so the rest is
   still kept. Resolves to {field name: problem}. */
export function saveForm(state, options) {
  var opts = options || {};
  window.clearTimeout(state.saveTimer);
  if (state.discarded || (!state.dirty && !opts.force)) {
    return Promise.resolve(state.saveErrors);
  }
  state.dirty = false;
  var revisited = Object.assign({}, state.saveErrors, state.touched);
  state.touched = {};
  var values = Object.assign(lockedValues(state), collect(state.form).form_data || {});
  var attempt = function (data, refused) {
    return state.stored({ keepalive: opts.keepalive }).then(function () {
      return Api.put(state.path("/form"), { form_data: data }, { keepalive: opts.keepalive });
    }).then(function (app) {
      return autosaved(state, app, refused);
    }, function (error) {
      var problems = formProblems(error);
      if (error.status === 422 && Object.keys(problems).length && !Object.keys(refused).length) {
        var rest = {};
        Object.keys(data).filter(function (name) { return !problems["form_data." + name]; }).forEach(function (name) {
          rest[name] = data[name];
        });
        return attempt(rest, problems);
      }
      throw error;
    });
  };
  return state.write(function () {
    return attempt(values, {});
  }).then(function (refused) {
    showSaveErrors(state, refused, revisited);
    return refused;
  }, function (error) {
    state.dirty = true;
    status(document.getElementById("apply-autosave"), "草稿未能保存：" + error.message, "error");
    throw error;
  });
}

/* A problem found by the autosave is shown once the applicant has left that field, not while typing;
   a field edited since (or refused before) and now saved loses its error. Other errors stay. */
function showSaveErrors(state, refused, revisited) {
  state.form.querySelectorAll('[name^="form_data."]').forEach(function (input) {
    var message = refused[input.name];
    if (message && input !== document.activeElement) {
      setError(input, message);
    } else if (!message && revisited[input.name]) {
      setError(input, "");
    }
  });
}

export function watchForm(state) {
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
      setError(event.target, message);
    }
  });
  // Leaving the page (closing the tab, following a link): what is typed is sent even as the page goes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && state.dirty) {
      saveForm(state, { keepalive: true }).catch(function () {});
    }
  });
}
