// Storage benchmark, part of `npm run bench -- tuning` (issue 16), side by side in one run:
// 1. overhead per trial (claim + 2 params + 10 reports + finish, objective doing nothing else) for
//    in-memory, journal-file and PostgreSQL storage, against in-memory;
// 2. trials per hour with 1, 2 and 4 worker processes on PostgreSQL, objective sleeping 200 ms,
//    against the ideal (workers × 18,000/h);
// 3. time to open a study of 10,000 finished trials, for each storage.
// PostgreSQL is a throwaway server started here (as the tests do); without one those rows say why.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import pg from "pg";
import { createStudy, InMemoryStorage, JournalFileStorage, loadStudy, optimizeParallel, PostgresStorage } from "../src/tuning/index.js";
import type { Storage, StorageOp } from "../src/tuning/index.js";
import { stringifyJson } from "../src/tuning/storage/json-numbers.js";
import { StudyState } from "../src/tuning/storage/study-state.js";
import { OptunaJournalCodec, stringifyPythonJson } from "../src/tuning/storage/optuna-journal.js";
import { pgUnavailable, startPg } from "../test/tuning/helpers/pg-server.js";
import type { PgServer } from "../test/tuning/helpers/pg-server.js";
import { printTable } from "./print-table.js";

/** Milliseconds per trial of a study doing only storage work. */
async function overheadPerTrial(storage: Storage, n: number): Promise<number> {
  const study = await createStudy({ storage, name: "overhead", sampler: "random", seed: 1 });
  const t0 = performance.now();
  await study.optimize((t) => {
    const x = t.suggestFloat("x", -3, 3);
    const u = t.suggestInt("units", 16, 128, { step: 16 });
    for (let s = 0; s < 10; s++) t.report(s, x * s + u);
    return x * x;
  }, { nTrials: n });
  return (performance.now() - t0) / n;
}

/** The operations of a study of `n` finished trials, as one process would have written them. */
function bigStudyOps(n: number): StorageOp[] {
  const time = new Date().toISOString();
  const ops: StorageOp[] = [{ op: "create_study", study: "big", direction: "minimize", time }];
  const distributions = { x: { kind: "float" as const, low: -3, high: 3 }, units: { kind: "int" as const, low: 16, high: 128, step: 16 } };
  for (let i = 0; i < n; i++) {
    const x = ((i * 7919) % 6000) / 1000 - 3;
    ops.push({ op: "create_trial", study: "big", number: i, params: { x, units: 16 * (1 + (i % 8)) }, distributions, time, worker: { pid: 1, host: "bench" } });
    ops.push({ op: "report", study: "big", number: i, step: 0, value: x * x + 1 });
    ops.push({ op: "finish", study: "big", number: i, state: "complete", value: x * x, error: null, time });
  }
  return ops;
}

function writeJournal(file: string, ops: StorageOp[]): void {
  const codec = new OptunaJournalCodec("bench");
  const lines: string[] = [];
  for (const op of ops) {
    for (const log of codec.encode(op)) {
      lines.push(stringifyPythonJson(log));
      codec.decode(log); // keeps Optuna's ids in step, as replaying the file would
    }
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
}

async function writePg(url: string, ops: StorageOp[]): Promise<void> {
  // the same rows PostgresStorage writes, in bulk
  const s = new PostgresStorage(url);
  await s.studyNames(); // creates the tables
  await s.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (let i = 0; i < ops.length; i += 5000) {
    const chunk = ops.slice(i, i + 5000);
    await client.query("INSERT INTO lstm_lab_ops (study, uid, op) SELECT 'big', u, o FROM unnest($1::text[], $2::text[]) AS t(u, o)", [chunk.map((_, k) => `bench-${i + k}`), chunk.map((op) => stringifyJson(op))]);
  }
  await client.end();
}

async function timeOpen(open: () => Promise<Storage>): Promise<{ ms: number; trials: number }> {
  const t0 = performance.now();
  const storage = await open();
  const study = await loadStudy({ storage, name: "big" });
  const trials = (await study.refresh()).length;
  const ms = performance.now() - t0;
  await storage.close();
  return { ms, trials };
}

export async function storageBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-bench-storage-"));
  const why = pgUnavailable();
  let server: PgServer | null = null;
  let dbs = 0;
  const db = (): string | null => {
    if (!server) return null;
    const name = `bench${++dbs}`;
    server.createDatabase(name);
    return server.url(name);
  };
  try {
    if (!why) server = await startPg();
    const note = why ? ` (PostgreSQL rows skipped: ${why})` : " (PostgreSQL 15 on 127.0.0.1, a throwaway server with fsync off)";
    const n = 200;
    console.log(`\nStorage overhead per trial: claim + 2 params + 10 reports + finish, ${n} trials, objective doing nothing else${note}`);
    const rows: string[][] = [];
    const base = await overheadPerTrial(new InMemoryStorage(), n);
    rows.push(["in-memory", base.toFixed(3), "1.00×"]);
    const journal = await overheadPerTrial(new JournalFileStorage(path.join(dir, "overhead.log")), n);
    rows.push(["journal file (fsync per write)", journal.toFixed(3), `${(journal / base).toFixed(1)}×`]);
    const url = db();
    if (url) {
      const s = new PostgresStorage(url);
      const ms = await overheadPerTrial(s, n);
      await s.close();
      rows.push(["PostgreSQL", ms.toFixed(3), `${(ms / base).toFixed(1)}×`]);
    }
    printTable(["storage", "ms per trial", "vs in-memory"], rows);

    if (server) {
      const trials = 60;
      const sleepMs = 200;
      process.env.LSTM_LAB_TEST_SLEEP_MS = String(sleepMs);
      const fixture = path.join(__dirname, "..", "test", "tuning", "fixtures", "quadratic-objective.ts");
      console.log(`\nPostgreSQL throughput: ${trials} trials of a ${sleepMs} ms objective, random sampler, worker processes (includes each worker's start-up; noisy while others use the machine)`);
      const tput: string[][] = [];
      for (const workers of [1, 2, 4]) {
        const u = db() as string;
        const t0 = Date.now();
        const { study } = await optimizeParallel({ storage: u, study: "tput", objectiveModule: fixture, nWorkers: workers, maxTotalTrials: trials, sampler: "random" });
        const perHour = study.trials.length / ((Date.now() - t0) / 3_600_000);
        // from the first trial's start to the last one's end: without the workers' start-up
        const first = Math.min(...study.trials.map((t) => Date.parse(t.start)));
        const last = Math.max(...study.trials.map((t) => Date.parse(t.end ?? t.start)));
        const running = study.trials.length / ((last - first) / 3_600_000);
        const ideal = workers * (3_600_000 / sleepMs);
        tput.push([String(workers), String(study.trials.length), perHour.toFixed(0), running.toFixed(0), ideal.toFixed(0), `${((100 * running) / ideal).toFixed(0)}%`]);
        await study.storage.close();
      }
      delete process.env.LSTM_LAB_TEST_SLEEP_MS;
      printTable(["workers", "trials", "trials/hour", "after start-up", "ideal", "of ideal (after start-up)"], tput);
    }

    const big = 10_000;
    console.log(`\nOpening a study of ${big.toLocaleString("en")} finished trials (each: params, 1 report, finish): storage opened, study loaded, trials read`);
    const ops = bigStudyOps(big);
    const openRows: string[][] = [];
    // the baseline: the same operations replayed through the reducer, with nothing to read or decode
    const t0 = performance.now();
    const state = new StudyState();
    for (const op of ops) state.apply(op);
    const mem = { trials: state.trials("big").length, ms: performance.now() - t0 };
    openRows.push(["in-memory (reducer replay only)", String(mem.trials), mem.ms.toFixed(0), "1.00×"]);
    const file = path.join(dir, "big.log");
    writeJournal(file, ops);
    const j = await timeOpen(async () => new JournalFileStorage(file));
    openRows.push([`journal file (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)`, String(j.trials), j.ms.toFixed(0), `${(j.ms / mem.ms).toFixed(1)}×`]);
    const bigUrl = db();
    if (bigUrl) {
      await writePg(bigUrl, ops);
      const p = await timeOpen(async () => new PostgresStorage(bigUrl));
      openRows.push(["PostgreSQL", String(p.trials), p.ms.toFixed(0), `${(p.ms / mem.ms).toFixed(1)}×`]);
    }
    printTable(["storage", "trials", "ms to open", "vs in-memory"], openRows);
  } finally {
    server?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
