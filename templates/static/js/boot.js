/* The one page boot: find the page, ask who is signed in, and start the page's module with them.
   A page that needs a user sends a visitor to 登录 (and back afterwards) — once here, and for every later 401
   through the API client's one hook; a page for one role shows a notice to the other.
   The page element carries data-login; its loading line is #<prefix>-loading and its notice #<prefix>-problem. */

import * as Api from "./api.js";
import { clear, el, status } from "./dom.js";
import { withNext } from "./lib/urls.js";

/* To 登录, coming back to this very page (with its query) afterwards. */
export function toLogin() {
  var page = document.querySelector("[data-login]");
  var login = page ? page.getAttribute("data-login") : "/login/";
  var here = window.location.pathname + window.location.search + window.location.hash;
  window.location.replace(withNext(login, here));
}

export function loading(prefix, text) {
  var line = document.getElementById(prefix + "-loading");
  line.textContent = text || "";
  line.hidden = !text;
}

/* A problem that stops the page (not found, not allowed, API down): a titled notice with links, focused. */
export function showProblem(prefix, title, text, links) {
  loading(prefix, "");
  var box = document.getElementById(prefix + "-problem");
  box.querySelector("[data-problem-title]").textContent = title;
  box.querySelector("[data-problem-text]").textContent = text || "";
  var linkLine = clear(box.querySelector("[data-problem-links]"));
  (links || []).forEach(function (link, index) {
    if (index) {
      linkLine.append("　");
    }
    linkLine.appendChild(el("a", { href: link.href }, link.label));
  });
  box.hidden = false;
  box.focus();
}

/* boot({page: "apply-page", prefix: "apply", what: "申报页面", loadingText, signIn: true, role: {...}, start})
   runs start(page, account) once the account is known. signIn: the page needs a user (else account may be null).
   role: {not: "staff", title, text, links(page)} — the notice for the role the page is not for. */
export function boot(options) {
  var page = document.getElementById(options.page);
  if (!page) {
    return;
  }
  if (options.signIn) {
    Api.onUnauthorized(toLogin);
  }
  if (options.loadingText) {
    loading(options.prefix, options.loadingText);
  }
  Api.me().then(function (account) {
    if (!account && options.signIn) {
      toLogin();
      return;
    }
    var role = options.role;
    if (account && role && (role.only ? account.role !== role.only : account.role === role.not)) {
      showProblem(options.prefix, role.title, role.text, role.links ? role.links(page) : []);
      return;
    }
    options.start(page, account);
  }, function (error) {
    var problem = options.prefix && document.getElementById(options.prefix + "-problem");
    if (problem) {
      showProblem(options.prefix, options.what + "未能打开", error.message + "。请稍后刷新页面重试。");
    } else if (options.prefix) {
      status(document.getElementById(options.prefix + "-loading"), error.message + "。请稍后刷新页面重试。", "error");
    } else {
      options.start(page, null); // a page that works without knowing (登录, 注册): the API's errors come later
    }
  });
}
