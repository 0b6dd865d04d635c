#!/usr/bin/env node
// `npm run notebook`: open Jupyter on notebooks/ with the lstm-lab kernel ready. Uses JupyterLab if
// it is installed, else the classic Notebook from Debian. Extra arguments go to Jupyter.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root, PYTHON, ensureNodeModules, build, ensureJupyter, installKernel, fail } from "./prereqs.mjs";

ensureNodeModules();
build();
ensureJupyter();
installKernel();
const hasLab = spawnSync(PYTHON, ["-c", "import jupyterlab"]).status === 0;
const app = hasLab ? "lab" : "notebook";
console.log(`• starting Jupyter ${hasLab ? "Lab" : "Notebook"} in notebooks/ (pick the "LSTM Lab (TypeScript)" kernel)`);
const r = spawnSync(PYTHON, ["-m", "jupyter", app, ...process.argv.slice(2)], { cwd: join(root, "notebooks"), stdio: "inherit" });
if (r.status !== 0 && r.status !== null) fail(`jupyter ${app} exited with ${r.status}.`);
