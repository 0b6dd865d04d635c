/**
 * Every `@example` in src/'s doc comments type-checks (all in one strict TypeScript program), and every
 * self-contained one runs, the way the README's blocks do (test/helpers/code-examples.ts). A fragment
 * states the values it needs with `declare const ...;` lines, and an example that needs a user's files or
 * servers starts with `// not run: <why>`; those are only type-checked.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkExamples, docExamples, runExamples } from "./helpers/code-examples.js";
import type { PreparedExample } from "./helpers/code-examples.js";

const examples = docExamples();

describe("doc comment examples", () => {
  let checked: PreparedExample[] = [];
  const errors = new Map<string, string>();
  before(() => {
    checked = checkExamples("doc", examples);
    const runnable = checked.filter((e) => !e.checkOnly && e.errors.length === 0);
    runExamples(runnable.map((e) => e.file)).forEach((r, i) => errors.set((runnable[i] as PreparedExample).file, r.error));
  });

  it("finds the examples of the doc comments", () => {
    assert.ok(examples.length >= 100, `found only ${examples.length}`);
  });
  examples.forEach((ex, i) => {
    it(`the example at ${ex.where} type-checks under strict and runs unless it is only to be checked`, () => {
      const c = checked[i] as PreparedExample;
      assert.deepEqual(c.errors, [], `${ex.where}:\n${ex.code}`);
      if (!c.checkOnly) assert.equal(errors.get(c.file), "", `${ex.where}:\n${ex.code}`);
    });
  });
});
