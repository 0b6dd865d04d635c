/**
 * Every ```ts block in README.md runs as written, as a plain Node script (through tsx) that imports
 * "lstm-lab" the way a user's script would.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

describe("README examples", () => {
  it("has examples to run", () => {
    assert.ok(blocks.length >= 2);
  });
  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs as written`, () => {
      // Top-level await needs an ES module; the file sits in the repo so "lstm-lab" resolves to it.
      const file = join(ROOT, `.readme-example-${i + 1}.mts`);
      writeFileSync(file, code);
      try {
        const r = spawnSync(process.execPath, ["--import", "tsx", file], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
        assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      } finally {
        rmSync(file, { force: true });
      }
    });
  });
});
