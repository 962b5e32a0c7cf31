/* Pure helpers of 站内搜索's full text: re-rank pagefind's results by the item name, and cut clean excerpts ourselves. */

var CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;
var LEADING_PUNCTUATION = /^[\s.,;:!?·、，。；：！？…）)\]】」』"'”’-]+/;

/* Two or more CJK characters: pagefind segments them into words and single characters, so 公积金 also
   matches 失业保险金 (金); we keep only the results that hold the query itself. */
export function isCjkPhrase(query) {
  var found = String(query || "").match(CJK);
  return Boolean(found && found.length >= 2);
}

function rankOf(result, query) {
  var title = result.title || "";
  if (title === query) {
    return 0;
  }
  if (title.indexOf(query) !== -1) {
    return 1;
  }
  if ((result.content || "").indexOf(query) !== -1) {
    return 2;
  }
  return 3;
}

/* The result's name or text holds the query itself (not only some of its words or characters). */
export function holdsQuery(result, query) {
  return rankOf(result, String(query || "").trim()) < 3;
}

/* Exact name first, then names containing the query, then guides containing it; pagefind's order within each.
   `strict`: keep only the results holding the query; by default, for a CJK phrase when any result holds it (a page
   that fetches pagefind's results in batches decides once, on the first, and passes its decision). */
export function rerank(results, query, strict) {
  var term = String(query || "").trim();
  var ranked = results.map(function (result, position) {
    return { result: result, rank: rankOf(result, term), position: position };
  });
  var keepHolding = strict === undefined
    ? isCjkPhrase(term) && ranked.some(function (entry) { return entry.rank < 3; })
    : strict;
  if (keepHolding) {
    ranked = ranked.filter(function (entry) { return entry.rank < 3; });
  }
  ranked.sort(function (a, b) {
    return a.rank - b.rank || a.position - b.position;
  });
  return ranked.map(function (entry) { return entry.result; });
}

/* About `length` characters of the content around the first occurrence of the query, without leading punctuation. */
export function excerpt(content, query, length) {
  // pagefind joins the page's blocks with ". ": after Chinese punctuation it goes, elsewhere it becomes "；".
  var text = String(content || "")
    .replace(/\s+/g, " ")
    .replace(/([\u3000-\u303f\uff00-\uffef])\s*\.\s+/g, "$1")
    .replace(/\s*\.\s+/g, "；")
    .trim();
  var size = length || 80;
  var at = query ? text.indexOf(query) : -1;
  var start = at > size / 3 ? at - Math.floor(size / 3) : 0;
  var cut = text.slice(start, start + size).replace(LEADING_PUNCTUATION, "");
  return (start > 0 ? "…" : "") + cut + (start + size < text.length ? "…" : "");
}

/* The excerpt as pieces to render: {text, mark}; only the whole query is marked, and never a single character. */
export function highlight(text, query) {
  var term = String(query || "").trim();
  if (term.length < 2) {
    return [{ text: text, mark: false }];
  }
  var pieces = [];
  var from = 0;
  var at = text.indexOf(term);
  while (at !== -1) {
    if (at > from) {
      pieces.push({ text: text.slice(from, at), mark: false });
    }
    pieces.push({ text: term, mark: true });
    from = at + term.length;
    at = text.indexOf(term, from);
  }
  if (from < text.length) {
    pieces.push({ text: text.slice(from), mark: false });
  }
  return pieces;
}
