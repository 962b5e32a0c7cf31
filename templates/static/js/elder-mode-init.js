/* 长辈版: runs blocking in <head> so large text and high contrast apply before the first paint. */
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  try {
    if (window.localStorage.getItem("portal-elder-mode") === "on") {
      root.classList.add("elder-mode");
    }
  } catch {
    /* Storage can be blocked (private mode, policy): the page simply starts in the standard view. */
  }
})();
