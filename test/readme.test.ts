/**
 * Every ```ts block in README.md type-checks and runs as written, as a plain Node module (through tsx)
 * that imports "lstm-lab" the way a user's script would. Same machinery as the doc comments' examples
 * (test/helpers/code-examples.ts).
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkExamples, readmeExamples, runExamples } from "./helpers/code-examples.js";
import type { PreparedExample, RunResult } from "./helpers/code-examples.js";

const blocks = readmeExamples();

describe("README examples", () => {
  let checked: PreparedExample[] = [];
  let ran: RunResult[] = [];
  before(() => {
    checked = checkExamples("readme", blocks);
    ran = runExamples(checked.map((e) => e.file));
  });

  it("has examples to run", () => {
    assert.ok(blocks.length >= 2);
  });
  blocks.forEach((_, i) => {
    it(`example ${i + 1} type-checks under strict`, () => {
      assert.deepEqual(checked[i]?.errors, []);
    });
    it(`example ${i + 1} runs as written`, () => {
      assert.equal(ran[i]?.error, "");
    });
  });
});
