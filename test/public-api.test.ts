/**
 * House rules that hold for the whole package: no `any` in the public declarations, no
 * Math.random() in src/, and the public surface loads in plain Node.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "..");

function files(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

describe("public API", () => {
  it("declares no `any` anywhere in the built declarations", () => {
    const dts = join(ROOT, "dist", "src");
    assert.ok(existsSync(dts), "dist/src is missing: npm test builds it first");
    const found: string[] = [];
    for (const f of files(dts, ".d.ts")) {
      const sf = ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        if (n.kind === ts.SyntaxKind.AnyKeyword) {
          const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
          found.push(`${relative(ROOT, f)}:${line + 1}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    assert.deepEqual(found, []);
  });

  it("never calls Math.random() in src/ (every draw goes through a seeded Rng)", () => {
    const calls = files(join(ROOT, "src"), ".ts").filter((f) => /Math\.random\s*\(/.test(readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")));
    assert.deepEqual(calls.map((f) => relative(ROOT, f)), []);
  });

  it("loads in a plain Node script and exposes the stages of the workflow", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lab = require(join(ROOT, "dist", "src", "index.js")) as Record<string, unknown>;
    for (const name of ["ready", "dataset", "fitScaler", "makeWindows", "buildModel", "train", "evaluate", "createStudy", "show", "display", "tf"]) {
      assert.ok(name in lab, `missing export ${name}`);
    }
  });
});
