/* 站内搜索, ?q= in the URL. A query is first answered from this region's names index (data-names, one small file per
   query: search/names.js); pagefind's full text (this region's own index, data-bundle, ~180 KB with its runtime) is
   loaded only when no name holds the query, or when the visitor asks for it. */
import { bucketOf, bucketUrl, lookupPair, nameMatches } from "../search/names.js";
import { excerpt, highlight, holdsQuery, isCjkPhrase, rerank } from "../search/rank.js";

var PAGE = 20; // results shown at a time
var BATCH = 20; // pagefind results whose text is fetched at a time

var form = document.getElementById("search");
var statusLine = document.getElementById("search-status");
var list = document.getElementById("search-results");
var moreButton = document.getElementById("search-more");
var fullTextButton = document.getElementById("search-full-text");

var namesIndex = null; // the region's names/index.json once loaded: {buckets, guides, departments}
var buckets = new Map(); // bucket URL -> Promise of its guides
var pagefindLoad = null;
var view = null; // the search on screen

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

function marked(parent, text, query) {
  highlight(text, query).forEach(function (piece) {
    var node = piece.mark ? document.createElement("mark") : document.createTextNode(piece.text);
    if (piece.mark) {
      node.textContent = piece.text;
    }
    parent.appendChild(node);
  });
}

function resultItem(result, query) {
  var item = document.createElement("li");
  item.className = "search-result";
  var heading = document.createElement("h2");
  heading.className = "search-result-title";
  var link = document.createElement("a");
  link.href = result.url;
  marked(link, result.title, query);
  heading.appendChild(link);
  item.appendChild(heading);
  return item;
}

function renderName(result, query) {
  var item = resultItem(result, query);
  var facts = document.createElement("p");
  facts.className = "search-result-facts";
  facts.textContent = [
    result.department,
    "服务对象：" + result.audiences.join("、"),
    result.online ? "支持网上申报" : "窗口办理",
  ].join(" · ");
  item.appendChild(facts);
  list.appendChild(item);
}

function renderFullText(result, query) {
  var item = resultItem(result, query);
  var text = document.createElement("p");
  text.className = "search-result-excerpt";
  marked(text, excerpt(result.content, query, 80), query);
  item.appendChild(text);
  list.appendChild(item);
}

/* The guides whose names hold the query, or null when the names index cannot answer it (no two-character word,
   or the index did not load): then pagefind's full text does. */
async function nameResults(query, department, audience) {
  var pair = lookupPair(query);
  if (!namesIndex || !pair) {
    return null;
  }
  var url = bucketUrl(form.getAttribute("data-names"), namesIndex.buckets, bucketOf(pair, namesIndex.buckets));
  if (!buckets.has(url)) {
    buckets.set(url, fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    }).then(function (bucket) { return bucket.guides; }));
  }
  try {
    return nameMatches(await buckets.get(url), query, department, audience);
  } catch {
    buckets.delete(url);
    return null;
  }
}

function loadPagefind() {
  if (!pagefindLoad) {
    pagefindLoad = import(form.getAttribute("data-bundle") + "pagefind.js").then(async function (pagefind) {
      // The index lives under /<region>/pagefind/ but was built over the whole site: its URLs start at the root.
      await pagefind.options({ baseUrl: "/", excerptLength: 30 });
      await pagefind.init();
      return pagefind;
    }).catch(function () {
      pagefindLoad = null;
      return null;
    });
  }
  return pagefindLoad;
}

function describe(current) {
  var quoted = "“" + current.query + "”";
  var names = current.names || [];
  var parts = [];
  if (names.length) {
    parts.push("找到 " + names.length + " 项名称含" + quoted + "的服务指南");
  }
  if (current.fullText) {
    var found = current.fullText.listed;
    var more = current.fullText.next < current.fullText.hits.length;
    if (names.length) {
      parts.push(found ? "全文搜索另列出 " + found + " 项" + (more ? "，可显示更多" : "") : "全文中没有其他相关的服务指南");
    } else if (found) {
      parts.push((more ? "全文搜索已列出 " : "找到 ") + found + " 项与" + quoted + "相关的服务指南" + (more ? "，可显示更多" : ""));
    } else if (more) {
      parts.push("全文搜索的前 " + current.fullText.next + " 项结果都不含" + quoted + "，可显示更多");
    } else {
      parts.push("没有找到与" + quoted + "相关的服务指南，请换个关键词试试");
    }
  }
  if (current.unavailable) {
    parts.push("全文搜索暂时不可用（搜索索引未生成或未能加载）。请通过“个人办事”“法人办事”栏目浏览事项");
  }
  return parts.join("；");
}

function showControls(current) {
  var namesLeft = current.names ? current.names.length - current.shownNames : 0;
  var fullTextLeft = current.fullText && current.fullText.next < current.fullText.hits.length;
  moreButton.hidden = !(namesLeft > 0 || fullTextLeft);
  moreButton.textContent = namesLeft > 0 ? "显示更多（还有 " + namesLeft + " 项名称匹配）" : "显示更多全文结果";
  fullTextButton.hidden = Boolean(current.fullText || current.unavailable) || namesLeft > 0;
  fullTextButton.textContent = "在服务指南全文中搜索“" + current.query + "”";
  statusLine.textContent = describe(current);
}

function showNames(current) {
  current.names.slice(current.shownNames, current.shownNames + PAGE).forEach(function (result) {
    renderName(result, current.query);
  });
  current.shownNames = Math.min(current.names.length, current.shownNames + PAGE);
}

function pageOf(data) {
  var title = (data.meta && data.meta.title) || data.url;
  var content = data.content || "";
  // The text before the title is the kicker (地区·部门·服务指南): no use in an excerpt.
  var at = content.indexOf(title);
  return { url: data.url, title: title, content: at !== -1 ? content.slice(at + title.length) : content };
}

/* The next batch of pagefind's results, less the guides the names index listed already. */
async function showFullText(current) {
  var full = current.fullText;
  var batch = full.hits.slice(full.next, full.next + BATCH);
  full.next += batch.length;
  var pages = (await Promise.all(batch.map(function (hit) { return hit.data(); }))).map(pageOf);
  if (full.strict === undefined) {
    // Decided once, on the first batch: a CJK phrase some page holds keeps only the pages holding it.
    full.strict = isCjkPhrase(current.query) && pages.some(function (page) { return holdsQuery(page, current.query); });
  }
  var fresh = pages.filter(function (page) { return !current.listed.has(page.url); });
  rerank(fresh, current.query, full.strict).forEach(function (page) {
    renderFullText(page, current.query);
    full.listed += 1;
  });
}

async function startFullText(current) {
  statusLine.textContent = "正在搜索全文…";
  fullTextButton.hidden = true;
  var pagefind = await loadPagefind();
  if (view !== current) {
    return;
  }
  if (!pagefind) {
    current.unavailable = true;
    return;
  }
  var filters = {};
  if (current.department) {
    filters["部门"] = current.department;
  }
  if (current.audience) {
    filters["服务对象"] = current.audience;
  }
  var search = await pagefind.search(current.query, { filters: filters });
  current.fullText = { hits: search.results, next: 0, listed: 0, strict: undefined };
  await showFullText(current);
}

async function busy(work) {
  list.setAttribute("aria-busy", "true");
  try {
    await work();
  } finally {
    list.removeAttribute("aria-busy");
  }
}

async function run(query) {
  var department = form.elements.department.value;
  var audience = form.elements.audience.value;
  setQueryInUrl(query, department, audience);
  var current = { query: query, department: department, audience: audience, shownNames: 0, fullText: null };
  view = current;
  list.textContent = "";
  moreButton.hidden = fullTextButton.hidden = true;
  if (!query) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "正在搜索…";
  await busy(async function () {
    current.names = await nameResults(query, department, audience);
    if (view !== current) {
      return;
    }
    current.listed = new Set((current.names || []).map(function (result) { return result.url; }));
    if (current.names && current.names.length) {
      showNames(current);
    } else {
      await startFullText(current);
    }
    if (view === current) {
      showControls(current);
    }
  });
}

async function more(current) {
  await busy(async function () {
    if (current.names && current.shownNames < current.names.length) {
      showNames(current);
    } else if (current.fullText) {
      await showFullText(current);
    }
    if (view === current) {
      showControls(current);
    }
  });
}

async function fullTextOnRequest(current) {
  await busy(async function () {
    await startFullText(current);
    if (view === current) {
      showControls(current);
    }
  });
}

function fillDepartments(names, chosen) {
  var select = form.elements.department;
  names.forEach(function (name) {
    var option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    select.appendChild(option);
  });
  select.value = chosen;
}

async function departments() {
  if (namesIndex) {
    return namesIndex.departments;
  }
  var pagefind = await loadPagefind();
  return pagefind ? Object.keys((await pagefind.filters())["部门"] || {}).sort() : [];
}

async function init() {
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
  try {
    var response = await fetch(form.getAttribute("data-names") + "index.json");
    namesIndex = response.ok ? await response.json() : null;
  } catch {
    namesIndex = null; // pagefind's full text answers every query then
  }
  fillDepartments(await departments(), params.get("department") || "");
  function again() {
    return run(input.value.trim());
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    again();
  });
  form.elements.department.addEventListener("change", again);
  form.elements.audience.addEventListener("change", again);
  moreButton.addEventListener("click", function () { more(view); });
  fullTextButton.addEventListener("click", function () { fullTextOnRequest(view); });
  if (query) {
    await again();
  } else {
    input.focus();
  }
}

init();
