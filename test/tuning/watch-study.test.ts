// watchStudy follows a study other processes run: the figures are redrawn as trials finish, and
// the watch ends at `untilTrials`, at its timeout or on an abort. Journal studies are polled;
// PostgreSQL ones wake on NOTIFY (with a poll interval of an hour, only a notification can end
// the second test).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createStudy, floatParam, watchStudy } from "../../src/tuning/index.js";
import type { Trace } from "../../src/plots/index.js";
import { startPg } from "./helpers/pg-server.js";
import type { PgServer } from "./helpers/pg-server.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-watch-"));
const sp = { x: floatParam(-3, 3) };
let pg: PgServer;

before(async () => {
  pg = await startPg();
});
after(() => pg?.destroy());

/** A second handle on the same storage runs `n` trials, one every `ms`, while the watch runs. */
async function runElsewhere(storage: string, n: number, ms: number): Promise<number[]> {
  const worker = await createStudy({ storage, name: "w", space: sp, sampler: "random", seed: 3 });
  await worker.optimize(async (t) => {
    await new Promise((r) => setTimeout(r, ms));
    return t.number === 2 ? NaN : (t.params.x - 1) ** 2;
  }, { nTrials: n });
  const values = worker.trials.filter((t) => t.state === "complete").map((t) => t.value as number);
  await worker.storage.close();
  return values;
}

describe("watchStudy", () => {
  it("redraws the history and parallel coordinates of a journal study another handle fills, until it holds untilTrials", async () => {
    const dir = tmp();
    const file = path.join(dir, "s.jsonl");
    const watched = await createStudy({ storage: file, name: "w" });
    const [result, values] = await Promise.all([
      watchStudy(watched, { untilTrials: 6, pollInterval: 0.05, live: { show: { dir } } }),
      runElsewhere(file, 6, 60),
    ]);
    assert.equal(result.stopReason, "untilTrials");
    assert.equal(result.finished, 6);
    assert.ok(result.updates >= 2, `${result.updates} redraws`);
    // the last drawn figures hold the 5 complete trials (trial 2 failed), in order
    const history = result.history?.data[0] as Trace & { x: number[]; y: number[] };
    assert.deepEqual(history.x, [0, 1, 3, 4, 5]);
    assert.deepEqual(history.y, values);
    const parallel = result.parallel?.data[0] as Trace & { dimensions: { label: string; values: number[] }[] };
    assert.deepEqual(parallel.dimensions[0]?.values, watched.trials.filter((t) => t.state === "complete").map((t) => t.params.x));
    // outside the kernel each figure is one HTML file, rewritten in place
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".html")).length, 2);
  });

  it("wakes on PostgreSQL's NOTIFY rather than polling", async () => {
    pg.createDatabase("watch");
    const url = pg.url("watch");
    const watched = await createStudy({ storage: url, name: "w" });
    const [result] = await Promise.all([watchStudy(watched, { untilTrials: 4, pollInterval: 3600, live: { show: { dir: tmp() } } }), runElsewhere(url, 4, 30)]);
    assert.equal(result.stopReason, "untilTrials");
    assert.equal(result.finished, 4);
    await watched.storage.close();
  });

  it("ends on its timeout and on an abort, with what it saw", async () => {
    const watched = await createStudy({ storage: path.join(tmp(), "s.jsonl"), name: "w" });
    const timedOut = await watchStudy(watched, { timeoutSeconds: 0.2, pollInterval: 0.05 });
    assert.deepEqual([timedOut.stopReason, timedOut.finished, timedOut.updates, timedOut.history], ["timeout", 0, 0, null]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const aborted = await watchStudy(watched, { signal: ac.signal, pollInterval: 3600 });
    assert.equal(aborted.stopReason, "interrupted");
    await assert.rejects(watchStudy(watched, { untilTrials: 0 }), /untilTrials.*0/);
  });
});
