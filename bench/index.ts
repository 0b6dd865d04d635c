/**
 * `npm run bench`: every area's benchmark, one after another in its own process, each printing its
 * figures as ratios against a baseline run side by side. `npm run bench -- models tuning` runs some.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ALL = ["data", "models", "training", "tuning", "plots", "wasm", "kernel"];
const wanted = process.argv.slice(2);
const chosen = wanted.length ? ALL.filter((b) => wanted.some((w) => b.includes(w))) : ALL;
let failed = 0;
for (const name of chosen) {
  console.log(`\n=== bench/${name}.ts ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, `${name}.ts`)], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${name}.ts exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
