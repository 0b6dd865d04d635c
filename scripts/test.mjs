#!/usr/bin/env node
// `npm test`: type check, build, then every test file under test/ with node's test runner
// (unit tests, kernel protocol and conformance tests, notebook execution tests).
// Extra arguments filter test files by substring: `npm test -- data/ kernel`.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ensureNodeModules, ensureTestTools } from "./prereqs.mjs";

const root = new URL("..", import.meta.url).pathname;
// node_modules/.bin/tsc is tslab's bundled TypeScript 5.0; we build with our own 5.9.
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

function run(label, cmd, args, env = process.env) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}

const filters = process.argv.slice(2);
// A fresh clone: install the npm packages (and, as root on Debian, the test tools) first.
ensureNodeModules();
ensureTestTools();
run("type check (tsc --noEmit, strict)", process.execPath, [tsc, "--noEmit", "-p", "tsconfig.json"]);
run("build dist/ (wasm kernels + tsc)", "npm", ["run", "--silent", "build"]);
// kernel/ is plain JavaScript, type-checked from its JSDoc against the dist/ just built.
run("type check kernel/ (checkJs, strict)", process.execPath, [tsc, "--noEmit", "-p", "kernel/tsconfig.json"]);
let files = testFiles(join(root, "test"));
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
run(`tests (${files.length} files)`, process.execPath, [
  "--import", "tsx",
  "--test",
  "--test-reporter=spec",
  "--test-concurrency=1",
  ...files,
]);
