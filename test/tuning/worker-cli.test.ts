// `npx lstm-lab tune worker` as a user runs it: the installed command (bin/lstm-lab.js, running the
// built dist/), on a journal file, with an objective module; one line per trial, a summary line.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { JournalFileStorage } from "../../src/tuning/index.js";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "lstm-lab.js");

function lstmLab(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
}

describe("lstm-lab tune worker", () => {
  it("runs trials until the study holds --trials, printing one line per trial and a summary", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-cli-"));
    fs.writeFileSync(path.join(dir, "objective.mjs"), 'export const space = { x: { kind: "int", low: 0, high: 4 } };\nexport function objective(trial) { return (trial.params.x - 2) ** 2; }\n');
    const first = lstmLab(["tune", "worker", "--storage", "study.log", "--study", "s", "--objective", "./objective.mjs", "--trials", "3", "--sampler", "grid"], dir);
    assert.equal(first.status, 0, first.stderr);
    const lines = first.stdout.trim().split("\n");
    assert.equal(lines.length, 4);
    assert.match(lines[0] as string, /^trial 0 complete value \d+ x=\d \(\d+\.\d s\)$/);
    assert.match(lines[3] as string, /^worker \d+ ran 3 trials \(0, 1, 2\); stopped: maxTotalTrials$/);
    // a second worker joins the same study and stops at the new total
    const second = lstmLab(["tune", "worker", "--storage", "study.log", "--study", "s", "--objective", "./objective.mjs", "--trials", "5", "--sampler", "grid"], dir);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout.trim().split("\n").pop() as string, /ran 2 trials \(3, 4\)/);
    const trials = new JournalFileStorage(path.join(dir, "study.log")).cachedTrials("s");
    assert.deepEqual(trials.map((t) => t.params.x).sort(), [0, 1, 2, 3, 4]); // the grid, each point once
    assert.deepEqual(trials.map((t) => t.value), trials.map((t) => ((t.params.x as number) - 2) ** 2));
  });

  it("names a bad option, a missing budget and a missing objective module, and lists itself in --help", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-cli-"));
    const bad = lstmLab(["tune", "worker", "--storage", "s.log", "--study", "s", "--objective", "o.mjs", "--trials", "-1"], dir);
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr.trim(), 'lstm-lab: Option --trials must be a non-negative integer, got "-1".');
    const missing = lstmLab(["tune", "worker", "--storage", "postgresql://me:secret@127.0.0.1:1/db", "--study", "s", "--objective", "nothere.mjs", "--trials", "3"], dir);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /`objective` module .*nothere\.mjs does not exist/);
    assert.ok(!missing.stderr.includes("secret"));
    const help = lstmLab(["--help"], dir);
    assert.match(help.stdout, /lstm-lab tune worker --storage URL\|FILE --study NAME --objective MODULE/);
  });
});
