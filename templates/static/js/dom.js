/* Building elements and status lines: what every page module uses to show what the API answered. */

/* el("a", {href: "/x", class: "y"}, ["text", child]) — attributes set as given; `hidden: true` hides. */
export function el(tag, attrs, children) {
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

export function append(node, children) {
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

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function hiddenText(text) {
  return el("span", { class: "visually-hidden" }, text);
}

/* A status line (role=status): its text, and whether it reports an error or a success. */
export function status(node, message, kind) {
  if (!node) {
    return;
  }
  node.textContent = message || "";
  node.classList.toggle("is-error", kind === "error");
  node.classList.toggle("is-success", kind === "success");
}

export function params() {
  return new URLSearchParams(window.location.search);
}

/* The site title after " - " in the page's <title>, to build a new title around it. */
export function siteTitle() {
  return document.title.replace(/^[^-]+- /, "");
}
