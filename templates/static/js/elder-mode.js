/* 长辈版 toggle: large text, high contrast and bigger targets, remembered in localStorage. */
var STORAGE_KEY = "portal-elder-mode";
var CLASS_NAME = "elder-mode";
var root = document.documentElement;

function remember(on) {
  try {
    if (on) {
      window.localStorage.setItem(STORAGE_KEY, "on");
    } else {
      window.localStorage.removeItem(STORAGE_KEY);
    }
  } catch {
    /* Storage blocked: the mode still applies to this page. */
  }
}

function apply(on, button) {
  root.classList.toggle(CLASS_NAME, on);
  if (button) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.title = on ? "切换回标准版" : "切换到长辈版：大字号、高对比度";
  }
}

export function startElderMode() {
  var button = document.getElementById("elder-toggle");
  if (!button) {
    return;
  }
  apply(root.classList.contains(CLASS_NAME), button);
  button.hidden = false;
  button.addEventListener("click", function () {
    var on = !root.classList.contains(CLASS_NAME);
    apply(on, button);
    remember(on);
  });
  /* Keep other open tabs of the portal in step. */
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY) {
      apply(event.newValue === "on", button);
    }
  });
}

