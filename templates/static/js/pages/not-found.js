/* 404.html belongs to no region (it is served for any missing URL): 返回首页 and 搜索服务事项 go to the region of the
   URL's first folder (/shenyang/guide/… → 沈阳政务服务网), else the region this browser last visited. Nothing
   redirects: the visitor reads why the page is missing, and chooses. */
import { notFoundRegion } from "../lib/regions.js";

var slug = notFoundRegion(window.location.pathname);
var link = slug && document.querySelector('[data-region-home="' + slug + '"]');
if (link) {
  var home = document.getElementById("not-found-home");
  home.href = link.getAttribute("href");
  home.textContent = "返回" + link.textContent + "首页";
  document.getElementById("not-found-search").href = link.getAttribute("data-search");
  document.getElementById("not-found-search-item").hidden = false;
}
