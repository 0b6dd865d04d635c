/**
 * Parallel trials on one machine: N worker processes pull trials from one shared study (a
 * journal file, or PostgreSQL, where workers on other hosts may join it).
 * The objective is given as a module path (each worker loads it), since functions cannot cross
 * process boundaries.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { ConfigError, LabError } from "../errors.js";
import { interruptSignal } from "../host.js";
import { positiveInt } from "../validate.js";
import type { SearchSpace } from "./space.js";
import { redactUrl } from "./storage/postgres.js";
import { createStudy, Study } from "./study.js";
import type { WorkerConfig, WorkerSummary } from "./worker.js";

/** Options of {@link optimizeParallel}: the workers, the storage and the objective module. */
export interface OptimizeParallelOptions extends Omit<WorkerConfig, "space" | "nTrials"> {
  /** Worker processes. @default 2 */
  nWorkers?: number;
  /** Declared space (else the module's `space` export). */
  space?: SearchSpace | WorkerConfig["space"];
  /** Trials in the study when all workers stop (counting trials already there). */
  maxTotalTrials: number;
}

/** What the workers did, and the study reopened from the storage. */
export interface ParallelResult {
  study: Study;
  workers: WorkerSummary[];
}

/** The worker script next to this file, and the node arguments needed to run it (tsx for .ts). */
/** The storage's printable description (no password). */
function openStorageDescription(spec: string): string {
  return /^postgres(ql)?:\/\//i.test(spec) ? redactUrl(spec) : spec;
}

/** The script and Node flags that start a tuning worker process. */
export function workerCommand(): { script: string; execArgv: string[] } {
  const ext = path.extname(__filename);
  const script = path.join(__dirname, `worker${ext}`);
  return { script, execArgv: ext === ".ts" ? ["--import", "tsx"] : [] };
}

/**
 * Runs a shared study with `nWorkers` processes until it holds `maxTotalTrials` trials.
 * Trials end as in `study.optimize`. When a worker's objective throws an error not listed in
 * `catch` (error names here, since the config is JSON), that trial fails, the other workers
 * finish their running trials and stop, and optimizeParallel rejects with a LabError carrying
 * the objective's error. A kernel interrupt reaches every worker: their running trials fail as
 * interrupted, and the workers' summaries say "interrupted". The storage keeps every trial.
 * @example
 * // not run: needs your objective module
 * const { study } = await optimizeParallel({
 *   storage: "runs/lstm.jsonl", study: "lstm", objectiveModule: "./objective.ts",
 *   nWorkers: 2, maxTotalTrials: 40, sampler: "gp",
 * });
 */
export async function optimizeParallel(options: OptimizeParallelOptions): Promise<ParallelResult> {
  const nWorkers = options.nWorkers ?? 2;
  positiveInt("nWorkers", nWorkers);
  positiveInt("maxTotalTrials", options.maxTotalTrials);
  if (typeof options.storage !== "string" || options.storage.length === 0) {
    throw new ConfigError(`\`storage\` must be a postgresql:// URL or a journal file path for parallel workers, got ${JSON.stringify(options.storage)}.`);
  }
  const { nWorkers: _n, space: sp, ...rest } = options;
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.storage);
  const config: WorkerConfig = {
    ...rest,
    storage: isUrl ? options.storage : path.resolve(options.storage),
    objectiveModule: path.resolve(options.objectiveModule),
    ...(sp ? { space: "toJSON" in sp && typeof sp.toJSON === "function" ? (sp as SearchSpace).toJSON() : (sp as WorkerConfig["space"]) } : {}),
  };
  // create the study once, so workers agree on its direction
  await (await createStudy({ storage: config.storage, name: config.study, direction: config.direction ?? "minimize" })).storage.close();
  const study0Description = openStorageDescription(config.storage);
  const { script, execArgv } = workerCommand();
  const children = Array.from({ length: nWorkers }, () => spawn(process.execPath, [...execArgv, script, JSON.stringify(config)], { stdio: ["ignore", "pipe", "pipe"] }));
  const running = () => children.filter((c) => c.exitCode === null && c.signalCode === null);
  // SIGTERM: finish the running trial, then stop (Optuna's n_jobs on an error); SIGINT: interrupt it
  const stopOthers = () => running().forEach((c) => c.kill("SIGTERM"));
  const interruptAll = () => running().forEach((c) => c.kill("SIGINT"));
  const interrupt = interruptSignal();
  interrupt?.addEventListener("abort", interruptAll, { once: true });
  let failure: LabError | null = null;
  const fail = (e: LabError) => {
    failure ??= e;
    stopOthers();
  };
  const runs = children.map(
    (child) =>
      new Promise<WorkerSummary | null>((resolve) => {
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", (e) => {
          fail(new LabError(`A worker process could not start: ${e.message}`));
          resolve(null);
        });
        child.on("close", (code) => {
          const last = out.trim().split("\n").pop() ?? "";
          if (code === 0) {
            try {
              resolve(JSON.parse(last) as WorkerSummary);
              return;
            } catch {
              // reported below
            }
          }
          const lastErr = err.trim().split("\n").pop() ?? "";
          fail(new LabError(`Worker ${child.pid} exited with code ${code}: ${lastErr || last || "no output"}. The other workers finished their running trials; the study is kept in ${study0Description}.`));
          resolve(null);
        });
      }),
  );
  if (interrupt?.aborted) interruptAll();
  const summaries = await Promise.all(runs);
  interrupt?.removeEventListener("abort", interruptAll);
  if (failure) throw failure;
  const study = await createStudy({ storage: config.storage, name: config.study, direction: config.direction ?? "minimize", ...(sp ? { space: sp } : {}) });
  return { study, workers: summaries.filter((s): s is WorkerSummary => s !== null) };
}
