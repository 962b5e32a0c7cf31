/* 站点切换 works as a plain <details>; this only adds what users expect of a menu:
   Escape and a click elsewhere close it. */
export function startSiteSwitch() {
  var menus = document.querySelectorAll("details.site-switch");
  if (!menus.length) {
    return;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });
}

