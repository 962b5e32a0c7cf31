/* What every form shares — errors next to each field and in a summary, reading the form into the API's JSON,
   the busy state of its button — and bindSubmit, the one way a form is sent.
   Markup comes from templates/partials/forms.html: a field's error slot is #<id>-error, its name is the
   API's field name ("organization.credit_code"), and data-local marks controls that are never sent. */

import { status } from "./dom.js";

var CHECK_MESSAGE = "请检查填写的内容";

function labelOf(el) {
  return el.getAttribute("data-label") || el.name;
}

/* The control an API field belongs to: by name, or one that lists it in data-error-for. */
export function control(form, name) {
  var elements = Array.from(form.elements);
  return elements.find(function (el) { return el.name === name; }) ||
    elements.find(function (el) { return (el.getAttribute("data-error-for") || "").split(/\s+/).indexOf(name) !== -1; }) ||
    null;
}

export function setError(el, message) {
  var slot = el.id ? document.getElementById(el.id + "-error") : null;
  if (slot) {
    slot.textContent = "";
    if (message) {
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = "错误：";
      slot.append(prefix, message);
    }
    slot.hidden = !message;
  }
  if (message) {
    el.setAttribute("aria-invalid", "true");
  } else {
    el.removeAttribute("aria-invalid");
  }
  var wrap = el.closest(".field");
  if (wrap) {
    wrap.classList.toggle("has-error", Boolean(message));
  }
}

function summaryOf(form) {
  return document.getElementById(form.getAttribute("data-errors"));
}

export function clearErrors(form) {
  form.querySelectorAll("[aria-invalid]").forEach(function (el) {
    setError(el, "");
  });
  var summary = summaryOf(form);
  if (summary) {
    summary.hidden = true;
  }
}

export function focusField(el) {
  el.focus();
  (el.closest(".field") || el).scrollIntoView({ block: "center" });
}

/* "登录名：该名称已被注册", but not "真实姓名：请填写真实姓名". */
function summaryText(item) {
  return !item.el || item.message.indexOf(labelOf(item.el)) !== -1 ? item.message : labelOf(item.el) + "：" + item.message;
}

function summaryEntry(item, text) {
  var li = document.createElement("li");
  if (!item.el || !item.el.id) {
    li.textContent = text;
    return li;
  }
  var link = document.createElement("a");
  link.href = "#" + item.el.id;
  link.textContent = text;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    focusField(item.el);
  });
  li.appendChild(link);
  return li;
}

/* Show an ApiError (or {fields, message}) beside its fields and as a linked list at the top, then focus it. */
export function showErrors(form, error) {
  var fields = error.fields || {};
  var items = Object.keys(fields).map(function (name) {
    var el = control(form, name);
    if (el) {
      setError(el, fields[name]);
    }
    return { el: el, message: fields[name] };
  });
  if (!items.length) {
    items.push({ el: null, message: error.message });
  }
  // In the order of the form, so the list reads top to bottom like the page.
  items.sort(function (a, b) {
    if (!a.el || !b.el) {
      return a.el ? 1 : b.el ? -1 : 0;
    }
    return a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  var summary = summaryOf(form);
  if (!summary) {
    return;
  }
  var list = summary.querySelector("ul");
  list.textContent = "";
  var seen = new Set(); // one line for "登录名或密码错误", given for both fields
  items.forEach(function (item) {
    var text = summaryText(item);
    if (!seen.has(text)) {
      seen.add(text);
      list.appendChild(summaryEntry(item, text));
    }
  });
  summary.hidden = false;
  summary.focus();
  summary.scrollIntoView({ block: "start" });
}

/* Empty required controls that are shown and enabled: {name: "请填写…"}. */
export function checkRequired(form) {
  var problems = {};
  Array.from(form.elements).forEach(function (el) {
    var skip = !el.required || !el.name || el.type === "file" || el.hasAttribute("data-no-check") ||
      el.matches(":disabled") || el.closest("[hidden]") || problems[el.name];
    if (skip) {
      return;
    }
    if (el.type === "checkbox") {
      if (!el.checked) {
        problems[el.name] = el.getAttribute("data-required-message") || "请勾选" + labelOf(el);
      }
    } else if (el.type === "radio") {
      if (!form.querySelector('input[name="' + el.name + '"]:checked')) {
        problems[el.name] = "请选择" + labelOf(el);
      }
    } else if (!el.value.trim()) {
      problems[el.name] = (el.tagName === "SELECT" ? "请选择" : "请填写") + labelOf(el);
    }
  });
  return problems;
}

/* The confirmation field must repeat the first; adds the problem to `problems`. */
export function checkSame(form, firstName, secondName, message, problems) {
  var first = control(form, firstName);
  var second = control(form, secondName);
  if (first && second && second.value && first.value !== second.value && !problems[secondName]) {
    problems[secondName] = message;
  }
  return problems;
}

export function hasProblems(problems) {
  return Object.keys(problems).length > 0;
}

function assign(target, path, value) {
  var node = target;
  path.slice(0, -1).forEach(function (part) {
    node[part] = node[part] || {};
    node = node[part];
  });
  node[path[path.length - 1]] = value;
}

/* The form as the API's JSON: dotted names nest ("organization.name"), checkboxes become booleans. */
export function collect(form) {
  var data = {};
  Array.from(form.elements).forEach(function (el) {
    var skip = !el.name || el.hasAttribute("data-local") || el.matches(":disabled") || el.type === "file" ||
      el.type === "submit" || el.type === "button" || el.tagName === "FIELDSET" || (el.type === "radio" && !el.checked);
    if (!skip) {
      assign(data, el.name.split("."), el.type === "checkbox" ? el.checked : el.type === "password" ? el.value : el.value.trim());
    }
  });
  return data;
}

/* A busy button stays focusable (aria-disabled), so a keyboard user's place is not lost. */
export function busy(button, on, text) {
  if (on) {
    button.setAttribute("data-label", button.textContent);
    button.textContent = text || "正在提交…";
    button.setAttribute("aria-disabled", "true");
  } else {
    button.textContent = button.getAttribute("data-label") || button.textContent;
    button.removeAttribute("aria-disabled");
  }
}

export function isBusy(button) {
  return button.getAttribute("aria-disabled") === "true";
}

/* The one way a form is sent: on submit (or run(), e.g. from a dialog's 是) — unless already busy — clear the
   errors, check (required fields, then options.check(problems), which may add to them and may return a promise;
   null stops quietly), show what is missing, else send(values) with the button busy, then done(answer) or the
   API's errors beside the fields and in the summary (options.failed(error) first: return true when handled).
   options: button (default .button-submit), busyText, statusLine + statusText (said while sending),
   setBusy(on) (a dialog's own busy state), listen (false: only run() sends). */
export function bindSubmit(form, options) {
  var button = options.button || form.querySelector(".button-submit");
  var setBusy = options.setBusy || function (on) {
    busy(button, on, options.busyText);
  };
  var working = false;
  var settle = function () {
    working = false;
    setBusy(false);
    status(options.statusLine, "");
  };
  var run = function () {
    if (working || isBusy(button)) {
      return Promise.resolve();
    }
    working = true;
    clearErrors(form);
    setBusy(true);
    var required = checkRequired(form);
    return Promise.resolve(options.check ? options.check(required) : required).then(function (problems) {
      if (!problems || hasProblems(problems)) {
        settle();
        if (problems) {
          showErrors(form, { fields: problems, message: CHECK_MESSAGE });
        }
        return;
      }
      status(options.statusLine, options.statusText || "");
      return Promise.resolve(options.send(collect(form))).then(function (answer) {
        settle();
        return options.done && options.done(answer);
      }, function (error) {
        settle();
        if (!(options.failed && options.failed(error))) {
          showErrors(form, error);
        }
      });
    });
  };
  if (options.listen !== false) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
  }
  return run;
}
