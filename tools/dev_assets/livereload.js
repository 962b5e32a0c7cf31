/* make dev only (tools/dev_reload.py adds it to every page; never deployed). Listens to /__dev/events:
   reloads the page after a successful rebuild, shows what is wrong after a failed one (an overlay drawn with
   DOM calls: the Content-Security-Policy allows no inline code, and textContent keeps file contents inert),
   and says on a search page when the search index is behind the pages. */
(function () {
  "use strict";

  var EVENTS_URL = "/__dev/events";
  var STYLE_URL = "/__dev/livereload.css";
  var OVERLAY_ID = "dev-build-errors";
  var NOTICE_ID = "dev-search-index";
  var SEARCH_PAGE = /^\/[^\/]+\/search\/$/;
  var DEFAULT_TITLE = "内容有错误，页面未更新：";
  var INDEX_NOTICES = {
    updating: "搜索索引正在更新，结果可能不是最新的",
    failed: "搜索索引更新失败，结果可能不是最新的（详见终端）"
  };

  var shownBuild = null; // the build this page was loaded from, learnt from the first "hello"
  var dismissed = null; // the errors the reader closed; a reconnect does not show them again
  var indexState = "fresh";

  function data(event) {
    try {
      return JSON.parse(event.data);
    } catch (ignored) {
      return {};
    }
  }

  function removeById(id) {
    var element = document.getElementById(id);
    if (element) {
      element.parentNode.removeChild(element);
    }
  }

  function addStyles() {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLE_URL;
    document.head.appendChild(link);
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  // One line per error: file, 第 N 行, field, problem.
  function errorLine(error) {
    var item = document.createElement("li");
    var parts = [];
    if (error.path) {
      parts.push(span("dev-overlay-path", error.path));
    }
    if (error.line_number) {
      parts.push(span("dev-overlay-line", "第 " + error.line_number + " 行"));
    }
    if (error.field) {
      parts.push(span("dev-overlay-field", error.field));
    }
    parts.forEach(function (part, index) {
      if (index > 0) {
        item.appendChild(document.createTextNode("，"));
      }
      item.appendChild(part);
    });
    if (parts.length) {
      item.appendChild(document.createTextNode("："));
    }
    item.appendChild(span("dev-overlay-problem", error.problem || error.text || ""));
    return item;
  }

  function closeOverlay() {
    removeById(OVERLAY_ID);
    document.removeEventListener("keydown", closeOnEscape);
  }

  function closeOnEscape(event) {
    if (event.key === "Escape") {
      dismissed = document.getElementById(OVERLAY_ID).getAttribute("data-errors");
      closeOverlay();
    }
  }

  function showErrors(raw) {
    if (raw === dismissed) {
      return;
    }
    closeOverlay();
    var report = data({ data: raw });
    var overlay = document.createElement("section");
    overlay.id = OVERLAY_ID;
    overlay.className = "dev-overlay";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("data-errors", raw);

    var title = document.createElement("p");
    title.className = "dev-overlay-title";
    title.textContent = report.title || DEFAULT_TITLE;
    var list = document.createElement("ul");
    list.className = "dev-overlay-list";
    (report.errors || []).forEach(function (error) {
      list.appendChild(errorLine(error));
    });
    var hint = document.createElement("p");
    hint.className = "dev-overlay-hint";
    hint.textContent = "改正后保存，页面会自动刷新。";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "dev-overlay-close";
    close.textContent = "关闭";
    close.setAttribute("aria-label", "关闭错误提示");
    close.addEventListener("click", function () {
      dismissed = raw;
      closeOverlay();
    });

    overlay.appendChild(close);
    overlay.appendChild(title);
    overlay.appendChild(list);
    overlay.appendChild(hint);
    document.body.appendChild(overlay);
    document.addEventListener("keydown", closeOnEscape);
  }

  function showIndexState(state) {
    var previous = indexState;
    indexState = state;
    if (!SEARCH_PAGE.test(window.location.pathname)) {
      return;
    }
    removeById(NOTICE_ID);
    if (state === "fresh") {
      // The loaded search UI still points at the old index's files, which are gone; the query stays in ?q=.
      if (previous !== "fresh") {
        window.location.reload();
      }
      return;
    }
    var notice = document.createElement("p");
    notice.id = NOTICE_ID;
    notice.className = "notice dev-search-notice";
    notice.setAttribute("role", "status");
    notice.textContent = INDEX_NOTICES[state] || INDEX_NOTICES.updating;
    var search = document.getElementById("search");
    var anchor = search ? search.parentNode : document.getElementById("main");
    if (anchor && anchor.parentNode) {
      anchor.parentNode.insertBefore(notice, anchor);
    } else {
      document.body.insertBefore(notice, document.body.firstChild);
    }
  }

  function connect() {
    var source = new window.EventSource(EVENTS_URL);
    source.addEventListener("hello", function (event) {
      var build = data(event).build;
      // A rebuild (or a server restart) happened while the stream was down: this page is out of date.
      if (shownBuild !== null && build !== shownBuild) {
        window.location.reload();
        return;
      }
      shownBuild = build;
      // Says which build the page shows and that it is listening (the live-reload test waits for it).
      document.documentElement.setAttribute("data-dev-build", build);
    });
    source.addEventListener("reload", function () {
      window.location.reload();
    });
    // EventSource fires "error" for a lost connection as well; only the server's event carries data.
    source.addEventListener("error", function (event) {
      if (typeof event.data === "string") {
        showErrors(event.data);
      }
    });
    source.addEventListener("search-index", function (event) {
      showIndexState(data(event).state || "fresh");
    });
  }

  if (typeof window.EventSource !== "function") {
    return;
  }
  addStyles();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connect);
  } else {
    connect();
  }
})();
