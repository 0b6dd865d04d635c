/**
 * Parallel trials on one machine: N worker processes pull trials from one journal study.
 * The objective is given as a module path (each worker loads it), since functions cannot cross
 * process boundaries.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { ConfigError, LabError } from "../errors.js";
import { positiveInt } from "../validate.js";
import type { SearchSpace } from "./space.js";
import { createStudy, Study } from "./study.js";
import type { WorkerConfig, WorkerSummary } from "./worker.js";

export interface OptimizeParallelOptions extends Omit<WorkerConfig, "space" | "nTrials"> {
  /** Worker processes. @default 2 */
  nWorkers?: number;
  /** Declared space (else the module's `space` export). */
  space?: SearchSpace | WorkerConfig["space"];
  /** Trials in the study when all workers stop (counting trials already there). */
  maxTotalTrials: number;
}

/** What the workers did, and the study reopened from the journal. */
export interface ParallelResult {
  study: Study;
  workers: WorkerSummary[];
}

/** The worker script next to this file, and the node arguments needed to run it (tsx for .ts). */
export function workerCommand(): { script: string; execArgv: string[] } {
  const ext = path.extname(__filename);
  const script = path.join(__dirname, `worker${ext}`);
  return { script, execArgv: ext === ".ts" ? ["--import", "tsx"] : [] };
}

/**
 * Runs a journal study with `nWorkers` processes until it holds `maxTotalTrials` trials.
 * @example
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
    throw new ConfigError(`\`storage\` must be a journal file path for parallel workers, got ${JSON.stringify(options.storage)}.`);
  }
  const { nWorkers: _n, space: sp, ...rest } = options;
  const config: WorkerConfig = {
    ...rest,
    storage: path.resolve(options.storage),
    objectiveModule: path.resolve(options.objectiveModule),
    ...(sp ? { space: "toJSON" in sp && typeof sp.toJSON === "function" ? (sp as SearchSpace).toJSON() : (sp as WorkerConfig["space"]) } : {}),
  };
  // create the study once, so workers agree on its direction
  createStudy({ storage: config.storage, name: config.study, direction: config.direction ?? "minimize" });
  const { script, execArgv } = workerCommand();
  const runs = Array.from({ length: nWorkers }, () =>
    new Promise<WorkerSummary>((resolve, reject) => {
      const child = spawn(process.execPath, [...execArgv, script, JSON.stringify(config)], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        const last = out.trim().split("\n").pop() ?? "";
        try {
          if (code !== 0) throw new Error();
          resolve(JSON.parse(last) as WorkerSummary);
        } catch {
          reject(new LabError(`Worker ${child.pid} exited with code ${code}: ${err.trim().split("\n").slice(-3).join(" | ") || last}`));
        }
      });
    }),
  );
  const workers = await Promise.all(runs);
  const study = createStudy({ storage: config.storage, name: config.study, direction: config.direction ?? "minimize", ...(sp ? { space: sp } : {}) });
  return { study, workers };
}
