import assert from "node:assert/strict";
import { test } from "node:test";

import { inRegion, parseRegions, regionOfPath } from "../../templates/static/js/lib/regions.js";

test("region codes and folders are read from the meta's content", () => {
  assert.deepEqual(parseRegions("210300:anshan 210100:shenyang"), { 210300: "anshan", 210100: "shenyang" });
  assert.deepEqual(parseRegions(""), {});
  assert.deepEqual(parseRegions("broken 210200:dalian"), { 210200: "dalian" });
});

test("a page moves to the same place in another region's folder", () => {
  assert.equal(inRegion("/anshan/my/application/", "anshan", "shenyang"), "/shenyang/my/application/");
  assert.equal(inRegion("/anshan/apply/", "anshan", "anshan"), "/anshan/apply/");
  assert.equal(inRegion("/my/application/", "anshan", "shenyang"), null); // not in the region's folder
  assert.equal(inRegion("/anshan-x/apply/", "anshan", "dalian"), null);
});

test("a missing page's region is its URL's first folder when that is a region's", () => {
  var known = ["anshan", "shenyang"];
  assert.equal(regionOfPath("/shenyang/guide/nothing/", known), "shenyang");
  assert.equal(regionOfPath("/shenyang", known), "shenyang");
  assert.equal(regionOfPath("/static/x.js", known), null);
  assert.equal(regionOfPath("/", known), null);
  assert.equal(regionOfPath("/null", known), null);
});
