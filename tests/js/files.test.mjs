import assert from "node:assert/strict";
import { test } from "node:test";

import { acceptList, fileProblem, formatOf } from "../../templates/static/js/lib/files.js";

const PDF_OR_JPG = { pdf: "application/pdf", jpg: "image/jpeg" };
const material = { formats: ["pdf", "jpg"], content_types: PDF_OR_JPG, max_size: 10 * 1048576 };

test("a file's format is found by its type, else by its extension", () => {
  assert.equal(formatOf({ name: "a.bin", type: "application/pdf" }, PDF_OR_JPG), "pdf");
  assert.equal(formatOf({ name: "scan.JPG", type: "" }, PDF_OR_JPG), "jpg");
  assert.equal(formatOf({ name: "photo.png", type: "image/png" }, PDF_OR_JPG), null);
  assert.equal(formatOf({ name: "x.pdf", type: "text/plain" }, PDF_OR_JPG), null);
  assert.equal(formatOf({ name: "noextension", type: "" }, PDF_OR_JPG), null);
});

test("fileProblem says what is wrong: the format, an empty file, the size", () => {
  assert.equal(fileProblem(material, { name: "a.pdf", type: "application/pdf", size: 100 }), null);
  assert.match(fileProblem(material, { name: "a.png", type: "image/png", size: 100 }), /不是 PDF、JPG 文件/);
  assert.match(fileProblem(material, { name: "a.pdf", type: "application/pdf", size: 0 }), /空文件/);
  assert.match(fileProblem(material, { name: "a.pdf", type: "application/pdf", size: 11 * 1048576 }), /超过 10 MB/);
});

test("the chooser accepts the formats' extensions and types", () => {
  assert.equal(acceptList(PDF_OR_JPG), ".pdf,application/pdf,.jpg,image/jpeg");
});
