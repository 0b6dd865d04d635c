// The journal file is Optuna 3.1's JournalFileStorage format, checked against Debian's
// python3-optuna (the reference): Optuna loads the studies we write, we load the studies Optuna
// writes and a sampler continues them, and Optuna and lstm-lab workers write one journal at once.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { categoricalParam, createStudy, floatParam, intParam, JournalFileStorage, loadStudy, space, TrialPruned } from "../../src/tuning/index.js";
import { reviveJson } from "../../src/tuning/storage/json-numbers.js";

const PY = "/usr/bin/python3";
const script = path.join(__dirname, "fixtures", "optuna_journal.py");
const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-optuna-")), "journal.log");

interface PyTrial {
  number: number;
  state: string;
  value: number | null;
  params: Record<string, string | number | boolean>;
  distributions: Record<string, string>;
  intermediate: Record<string, number>;
  user_attrs: Record<string, unknown>;
  fail_reason: string | null;
}

function py(...args: string[]): string {
  const r = spawnSync(PY, [script, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`optuna_journal.py ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}
const dump = (file: string, study: string) => JSON.parse(py("dump", file, study), reviveJson) as { direction: string; trials: PyTrial[] };

const sp = space({
  lr: floatParam(1e-4, 1e-1, { log: true }),
  units: intParam(16, 128, { step: 16 }),
  drop: floatParam(0, 0.5),
  cell: categoricalParam(["lstm", "gru"]),
  bidi: categoricalParam([true, false]),
});

describe("journal files in Optuna's format", () => {
  it("are read by Python Optuna 3.1 with the same params, states, values, intermediate values and user attrs", async () => {
    const file = tmpFile();
    const study = await createStudy({ storage: file, name: "ours", space: sp, sampler: "random", seed: 4 });
    await study.optimize((t) => {
      t.setUserAttr("folds", [0.5, 0.25]);
      t.report(0, t.number + 0.5);
      if (t.number === 1) t.report(1, NaN);
      if (t.number === 2) throw new TrialPruned();
      if (t.number === 3) return NaN;
      return t.params.lr * t.params.units + t.params.drop;
    }, { nTrials: 5 });
    const ours = study.trials;
    const theirs = dump(file, "ours");
    assert.equal(theirs.direction, "minimize");
    assert.deepEqual(theirs.trials.map((t) => t.state), ["complete", "complete", "pruned", "fail", "complete"]);
    assert.deepEqual(theirs.trials.map((t) => t.value), ours.map((t) => t.value));
    assert.deepEqual(theirs.trials.map((t) => t.params), ours.map((t) => t.params));
    assert.deepEqual(theirs.trials.map((t) => t.user_attrs), ours.map(() => ({ folds: [0.5, 0.25] })));
    assert.deepEqual(theirs.trials[1]?.intermediate, { 0: 1.5, 1: NaN });
    assert.deepEqual(theirs.trials[2]?.intermediate, { 0: 2.5 });
    assert.equal(theirs.trials[2]?.value, 2.5);
    assert.equal(theirs.trials[3]?.fail_reason, "The objective returned NaN instead of a number.");
    // the distributions as Optuna's own classes describe them
    assert.deepEqual(JSON.parse(theirs.trials[0]?.distributions.lr as string), { name: "FloatDistribution", attributes: { step: null, low: 0.0001, high: 0.1, log: true } });
    assert.deepEqual(JSON.parse(theirs.trials[0]?.distributions.units as string), { name: "IntDistribution", attributes: { log: false, step: 16, low: 16, high: 128 } });
    assert.deepEqual(JSON.parse(theirs.trials[0]?.distributions.bidi as string), { name: "CategoricalDistribution", attributes: { choices: [true, false] } });
  });

  it("opens a study Optuna created and filled, with the same trials, and a sampler continues it where Optuna reads the new trials", async () => {
    const file = tmpFile();
    py("fill", file, "py");
    const theirs = dump(file, "py");
    const study = await loadStudy({ storage: file, name: "py" });
    assert.equal(study.direction, "maximize");
    const ours = study.trials;
    assert.deepEqual(ours.map((t) => t.state), ["complete", "complete", "complete", "pruned", "fail", "complete"]);
    assert.deepEqual(ours.map((t) => t.state), theirs.trials.map((t) => t.state));
    assert.deepEqual(ours.map((t) => t.value), theirs.trials.map((t) => t.value));
    assert.deepEqual(ours.map((t) => t.params), theirs.trials.map((t) => t.params));
    assert.deepEqual(ours.map((t) => t.userAttrs), theirs.trials.map((t) => t.user_attrs));
    assert.deepEqual(ours.map((t) => t.intermediate), theirs.trials.map((t) => ({ 0: (t.params.units as number) / 128, 1: Infinity })));
    // Optuna 3.1 records no reason for a failed trial (later versions write the fail_reason attr we read)
    assert.equal(ours[4]?.error, null);
    assert.equal(theirs.trials[4]?.fail_reason, null);
    assert.deepEqual(ours[0]?.distributions, { lr: { kind: "float", low: 1e-4, high: 0.1, log: true }, units: { kind: "int", low: 16, high: 128, step: 16 }, cell: { kind: "categorical", choices: ["lstm", "gru"] }, drop: { kind: "float", low: 0, high: 0.5, step: 0.1 } });
    // our GP sampler continues it from the space Optuna's trials show
    const more = await loadStudy({ storage: file, name: "py", sampler: "gp", seed: 2 });
    await more.optimize((t) => t.suggestFloat("lr", 1e-4, 1e-1, { log: true }) * t.suggestInt("units", 16, 128, { step: 16 }) + (t.suggestCategorical("cell", ["lstm", "gru"]) === "gru" ? 1 : 0) + t.suggestFloat("drop", 0, 0.5, { step: 0.1 }), { nTrials: 3 });
    const after = dump(file, "py");
    assert.deepEqual(after.trials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(after.trials.slice(6).map((t) => [t.state, t.value]), more.trials.slice(6).map((t) => ["complete", t.value]));
    for (const t of after.trials.slice(6)) assert.ok([16, 32, 48, 64, 80, 96, 112, 128].includes(t.params.units as number));
  });

  it("lets a Python Optuna worker and an lstm-lab worker write one journal at the same time", async () => {
    const file = tmpFile();
    await createStudy({ storage: file, name: "both" });
    const python = spawn(PY, [script, "work", file, "both", "15", "0.02"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    python.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const pyDone = new Promise<number | null>((r) => python.on("close", r));
    const study = await createStudy({ storage: new JournalFileStorage(file), name: "both", space: { x: floatParam(-3, 3) }, sampler: "random", seed: 9 });
    await study.optimize(async (t) => {
      t.setUserAttr("by", "lstm-lab");
      await new Promise((r) => setTimeout(r, 20));
      return (t.params.x - 1) ** 2;
    }, { nTrials: 15 });
    assert.equal(await pyDone, 0, err);
    const trials = await study.refresh();
    assert.deepEqual(trials.map((t) => t.number), Array.from({ length: 30 }, (_, i) => i));
    assert.ok(trials.every((t) => t.state === "complete" && t.value === ((t.params.x as number) - 1) ** 2));
    assert.equal(trials.filter((t) => t.userAttrs.by === "optuna").length, 15);
    const theirs = dump(file, "both");
    assert.deepEqual(theirs.trials.map((t) => [t.number, t.value]), trials.map((t) => [t.number, t.value]));
  });

  it("still opens a journal in lstm-lab's earlier format, and keeps writing that format", async () => {
    const file = tmpFile();
    const t0 = "2026-01-02T03:04:05.000Z";
    fs.writeFileSync(file, [
      { op: "create_study", study: "old", direction: "minimize", time: t0 },
      { op: "create_trial", study: "old", number: 0, params: { x: 0.5 }, distributions: { x: { kind: "float", low: 0, high: 1 } }, time: t0, worker: { pid: 1, host: "h" } },
      { op: "report", study: "old", number: 0, step: 0, value: { $num: "Infinity" } },
      { op: "finish", study: "old", number: 0, state: "complete", value: 0.25, error: null, time: t0 },
    ].map((o) => JSON.stringify(o)).join("\n") + "\n");
    const s = new JournalFileStorage(file);
    assert.equal(s.format, "lstm-lab-v1");
    const study = await loadStudy({ storage: s, name: "old", space: { x: floatParam(0, 1) }, sampler: "random" });
    assert.deepEqual(study.trials.map((t) => [t.number, t.value, t.intermediate]), [[0, 0.25, { 0: Infinity }]]);
    await study.optimize((t) => t.params.x, { nTrials: 1 });
    const last = JSON.parse(fs.readFileSync(file, "utf8").trim().split("\n").pop() as string) as { op: string };
    assert.equal(last.op, "finish");
    assert.equal(new JournalFileStorage(file).cachedTrials("old").length, 2);
  });
});
