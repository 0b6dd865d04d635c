// One conformance suite run against every storage (like Optuna's StorageTestCase): in memory,
// journal file and PostgreSQL (a throwaway server started for this file). Each storage is opened
// twice on the same store, as two workers would, to check what one writes the other reads.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { floatParam, InMemoryStorage, intParam, JournalFileStorage, PostgresStorage } from "../../src/tuning/index.js";
import type { Storage, TrialProposal, WorkerInfo } from "../../src/tuning/index.js";
import { startPg } from "./helpers/pg-server.js";
import type { PgServer } from "./helpers/pg-server.js";

interface Pair {
  a: Storage;
  b: Storage;
}

let pg: PgServer | null = null;
let dbCount = 0;
const open: Storage[] = [];

const backends: { name: string; make(): Promise<Pair> }[] = [
  {
    name: "in-memory",
    async make() {
      const s = new InMemoryStorage();
      return { a: s, b: s };
    },
  },
  {
    name: "journal file",
    async make() {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-conf-")), "s.jsonl");
      return { a: new JournalFileStorage(file), b: new JournalFileStorage(file) };
    },
  },
  {
    name: "PostgreSQL",
    async make() {
      const server = pg as PgServer;
      const db = `conf${++dbCount}`;
      server.createDatabase(db);
      const pair = { a: new PostgresStorage(server.url(db)), b: new PostgresStorage(server.url(db)) };
      open.push(pair.a, pair.b);
      return pair;
    },
  },
];

const me: WorkerInfo = { pid: 4242, host: "conformance" };
const x = floatParam(-1, 1);
const n = intParam(1, 9, { step: 2 });
const proposal = (v: number): TrialProposal => ({ params: { x: v, n: 3 }, distributions: { x, n } });

before(async () => {
  pg = await startPg();
});
after(async () => {
  await Promise.all(open.map((s) => s.close()));
  pg?.destroy();
});

for (const backend of backends) {
  describe(`${backend.name} storage`, () => {
    it("creates a study once, keeps its first direction, and lists it", async () => {
      const { a, b } = await backend.make();
      assert.equal(await a.getStudy("s"), null);
      const r = await a.openStudy("s", "maximize");
      assert.equal(r.direction, "maximize");
      assert.equal((await b.openStudy("s", "minimize")).direction, "maximize");
      await b.openStudy("t", "minimize");
      assert.deepEqual((await a.studyNames()).sort(), ["s", "t"]);
      assert.equal((await a.getStudy("s"))?.created, r.created);
    });

    it("numbers trials 0, 1, 2 in the order they are claimed, with the proposed parameters", async () => {
      const { a, b } = await backend.make();
      await a.openStudy("s", "minimize");
      const seen: number[] = [];
      const t0 = await a.createTrial("s", (ts) => (seen.push(ts.length), proposal(0.5)), me);
      const t1 = await b.createTrial("s", (ts) => (seen.push(ts.length), proposal(-0.25)), me);
      const t2 = await a.createTrial("s", (ts) => (seen.push(ts.length), { ...proposal(0), retryOf: 0 }), me);
      assert.deepEqual([t0?.number, t1?.number, t2?.number], [0, 1, 2]);
      assert.deepEqual(seen, [0, 1, 2]);
      assert.deepEqual(t1?.params, { x: -0.25, n: 3 });
      assert.deepEqual(t1?.distributions, { x, n });
      assert.equal(t1?.state, "running");
      assert.deepEqual(t1?.worker, me);
      assert.equal(t2?.retryOf, 0);
      assert.equal(await a.createTrial("s", () => null, me), null);
      assert.equal((await b.trials("s")).length, 3);
    });

    it("records parameters, intermediate values, user attributes, heartbeats and the ending, which the other handle reads", async () => {
      const { a, b } = await backend.make();
      await a.openStudy("s", "minimize");
      await a.createTrial("s", () => proposal(0.5), me);
      await a.setParam("s", 0, "units", 32, intParam(16, 64, { step: 16 }));
      await a.report("s", 0, 0, 1.5);
      await a.report("s", 0, 1, Infinity);
      await a.report("s", 0, 2, NaN);
      await a.setUserAttr("s", 0, "folds", [0.1, 0.2]);
      await a.heartbeat("s", 0);
      assert.equal(await a.finishTrial("s", 0, { state: "complete", value: 0.25, error: null }), true);
      const [t] = await b.trials("s");
      assert.deepEqual(t?.params, { x: 0.5, n: 3, units: 32 });
      assert.deepEqual(t?.distributions.units, { kind: "int", low: 16, high: 64, step: 16 });
      assert.deepEqual(t?.intermediate, { 0: 1.5, 1: Infinity, 2: NaN });
      assert.deepEqual(t?.userAttrs, { folds: [0.1, 0.2] });
      assert.equal(t?.state, "complete");
      assert.equal(t?.value, 0.25);
      assert.ok(t?.heartbeat !== undefined && Date.parse(t.heartbeat) >= Date.parse(t.start));
      assert.ok(t?.end !== null && Date.parse(t?.end as string) >= Date.parse(t?.start as string));
      assert.deepEqual(b.cachedTrials("s").map((u) => u.value), [0.25]);
    });

    it("refuses to change a finished trial, naming the trial and its state", async () => {
      const { a, b } = await backend.make();
      await a.openStudy("s", "minimize");
      await a.createTrial("s", () => proposal(0.5), me);
      await a.finishTrial("s", 0, { state: "fail", value: null, error: "boom" });
      await assert.rejects(b.finishTrial("s", 0, { state: "complete", value: 1, error: null }), /Trial 0 of study "s" is already fail/);
      await assert.rejects(b.report("s", 0, 0, 1), /already fail/);
      await assert.rejects(b.report("s", 7, 0, 1), /has no trial 7/);
      await assert.rejects(b.report("nope", 0, 0, 1), /No study named "nope"/);
      await b.heartbeat("s", 0); // a late heartbeat of a finished trial is dropped, not an error
      assert.equal((await a.trials("s"))[0]?.heartbeat, undefined);
    });

    it("ends a trial with onlyIf only when the condition holds on its latest state", async () => {
      const { a, b } = await backend.make();
      await a.openStudy("s", "minimize");
      await a.createTrial("s", () => proposal(0.5), me);
      const running = (t: { state: string }) => t.state === "running";
      assert.equal(await a.finishTrial("s", 0, { state: "fail", value: null, error: "stale", stale: true }, running), true);
      assert.equal(await b.finishTrial("s", 0, { state: "complete", value: 1, error: null }, running), false);
      const [t] = await b.trials("s");
      assert.deepEqual([t?.state, t?.error, t?.stale], ["fail", "stale", true]);
    });

    it("gives two claimers racing for 40 trials the numbers 0 to 39, each once, each seeing the trials before it", async () => {
      const { a, b } = await backend.make();
      await a.openStudy("s", "minimize");
      const claims = Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a : b).createTrial("s", (ts) => proposal(ts.length / 40), { pid: i, host: "race" }),
      );
      const got = await Promise.all(claims);
      assert.deepEqual(got.map((t) => t?.number).sort((p, q) => (p as number) - (q as number)), Array.from({ length: 40 }, (_, i) => i));
      const stored = await a.trials("s");
      assert.deepEqual(stored.map((t) => t.number), Array.from({ length: 40 }, (_, i) => i));
      // each proposal saw exactly the trials numbered before it
      for (const t of stored) assert.equal(t.params.x, t.number / 40);
    });
  });
}
