/* 站内搜索: pagefind's JS API on this region's own index (data-bundle), our own result list, ?q= in the URL. */
import { excerpt, highlight, rerank } from "../search/rank.js";

var LOADED = 20;
var SHOWN = 10;

function setQueryInUrl(query, department, audience) {
  var url = new URL(window.location.href);
  [["q", query], ["department", department], ["audience", audience]].forEach(function (pair) {
    if (pair[1]) {
      url.searchParams.set(pair[0], pair[1]);
    } else {
      url.searchParams.delete(pair[0]);
    }
  });
  window.history.replaceState(null, "", url);
}

function renderResult(list, result, query) {
  var item = document.createElement("li");
  item.className = "search-result";
  var heading = document.createElement("h2");
  heading.className = "search-result-title";
  var link = document.createElement("a");
  link.href = result.url;
  link.textContent = result.title;
  heading.appendChild(link);
  var text = document.createElement("p");
  text.className = "search-result-excerpt";
  highlight(excerpt(result.content, query, 80), query).forEach(function (piece) {
    var node = piece.mark ? document.createElement("mark") : document.createTextNode(piece.text);
    if (piece.mark) {
      node.textContent = piece.text;
    }
    text.appendChild(node);
  });
  item.appendChild(heading);
  item.appendChild(text);
  list.appendChild(item);
}

async function run(pagefind, form, query) {
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var department = form.elements.department.value;
  var audience = form.elements.audience.value;
  setQueryInUrl(query, department, audience);
  list.textContent = "";
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = "正在搜索…";
  var filters = {};
  if (department) {
    filters["部门"] = department;
  }
  if (audience) {
    filters["服务对象"] = audience;
  }
  var search = await pagefind.search(query, { filters: filters });
  var data = await Promise.all(search.results.slice(0, LOADED).map(function (hit) { return hit.data(); }));
  var results = rerank(data.map(function (page) {
    var title = (page.meta && page.meta.title) || page.url;
    var content = page.content || "";
    // The text before the title is the kicker (地区·部门·服务指南): no use in an excerpt.
    var at = content.indexOf(title);
    return { url: page.url, title: title, content: at !== -1 ? content.slice(at + title.length) : content };
  }), query);
  results.slice(0, SHOWN).forEach(function (result) { renderResult(list, result, query); });
  status.textContent = results.length
    ? "找到 " + results.length + " 项与“" + query + "”相关的服务指南"
    : "没有找到与“" + query + "”相关的服务指南，请换个关键词试试";
}

async function fillDepartments(pagefind, select, chosen) {
  var filters = await pagefind.filters();
  Object.keys(filters["部门"] || {}).sort().forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    select.appendChild(option);
  });
  select.value = chosen;
}

async function init() {
  var form = document.getElementById("search");
  if (!form) {
    return;
  }
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var input = form.elements.q;
  input.value = query;
  form.elements.audience.value = params.get("audience") || "";
  var headerInput = document.getElementById("header-search-q");
  if (headerInput && query) {
    headerInput.value = query;
  }
  var pagefind;
  try {
    pagefind = await import(form.getAttribute("data-bundle") + "pagefind.js");
    await pagefind.options({ excerptLength: 30 });
    await pagefind.init();
  } catch {
    document.getElementById("search-status").textContent =
      "搜索功能暂时不可用（搜索索引未生成或未能加载）。请通过“个人办事”“法人办事”栏目浏览事项。";
    return;
  }
  await fillDepartments(pagefind, form.elements.department, params.get("department") || "");
  function again() {
    return run(pagefind, form, input.value.trim());
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    again();
  });
  form.elements.department.addEventListener("change", again);
  form.elements.audience.addEventListener("change", again);
  if (query) {
    await again();
  } else {
    input.focus();
  }
}

init();
