import assert from "node:assert/strict";
import { test } from "node:test";

import {
  bucketOf,
  bucketUrl,
  lookupPair,
  nameMatches,
  normalise,
  terms,
} from "../../templates/static/js/search/names.js";

var HRSS = "鞍山市人力资源和社会保障局";
var POLICE = "鞍山市公安局";

function guide(name, department, audiences, online) {
  return [name, "/anshan/guide/" + encodeURIComponent(name) + "/", department || HRSS, audiences || ["自然人"], online ? 1 : 0];
}

test("normalise folds full-width forms and case and drops spaces, as the build does", () => {
  assert.equal(normalise("公共场所 卫生许可（新办）"), "公共场所卫生许可(新办)");
  assert.equal(normalise("ＩＣ卡　补办"), "ic卡补办");
  assert.equal(normalise(undefined), "");
});

test("terms are the query's words, normalised", () => {
  assert.deepEqual(terms("  社保卡　补领 "), ["社保卡", "补领"]);
  assert.deepEqual(terms(""), []);
});

test("the lookup pair is the first pair of the longest word; single characters have none", () => {
  assert.equal(lookupPair("社会保障卡"), "社会");
  assert.equal(lookupPair("卡 社会保障"), "社会");
  assert.equal(lookupPair("公共场所 卫生许可（新办）"), "卫生");
  assert.equal(lookupPair("税"), null);
  assert.equal(lookupPair("税 费"), null);
  assert.equal(lookupPair("   "), null);
  // A character outside the BMP counts once, as a code point.
  assert.equal(lookupPair("𠀀办理"), "𠀀办");
});

test("a bucket is FNV-1a over code points modulo the count, in hex under the index's folder", () => {
  // FNV-1a 32 of "a" is 0xe40c292c (the published test vector).
  assert.equal(bucketOf("a", 2 ** 31), 0xe40c292c % 2 ** 31);
  assert.equal(bucketOf("社会", 1), 0);
  var bucket = bucketOf("社会", 64);
  assert.ok(bucket >= 0 && bucket < 64);
  assert.equal(bucketUrl("/anshan/names/", 64, 26), "/anshan/names/64/1a.json");
});

test("names rank exact, then starting with the query, then containing it, then holding its words apart", () => {
  var guides = [
    guide("补领社会保障卡"),
    guide("社会保障卡挂失"),
    guide("社会保障卡申领"),
    guide("社会保障卡"),
    guide("社会保障卡信息变更及卡片补换"),
    guide("社会保险登记"),
  ];
  var titles = nameMatches(guides, "社会保障卡", "", "").map((r) => r.title);
  // 社会保险登记 does not hold the query; ties in rank go shorter first, then catalogue order.
  assert.deepEqual(titles, ["社会保障卡", "社会保障卡挂失", "社会保障卡申领", "社会保障卡信息变更及卡片补换", "补领社会保障卡"]);
  var apart = nameMatches(guides, "社会 补换", "", "").map((r) => r.title);
  assert.deepEqual(apart, ["社会保障卡信息变更及卡片补换"]);
});

test("a match carries what the result shows and honours the department and audience filters", () => {
  var guides = [
    guide("出生登记", POLICE, ["自然人"], true),
    guide("出生医学证明补发", "鞍山市卫生健康委员会", ["自然人"], false),
    guide("出生登记（法人代办）", POLICE, ["法人"], false),
  ];
  assert.deepEqual(nameMatches(guides, "出生", "", "")[0], {
    title: "出生登记",
    url: "/anshan/guide/" + encodeURIComponent("出生登记") + "/",
    department: POLICE,
    audiences: ["自然人"],
    online: true,
  });
  assert.deepEqual(nameMatches(guides, "出生", POLICE, "").map((r) => r.title), ["出生登记", "出生登记（法人代办）"]);
  assert.deepEqual(nameMatches(guides, "出生", "", "法人").map((r) => r.title), ["出生登记（法人代办）"]);
  // Full-width and half-width brackets match each other.
  assert.deepEqual(nameMatches(guides, "登记(法人", "", "").map((r) => r.title), ["出生登记（法人代办）"]);
  assert.deepEqual(nameMatches(guides, "   ", "", ""), []);
});
