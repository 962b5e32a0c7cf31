/* The names index of 站内搜索 (sitegen/names_index.py): the bucket that holds a query, and the guides whose names
   contain it, best first. Pure, tested by tests/js/search-names.test.mjs; the bucket function is checked against
   the build's by tests/build/test_names_index.py. */

var FNV_OFFSET = 0x811c9dc5;
var FNV_PRIME = 0x01000193;

/* What matching compares, as the build does: NFKC (full-width brackets and letters to plain ones), lower case,
   no spaces. */
export function normalise(text) {
  return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}

/* The query's words, normalised: a name must contain each of them. */
export function terms(query) {
  return String(query || "").normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean);
}

/* The character pair whose bucket holds every name containing the query: the first pair of its longest word;
   null when no word has two characters (pagefind's full text answers those). */
export function lookupPair(query) {
  var longest = terms(query).map(function (word) { return Array.from(word); }).sort(function (a, b) {
    return b.length - a.length;
  })[0];
  return longest && longest.length >= 2 ? longest[0] + longest[1] : null;
}

/* FNV-1a (32 bit) over the pair's code points, modulo count: sitegen.names_index.bucket_of. */
export function bucketOf(pair, count) {
  var value = FNV_OFFSET;
  Array.from(pair).forEach(function (char) {
    value = Math.imul(value ^ char.codePointAt(0), FNV_PRIME) >>> 0;
  });
  return value % count;
}

/* The URL of the bucket file, under the index's folder (…/names/): <count>/<bucket in hex>.json. */
export function bucketUrl(base, count, bucket) {
  return base + count + "/" + bucket.toString(16) + ".json";
}

function rankOf(name, whole) {
  if (name === whole) {
    return 0;
  }
  var at = name.indexOf(whole);
  return at === 0 ? 1 : at > 0 ? 2 : 3;
}

/* The guides of a bucket ([name, url, department, [服务对象…], online]) whose names hold every word of the query and
   that pass the filters: the exact name first, then names starting with the query, then containing it, then
   holding its words apart; shorter names first within each, then the catalogue's order. */
export function nameMatches(guides, query, department, audience) {
  var words = terms(query);
  var whole = normalise(query);
  if (!words.length) {
    return [];
  }
  return guides
    .map(function (guide, position) {
      return { guide: guide, name: normalise(guide[0]), position: position };
    })
    .filter(function (entry) {
      return words.every(function (word) { return entry.name.indexOf(word) !== -1; }) &&
        (!department || entry.guide[2] === department) &&
        (!audience || entry.guide[3].indexOf(audience) !== -1);
    })
    .map(function (entry) {
      entry.rank = rankOf(entry.name, whole);
      return entry;
    })
    .sort(function (a, b) {
      return a.rank - b.rank || a.name.length - b.name.length || a.position - b.position;
    })
    .map(function (entry) {
      var guide = entry.guide;
      return { title: guide[0], url: guide[1], department: guide[2], audiences: guide[3], online: Boolean(guide[4]) };
    });
}
