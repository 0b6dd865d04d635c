import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createStudy, floatParam, JournalFileStorage, optimizeParallel, space } from "../../src/tuning/index.js";
import { workerCommand } from "../../src/tuning/optimize-parallel.js";

const fixture = path.join(__dirname, "fixtures", "quadratic-objective.ts");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-journal-"));
const sp = space({ x: floatParam(-3, 3) });

function startWorker(config: object, env: Record<string, string> = {}) {
  const { script, execArgv } = workerCommand();
  return spawn(process.execPath, [...execArgv, script, JSON.stringify(config)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
}

async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("journal file storage", () => {
  it("replays a study from the file in a new storage object", async () => {
    const file = path.join(tmp(), "s.jsonl");
    const a = await createStudy({ storage: file, name: "q", space: sp, sampler: "random", seed: 1 });
    await a.optimize((t) => {
      t.report(0, 5);
      t.setUserAttr("note", "hi");
      return t.params.x ** 2;
    }, { nTrials: 3 });
    const b = await createStudy({ storage: new JournalFileStorage(file), name: "q", space: sp, sampler: "random" });
    assert.deepEqual(b.trials.map((t) => [t.number, t.state, t.value, t.params, t.intermediate, t.userAttrs]), a.trials.map((t) => [t.number, t.state, t.value, t.params, { 0: 5 }, { note: "hi" }]));
    assert.equal(fs.readFileSync(file, "utf8").trim().split("\n").length, 1 + 3 * 4); // study + (create, report, attr, finish) × 3
  });

  it("keeps non-finite reported values and skips a line torn by a crash", async () => {
    const file = path.join(tmp(), "s.jsonl");
    const a = await createStudy({ storage: file, name: "q", space: sp, sampler: "random" });
    await a.optimize((t) => {
      t.report(0, Infinity);
      t.report(1, NaN);
      return 1;
    }, { nTrials: 1 });
    fs.appendFileSync(file, '{"op":"create_trial","study":"q","numb'); // half a line, as after kill -9 mid-write
    const s = new JournalFileStorage(file);
    assert.deepEqual(s.cachedTrials("q")[0]?.intermediate, { 0: Infinity, 1: NaN });
    const b = await createStudy({ storage: s, name: "q", space: sp, sampler: "random" });
    await b.optimize(() => 2, { nTrials: 1 });
    const c = new JournalFileStorage(file);
    assert.deepEqual(c.cachedTrials("q").map((t) => [t.number, t.value]), [[0, 1], [1, 2]]);
    assert.equal(c.skippedLines, 1);
  });

  it("refuses to reopen a study with the other direction", async () => {
    const file = path.join(tmp(), "s.jsonl");
    await createStudy({ storage: file, name: "q", direction: "minimize" });
    await assert.rejects(createStudy({ storage: file, name: "q", direction: "maximize" }), /already exists.*"minimize"/);
  });

  it("survives kill -9 mid-trial: finished trials are kept, the lost one is failed, the study resumes", async () => {
    const file = path.join(tmp(), "s.jsonl");
    const child = startWorker({ storage: file, study: "q", objectiveModule: fixture, sampler: "random", seed: 3, maxTotalTrials: 6 }, { LSTM_LAB_TEST_HANG_AT: "3" });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_c, sig) => r(sig)));
    await waitFor(() => fs.existsSync(file) && new JournalFileStorage(file).cachedTrials("q").length === 4, "the worker to start trial 3");
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    const before = new JournalFileStorage(file).cachedTrials("q");
    assert.deepEqual(before.map((t) => t.state), ["complete", "complete", "complete", "running"]);

    const study = await createStudy({ storage: file, name: "q", space: { x: floatParam(-3, 3) }, sampler: "random", seed: 3 });
    const r = await study.optimize((t) => (t.params.x - 1) ** 2, { maxTotalTrials: 6 });
    assert.equal(r.stopReason, "maxTotalTrials");
    const after = study.trials;
    assert.deepEqual(after.map((t) => t.state), ["complete", "complete", "complete", "fail", "complete", "complete"]);
    assert.match(after[3]?.error ?? "", new RegExp(`pid ${child.pid}\\) ended`));
    // the finished trials are exactly as before, not re-run
    assert.deepEqual(after.slice(0, 3).map((t) => [t.params, t.value, t.end]), before.slice(0, 3).map((t) => [t.params, t.value, t.end]));
    for (const t of after.filter((t) => t.state === "complete")) assert.equal(t.value, (t.params.x - 1) ** 2);
  });

  it("lets two processes share one study without losing or repeating trial numbers", async () => {
    const file = path.join(tmp(), "s.jsonl");
    await createStudy({ storage: file, name: "q" });
    const procs = [1, 2].map((seed) => startWorker({ storage: file, study: "q", objectiveModule: fixture, sampler: "random", seed, nTrials: 25 }));
    const outs = await Promise.all(procs.map((p) => new Promise<string>((resolve) => {
      let out = "";
      p.stdout.on("data", (d: Buffer) => (out += d.toString()));
      p.on("close", () => resolve(out));
    })));
    const summaries = outs.map((o) => JSON.parse(o.trim().split("\n").pop() as string) as { pid: number; trials: number[] });
    const trials = new JournalFileStorage(file).cachedTrials("q");
    assert.equal(trials.length, 50);
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 50 }, (_, i) => i));
    assert.ok(trials.every((t) => t.state === "complete"));
    assert.deepEqual(summaries.flatMap((s) => s.trials).sort((a, b) => a - b), trials.map((t) => t.number));
    for (const s of summaries) assert.equal(trials.filter((t) => t.worker?.pid === s.pid).length, 25);
  });

  it("runs a study with worker processes via optimizeParallel", async () => {
    const file = path.join(tmp(), "s.jsonl");
    const { study, workers } = await optimizeParallel({ storage: file, study: "p", objectiveModule: fixture, nWorkers: 2, maxTotalTrials: 8, sampler: "random" });
    assert.equal(workers.length, 2);
    assert.equal(study.trials.length, 8);
    assert.equal(workers.reduce((a, w) => a + w.trials.length, 0), 8);
    assert.ok(study.bestValue >= 0 && study.bestValue === Math.min(...study.trials.map((t) => ((t.params.x as number) - 1) ** 2)));
  });
});
