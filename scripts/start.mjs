#!/usr/bin/env node
// `npm start`: make sure everything is installed, register the kernel, then execute every tutorial
// notebook in notebooks/ with the lstm-lab kernel and write executed .ipynb and .html copies to out/.
// Exits non-zero if any cell errored. `npm start -- 02` runs only notebooks whose name contains "02".
import { readdirSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { root, PYTHON, run, fail, ensureNodeModules, build, ensureJupyter, installKernel } from "./prereqs.mjs";

const filters = process.argv.slice(2);
ensureNodeModules();
build();
ensureJupyter();
installKernel();

const dir = join(root, "notebooks");
let notebooks = readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();
if (filters.length) notebooks = notebooks.filter((f) => filters.some((s) => f.includes(s)));
if (notebooks.length === 0) fail(`no notebooks in notebooks/ match ${JSON.stringify(filters)}.`);

const out = join(root, "out");
mkdirSync(out, { recursive: true });
console.log(`• executing ${notebooks.length} notebook(s) into out/\n`);
const ok = run(PYTHON, [join(root, "scripts", "run_notebooks.py"), "--out", out, "--json", join(out, "summary.json"), ...notebooks.map((n) => join(dir, n))], {
  env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1", PYTHONWARNINGS: "ignore" },
});
if (!ok) fail("some notebooks had errors (see the summary above and out/*.html).");
console.log(`\n✓ all notebooks ran; executed copies are in ${out}`);
