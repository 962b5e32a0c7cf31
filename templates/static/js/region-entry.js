/* The entry page of a page each region has a copy of (/login/, /apply/?region=…), and `/`: runs blocking in
   <head> and forwards to the region's own copy (/shenyang/apply/?region=…), keeping query and hash, before anything
   is drawn. The region is the one in ?region= (a region code, as guides link), else the one of the page to return
   to (?next=), else the one this browser last visited (js/lib/regions.js remembers it), else the portal's default.
   The regions come from <meta name="portal-regions">. */
(function () {
  var meta = document.querySelector('meta[name="portal-regions"]');
  if (!meta) {
    return;
  }
  var slugs = {};
  var known = {};
  meta.getAttribute("content").split(" ").forEach(function (pair) {
    var parts = pair.split(":");
    slugs[parts[0]] = parts[1];
    known[parts[1]] = true;
  });
  var remembered = null;
  try {
    remembered = window.localStorage.getItem("portal-region");
  } catch {
    /* Storage can be blocked: the default region stands in. */
  }
  var query = new URLSearchParams(window.location.search);
  // 登录 on the way back to a region's page (?next=/shenyang/apply/…) is that region's 登录.
  var next = (query.get("next") || "").split("/")[1];
  var slug = slugs[query.get("region")] || (known[next] && next) || (known[remembered] ? remembered : meta.getAttribute("data-default"));
  window.location.replace("/" + slug + window.location.pathname + window.location.search + window.location.hash);
})();
