import assert from "node:assert/strict";
import { test } from "node:test";

import { excerpt, highlight, isCjkPhrase, rerank } from "../../templates/static/js/search/rank.js";

test("rerank puts the exact name first, then names containing the query", () => {
  var results = [
    { title: "社会保障卡挂失", content: "" },
    { title: "补领社会保障卡", content: "" },
    { title: "社会保障卡", content: "" },
  ];
  assert.deepEqual(rerank(results, "社会保障卡").map((r) => r.title), ["社会保障卡", "社会保障卡挂失", "补领社会保障卡"]);
});

test("a query of two or more CJK characters drops results that do not contain it", () => {
  var results = [
    { title: "失业保险金申领", content: "领取失业保险金" },
    { title: "住房公积金提取", content: "" },
  ];
  assert.deepEqual(rerank(results, "公积金").map((r) => r.title), ["住房公积金提取"]);
  // Nothing holds the query: pagefind's results are kept rather than none.
  assert.equal(rerank(results, "医保").length, 2);
  assert.equal(isCjkPhrase("金"), false);
  assert.equal(isCjkPhrase("公积金"), true);
});

test("excerpt starts at no punctuation and centres on the query", () => {
  assert.equal(excerpt(". 办理社会保障卡", "", 80), "办理社会保障卡");
  // pagefind's ". " between blocks: dropped after Chinese punctuation, "；" elsewhere.
  assert.equal(excerpt("申请提取公积金。. 受理条件. 缴存职工", "", 80), "申请提取公积金。受理条件；缴存职工");
  var text = "甲".repeat(100) + "。社会保障卡" + "乙".repeat(100);
  var cut = excerpt(text, "社会保障卡", 30);
  assert.ok(cut.startsWith("…"));
  assert.ok(cut.includes("社会保障卡"));
  assert.ok(!/^…[。.，]/.test(cut));
});

test("highlight marks the whole query only, never one character", () => {
  assert.deepEqual(highlight("办理社保卡", "卡"), [{ text: "办理社保卡", mark: false }]);
  assert.deepEqual(highlight("办理社保卡", "社保"), [
    { text: "办理", mark: false },
    { text: "社保", mark: true },
    { text: "卡", mark: false },
  ]);
});
