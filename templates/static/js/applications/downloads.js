/* Download links are signed for a while (each file's expires_in, from the API); a link about to expire is
   replaced by a fresh one before it is followed. */

// Fetched again this long before the signature ends, so a slow click still gets a working link.
var MARGIN_SECONDS = 60;

/* state: {loadedAt (ms, when the links were read), refresh() → Promise (reads them again)}. */
export function freshDownloads(root, state) {
  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-upload-id]");
    var lifetime = link && Number(link.getAttribute("data-expires-in"));
    if (!link || !lifetime || (Date.now() - state.loadedAt) / 1000 < lifetime - MARGIN_SECONDS) {
      return;
    }
    event.preventDefault();
    var id = link.getAttribute("data-upload-id");
    state.refresh().then(function () {
      var fresh = root.querySelector('a[data-upload-id="' + id + '"]');
      if (fresh) {
        window.location.assign(fresh.href);
      }
    });
  });
}
