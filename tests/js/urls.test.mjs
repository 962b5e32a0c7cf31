import assert from "node:assert/strict";
import { test } from "node:test";
import { webcrypto } from "node:crypto";

import { safeNext, uuid, withNext } from "../../templates/static/js/lib/urls.js";

const ORIGIN = "https://www.lnzwfw.example";

test("safeNext keeps paths on this site only", () => {
  assert.equal(safeNext("/my/applications/?x=1#top", ORIGIN), "/my/applications/?x=1#top");
  for (const bad of ["//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/a\nb", "", null]) {
    assert.equal(safeNext(bad, ORIGIN), null, String(bad));
  }
});

test("withNext adds the return path", () => {
  assert.equal(withNext("/login/", "/apply/?item=1&region=2"), "/login/?next=%2Fapply%2F%3Fitem%3D1%26region%3D2");
});

test("uuid gives a version 4 UUID, with or without randomUUID", () => {
  const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(uuid(webcrypto), pattern);
  assert.match(uuid({ getRandomValues: (bytes) => webcrypto.getRandomValues(bytes) }), pattern);
});
