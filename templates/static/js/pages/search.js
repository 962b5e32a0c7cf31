/* 站内搜索: Pagefind's UI in #search, on this region's own index (data-bundle), running the query from ?q=. */
function fallback(container, message) {
  var note = document.createElement("p");
  note.className = "notice";
  note.textContent = message;
  container.appendChild(note);
}

function init() {
  var container = document.getElementById("search");
  if (!container) {
    return;
  }
  if (typeof window.PagefindUI !== "function") {
    fallback(container, "搜索功能暂时不可用（搜索索引未生成或未能加载）。请通过“个人办事”“法人办事”栏目浏览事项。");
    return;
  }
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var filterKey = container.getAttribute("data-filter") || "地区";
  var region = container.getAttribute("data-region");

  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: container.getAttribute("data-bundle") || "/pagefind/",
    showSubResults: true,
    showImages: false,
    autofocus: !query,
    translations: {
      placeholder: container.getAttribute("data-placeholder") || "搜索",
      zero_results: "没有找到与 [SEARCH_TERM] 相关的服务指南，请换个关键词试试"
    },
    /* Keep ?q= in step with the box, so a result page can be bookmarked or shared. */
    processTerm: function (term) {
      var url = new URL(window.location.href);
      if (term) {
        url.searchParams.set("q", term);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url);
      return term;
    }
  });

  if (region) {
    var filters = {};
    filters[filterKey] = [region];
    ui.triggerFilters(filters);
  }
  if (query) {
    ui.triggerSearch(query);
    var headerInput = document.getElementById("header-search-q");
    if (headerInput) {
      headerInput.value = query;
    }
  }
}

init();
