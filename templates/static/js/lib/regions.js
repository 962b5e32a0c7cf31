/* Each region has its own copy of the API-backed pages (/anshan/apply/, /shenyang/apply/ …) so that an application
   is shown with its own region's header, footer and contacts. The page's region is <html data-region>; region codes
   and folders come from <meta name="portal-regions" content="210300:anshan …">. */

/* {code: slug} from the meta's content. Pure. */
export function parseRegions(content) {
  var slugs = {};
  (content || "").split(" ").forEach(function (pair) {
    var parts = pair.split(":");
    if (parts.length === 2 && parts[0] && parts[1]) {
      slugs[parts[0]] = parts[1];
    }
  });
  return slugs;
}

/* The same page in another region's folder: "/anshan/my/application/" → "/shenyang/my/application/". Pure. */
export function inRegion(pathname, fromSlug, toSlug) {
  var prefix = "/" + fromSlug + "/";
  return pathname.indexOf(prefix) === 0 ? "/" + toSlug + "/" + pathname.slice(prefix.length) : null;
}

function slugs() {
  var meta = document.querySelector('meta[name="portal-regions"]');
  return parseRegions(meta ? meta.getAttribute("content") : "");
}

/* The region this page belongs to (its folder), or null outside every region. */
export function pageRegion() {
  return document.documentElement.getAttribute("data-region");
}

/* Remembered for the entry pages (js/region-entry.js): a later /login/ or /my/applications/ opens this region's. */
export function rememberRegion() {
  var slug = pageRegion();
  if (!slug) {
    return;
  }
  try {
    window.localStorage.setItem("portal-region", slug);
  } catch {
    /* Storage can be blocked: entry pages then open the default region's copy. */
  }
}

/* This page's URL in the region of that code (the query and hash kept), or null when it is already there. */
export function regionCopy(code) {
  var here = pageRegion();
  var slug = slugs()[code];
  if (!here || !slug || slug === here) {
    return null;
  }
  var path = inRegion(window.location.pathname, here, slug);
  return path && path + window.location.search + window.location.hash;
}

/* Opens the page of that region instead of this one (an application of Shenyang shown on Anshan's copy): true when
   the browser is on its way, so the caller draws nothing. */
export function moveToRegion(code) {
  var url = regionCopy(code);
  if (url) {
    window.location.replace(url);
  }
  return Boolean(url);
}

/* A link to a page (given by its path in this region's copy) in the region of that code. */
export function linkInRegion(href, code) {
  var here = pageRegion();
  var slug = slugs()[code];
  return (here && slug && inRegion(href, here, slug)) || href;
}

/* The region a path outside every region's pages points at: its first folder when that is a region's
   ("/shenyang/guide/x/" → "shenyang"), else null. Pure: known is the list of region folders. */
export function regionOfPath(pathname, known) {
  var first = String(pathname || "").split("/")[1];
  return known.indexOf(first) !== -1 ? first : null;
}

/* The region a page outside every region (404.html) offers: that of its URL's first folder, else the one this
   browser last visited, else null. */
export function notFoundRegion(pathname) {
  var known = Object.values(slugs());
  var remembered = null;
  try {
    remembered = window.localStorage.getItem("portal-region");
  } catch {
    /* Storage can be blocked: only the URL can name the region then. */
  }
  return regionOfPath(pathname, known) || regionOfPath("/" + remembered, known);
}
