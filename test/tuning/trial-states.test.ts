/**
 * A trial's state says what happened (Optuna's defaults): an error fails the trial and is
 * re-thrown unless listed in `catch`; NaN and diverged training fail it and the study goes on; a
 * kernel interrupt fails the running trial whatever the objective returns, and optimize stops.
 * The interrupt is driven the way the kernel drives it (kernel/jupyter.js, kernel/kernel.js): a
 * host on the global symbol whose interruptSignal is the running cell's, aborted on interrupt.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError, LabError, NumericError } from "../../src/errors.js";
import { installKernelHost } from "../../src/host.js";
import type { KernelHost } from "../../src/host.js";
import { train } from "../../src/training/train.js";
import type { History } from "../../src/training/history.js";
import { createStudy, floatParam, JournalFileStorage, optimizeParallel, space } from "../../src/tuning/index.js";
import { regressionData, tinyMlp } from "../training/helpers.js";

/** A kernel host as the lstm-lab kernel installs it: the signal belongs to the running cell. */
function kernelCell(): { host: KernelHost; interrupt: () => void } {
  const controller = new AbortController();
  const host: KernelHost = {
    display() {},
    get interruptSignal() {
      return controller.signal;
    },
    sessionFlags: new Set(),
  };
  return { host, interrupt: () => controller.abort() };
}

async function inCell<T>(fn: (interrupt: () => void) => Promise<T>): Promise<T> {
  const cell = kernelCell();
  const restore = installKernelHost(cell.host);
  try {
    return await fn(cell.interrupt);
  } finally {
    restore();
  }
}

const xs = space({ x: floatParam(-4, 4) });
const fixture = path.join(__dirname, "fixtures", "quadratic-objective.ts");

describe("trial states", () => {
  before(async () => {
    await ready();
  });

  it("fails the trial whose objective throws, records the error, and re-throws it from optimize", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    const thrown = new RangeError("exploded");
    let calls = 0;
    await assert.rejects(
      study.optimize(() => {
        calls++;
        if (calls === 2) throw thrown;
        return calls;
      }, { nTrials: 5 }),
      (e) => e === thrown,
    );
    assert.deepEqual(study.trials.map((t) => [t.state, t.value, t.error]), [["complete", 1, null], ["fail", null, "RangeError: exploded"]]);
    assert.equal(study.bestValue, 1);
    // the study is kept: a later call goes on from trial 2
    const r = await study.optimize(() => 0.5, { nTrials: 1 });
    assert.deepEqual(r.trialNumbers, [2]);
    assert.equal(study.bestValue, 0.5);
  });

  it("only fails the trial and goes on for errors listed in catch, by class (subclasses too) or by name", async () => {
    class DataGap extends RangeError {}
    const study = await createStudy({ space: xs, sampler: "random" });
    const errors = [new RangeError("a"), new DataGap("b"), new SyntaxError("c"), null, new TypeError("d")];
    let k = 0;
    await assert.rejects(
      study.optimize(() => {
        const e = errors[k++];
        if (e) throw e;
        return 7;
      }, { nTrials: 10, catch: [RangeError, "SyntaxError"] }),
      (e) => e instanceof TypeError && e.message === "d",
    );
    assert.deepEqual(study.trials.map((t) => t.state), ["fail", "fail", "fail", "complete", "fail"]);
    assert.deepEqual(study.trials.map((t) => t.error), ["RangeError: a", "RangeError: b", "SyntaxError: c", null, "TypeError: d"]);
  });

  it("fails the trial and goes on when the objective returns NaN or no number, or its training diverges", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    const outcomes: (() => unknown)[] = [() => NaN, () => "0.3", () => { throw new NumericError("Training stopped: loss became NaN at epoch 4"); }, () => 2];
    let k = 0;
    const r = await study.optimize(() => (outcomes[k++] as () => number)(), { nTrials: 4 });
    assert.equal(r.stopReason, "nTrials");
    assert.deepEqual(study.trials.map((t) => t.state), ["fail", "fail", "fail", "complete"]);
    assert.match(study.trials[0]?.error ?? "", /returned NaN instead of a number/);
    assert.match(study.trials[1]?.error ?? "", /returned "0\.3" instead of a number/);
    assert.equal(study.trials[2]?.error, "NumericError: Training stopped: loss became NaN at epoch 4");
    assert.equal(study.bestTrial.number, 3);
  });

  it("rejects a catch list that is not error classes or names, naming the entry", async () => {
    const study = await createStudy({ space: xs });
    await assert.rejects(study.optimize(() => 1, { nTrials: 1, catch: [RangeError, 3 as unknown as string] }), (e: Error) => e instanceof ConfigError && /`catch\[1\]`.*got 3/.test(e.message));
  });

  it("stores the trial running when the kernel interrupt arrives as failed, whatever it returns, and never as best", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    const values = [5, 4, -100]; // the interrupted trial's value would have been the best
    const r = await inCell(async (interrupt) =>
      study.optimize(async (t) => {
        if (t.number === 2) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          interrupt();
        }
        return values[t.number] as number;
      }, { nTrials: 10 }),
    );
    assert.equal(r.stopReason, "interrupted");
    assert.deepEqual(r.trialNumbers, [0, 1, 2]);
    assert.match(r.message, /^Interrupted while trial 2 was running: it is stored as failed/);
    assert.deepEqual(study.trials.map((t) => [t.state, t.value]), [["complete", 5], ["complete", 4], ["fail", null]]);
    assert.equal(study.trials[2]?.error, "Interrupted while running (the kernel was interrupted); the objective's result (-100) is not used, since its training may have been cut short.");
    assert.equal(study.bestTrial.number, 1);
    assert.equal(study.bestValue, 4);
    // the next cell has a fresh signal, and the study goes on
    const next = await inCell(async () => study.optimize(() => 3, { nTrials: 1 }));
    assert.deepEqual(next.trialNumbers, [3]);
    assert.equal(study.bestValue, 3);
  });

  it("fails a trial whose training the interrupt cut short, although train() returned a History", async () => {
    const study = await createStudy({ space: space({ lr: floatParam(0.01, 0.05) }), sampler: "random", seed: 4 });
    const histories: History[] = [];
    const { x, y } = regressionData(32);
    try {
      const r = await inCell(async (interrupt) =>
        study.optimize(async (trial) => {
          const interrupter = { onEpochEnd: (_c: unknown, epoch: number) => { if (trial.number === 1 && epoch === 8) interrupt(); } };
          const model = tinyMlp(3);
          try {
            const h = await train(model, { x, y }, { epochs: 50, batchSize: 8, seed: 1, learningRate: trial.params.lr, validationSplit: 0.25, callbacks: [interrupter], progress: "silent" });
            histories.push(h);
            return Math.min(...(h.metrics.val_loss as number[]));
          } finally {
            model.dispose();
          }
        }, { nTrials: 3 }),
      );
      assert.equal(r.stopReason, "interrupted");
    } finally {
      tf.dispose([x, y]);
    }
    assert.deepEqual(histories.map((h) => [h.epoch.length, h.interrupted]), [[50, false], [9, true]]);
    assert.deepEqual(study.trials.map((t) => t.state), ["complete", "fail"]);
    assert.match(study.trials[1]?.error ?? "", /^Interrupted while running \(the kernel was interrupted\)/);
    assert.equal(study.bestTrial.number, 0);
  });

  it("starts no trial in a cell interrupted before optimize began", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    const r = await inCell(async (interrupt) => {
      interrupt();
      return study.optimize(() => 1, { nTrials: 3 });
    });
    assert.equal(r.stopReason, "interrupted");
    assert.equal(study.trials.length, 0);
  });

  it("treats an aborted signal option like the kernel interrupt", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    const controller = new AbortController();
    const r = await study.optimize((t) => {
      if (t.number === 1) controller.abort(new Error("enough"));
      return 1;
    }, { nTrials: 5, signal: controller.signal });
    assert.equal(r.stopReason, "interrupted");
    assert.deepEqual(study.trials.map((t) => t.state), ["complete", "fail"]);
    assert.match(study.trials[1]?.error ?? "", /^Interrupted while running \(the `signal` option was aborted: Error: enough\)/);
  });

  it("lets study.stop() end optimize after the running trial, which counts", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    const r = await study.optimize((t) => {
      if (t.number === 2) study.stop();
      return t.number;
    }, { nTrials: 10 });
    assert.equal(r.stopReason, "stopped");
    assert.deepEqual(study.trials.map((t) => t.state), ["complete", "complete", "complete"]);
    assert.throws(() => study.stop(), (e: Error) => e instanceof LabError && /not running optimize/.test(e.message));
    // a stop does not carry over to the next call
    assert.equal((await study.optimize(() => 1, { nTrials: 2 })).stopReason, "nTrials");
  });

  it("makes optimizeParallel fail the trial, stop the other workers and reject when a worker's objective throws", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-states-")), "s.jsonl");
    process.env.LSTM_LAB_TEST_THROW_AT = "3";
    // trials of 0.3 s: 40 would take the other worker alone 12 s, so it is stopped long before
    process.env.LSTM_LAB_TEST_SLEEP_MS = "300";
    try {
      await assert.rejects(
        optimizeParallel({ storage: file, study: "p", objectiveModule: fixture, nWorkers: 2, maxTotalTrials: 40, sampler: "random" }),
        (e: Error) => e instanceof LabError && /exited with code 1: RangeError: exploded at trial 3\./.test(e.message),
      );
    } finally {
      delete process.env.LSTM_LAB_TEST_THROW_AT;
      delete process.env.LSTM_LAB_TEST_SLEEP_MS;
    }
    const trials = new JournalFileStorage(file).cachedTrials("p");
    assert.equal(trials[3]?.state, "fail");
    assert.equal(trials[3]?.error, "RangeError: exploded at trial 3");
    // the other worker finished its running trial and stopped: nothing left running, far fewer than 40 trials
    assert.ok(trials.every((t) => t.state !== "running"), JSON.stringify(trials.map((t) => t.state)));
    assert.ok(trials.length < 40, `${trials.length} trials`);
  });

  it("passes a kernel interrupt to optimizeParallel's workers, whose running trials fail as interrupted", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-states-")), "s.jsonl");
    process.env.LSTM_LAB_TEST_SLEEP_MS = "300";
    try {
      await inCell(async (interrupt) => {
        const run = optimizeParallel({ storage: file, study: "p", objectiveModule: fixture, nWorkers: 2, maxTotalTrials: 40, sampler: "random" });
        const t0 = Date.now();
        while (!(fs.existsSync(file) && new JournalFileStorage(file).cachedTrials("p").filter((t) => t.state === "complete").length >= 2)) {
          if (Date.now() - t0 > 60_000) throw new Error("the workers did not complete 2 trials");
          await new Promise((r) => setTimeout(r, 50));
        }
        interrupt();
        const { workers } = await run;
        assert.deepEqual(workers.map((w) => w.stopReason), ["interrupted", "interrupted"]);
      });
    } finally {
      delete process.env.LSTM_LAB_TEST_SLEEP_MS;
    }
    const trials = new JournalFileStorage(file).cachedTrials("p");
    const failed = trials.filter((t) => t.state === "fail");
    assert.ok(trials.every((t) => t.state === "complete" || t.state === "fail"), JSON.stringify(trials.map((t) => t.state)));
    // one trial per worker was running, unless the interrupt found a worker between two trials
    assert.ok(failed.length <= 2, `${failed.length} failed`);
    for (const t of failed) assert.match(t.error ?? "", /^Interrupted while running \(the `signal` option was aborted: KeyboardInterrupt: Worker \d+ was interrupted \(SIGINT\)\)/);
    assert.ok(trials.length < 40, `${trials.length} trials`);
  });

  it("lets optimizeParallel workers go on past errors named in catch", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-states-")), "s.jsonl");
    process.env.LSTM_LAB_TEST_THROW_AT = "3";
    try {
      const { study } = await optimizeParallel({ storage: file, study: "p", objectiveModule: fixture, nWorkers: 2, maxTotalTrials: 8, sampler: "random", catch: ["RangeError"] });
      assert.equal(study.trials.length, 8);
      assert.deepEqual(study.trials.map((t) => t.state === "fail"), [false, false, false, true, false, false, false, false]);
    } finally {
      delete process.env.LSTM_LAB_TEST_THROW_AT;
    }
  });
});
