import assert from "node:assert/strict";
import { test } from "node:test";

import { chinaTime, correctionText, formatNames, formatPercent, formatTime, humanSize, maskPhone } from "../../templates/static/js/lib/format.js";

test("formatTime keeps the API's China time, to the minute", () => {
  assert.equal(formatTime("2026-11-26T20:16:05+08:00"), "2026-11-26 20:16");
  assert.equal(formatTime(""), "");
  assert.equal(formatTime(null), "");
  assert.equal(formatTime("yesterday"), "yesterday");
});

test("chinaTime turns epoch seconds into China time", () => {
  assert.equal(chinaTime(0), "1970-01-01 08:00");
  assert.equal(chinaTime("2026-01-02T03:04:00+08:00"), "2026-01-02 03:04");
});

test("humanSize writes KB below a megabyte and MB without a needless .0", () => {
  assert.equal(humanSize(10), "1 KB");
  assert.equal(humanSize(2048), "2 KB");
  assert.equal(humanSize(5 * 1048576), "5 MB");
  assert.equal(humanSize(1.5 * 1048576), "1.5 MB");
});

test("formatNames names the formats in upper case", () => {
  assert.equal(formatNames(["pdf", "jpg", "png"]), "PDF、JPG、PNG");
  assert.equal(formatNames(["ofd"]), "OFD");
});

test("maskPhone hides the middle four digits of a number of 11 digits only", () => {
  assert.equal(maskPhone("13812345678"), "138****5678");
  assert.equal(maskPhone("138 1234 5678"), "138****5678");
  assert.equal(maskPhone("5591041"), "5591041");
});

test("correctionText names where the correction is", () => {
  assert.equal(correctionText({ kind: "material", label: "养犬登记表", reason: "未签字" }), "申请材料“养犬登记表”：未签字");
  assert.equal(correctionText({ kind: "field", label: "电话", reason: "" }), "申请表“电话”");
  assert.equal(correctionText({ kind: "", label: "请补充照片", reason: "" }), "请补充照片");
});

test("formatPercent writes a rate of 1 to one decimal, without a needless .0, and nothing to divide by as —", () => {
  assert.equal(formatPercent(0.375), "37.5%");
  assert.equal(formatPercent(1), "100%");
  assert.equal(formatPercent(0), "0%");
  assert.equal(formatPercent(0.6667), "66.7%");
  assert.equal(formatPercent(null), "—");
});
