/* 服务指南 of a sub-item in both columns (个人办事 and 法人办事). The build renders such a guide once, naming both
   columns in its breadcrumb and marking neither as current in the main navigation; this keeps the column the
   visitor came through. That is the referrer when it is a page of one column (the column or one of its department
   lists), else what this tab found for this guide before (back from 申报 by its link), else both stay named. */

var STORE_PREFIX = "portal.guide-column:";

/* The column ("personal", "legal") whose pages the referrer is under, or "" (another site, another page, none). */
export function columnFromReferrer(referrer, origin, choices) {
  var url;
  try {
    url = new URL(referrer);
  } catch {
    return "";
  }
  if (url.origin !== origin) {
    return "";
  }
  var found = choices.filter(function (choice) {
    return url.pathname.indexOf(choice.path) === 0;
  });
  return found.length ? found[0].column : "";
}

function remembered(key) {
  try {
    return window.sessionStorage.getItem(key) || "";
  } catch {
    return ""; // storage refused (private mode, a policy): the page stays as built
  }
}

function remember(key, column) {
  try {
    window.sessionStorage.setItem(key, column);
  } catch {
    // as above: only a later visit in this tab loses the choice
  }
}

/* The breadcrumb and the navigation as the given column shows them. */
export function showColumn(doc, column) {
  var box = doc.querySelector("[data-column-choices]");
  var chosen = box && box.querySelector('[data-column="' + column + '"]');
  if (!chosen) {
    return;
  }
  box.querySelectorAll("[data-column]").forEach(function (link) {
    if (link !== chosen) {
      link.remove();
    }
  });
  box.querySelectorAll("[data-column-or]").forEach(function (separator) {
    separator.remove();
  });
  doc.querySelectorAll("[data-column-href-" + column + "]").forEach(function (link) {
    link.setAttribute("href", link.getAttribute("data-column-href-" + column));
  });
  doc.querySelectorAll(".main-nav a").forEach(function (link) {
    if (link.getAttribute("href") === chosen.getAttribute("href")) {
      link.classList.add("is-active");
      link.setAttribute("aria-current", "true");
    }
  });
}

function start() {
  var choices = Array.prototype.map.call(document.querySelectorAll("[data-column-choices] [data-column]"), function (link) {
    return { column: link.getAttribute("data-column"), path: link.getAttribute("href") };
  });
  if (!choices.length) {
    return;
  }
  var key = STORE_PREFIX + window.location.pathname;
  var column = columnFromReferrer(document.referrer, window.location.origin, choices);
  if (column) {
    remember(key, column);
  } else {
    column = remembered(key);
  }
  if (column) {
    showColumn(document, column);
  }
}

start();
