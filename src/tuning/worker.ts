/**
 * A worker process for parallel studies: opens a journal study, loads the objective from a
 * module, and runs trials until the study-wide budget is reached. Started by
 * {@link optimizeParallel}; can also be run by hand on several machines' shells:
 *   node --import tsx src/tuning/worker.ts '{"storage":"runs/s.jsonl","study":"s","objectiveModule":"/abs/obj.ts","maxTotalTrials":40}'
 * The objective module exports `objective` (or `exportName`) and may export `space`.
 * The last line printed on stdout is a JSON summary.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";
import type { PrunerName } from "./pruners/create-pruner.js";
import type { SamplerName } from "./samplers/create-sampler.js";
import { createPruner } from "./pruners/create-pruner.js";
import { createSampler } from "./samplers/create-sampler.js";
import type { SearchSpace, SpaceEntry } from "./space.js";
import { createStudy } from "./study.js";
import type { Objective, OptimizeResult } from "./study.js";
import type { Direction } from "./trial.js";

/** Everything a worker needs, as JSON. */
export interface WorkerConfig {
  /** Journal file path. */
  storage: string;
  /** Study name. */
  study: string;
  /** @default "minimize" */
  direction?: Direction;
  /** Module exporting the objective (absolute path or relative to the working directory). */
  objectiveModule: string;
  /** Name of the export. @default "objective" */
  exportName?: string;
  /** Declared space as JSON; defaults to the module's `space` export, if any. */
  space?: Record<string, SpaceEntry>;
  /** @default "gp" */
  sampler?: SamplerName;
  samplerOptions?: Record<string, unknown>;
  /** @default "none" */
  pruner?: PrunerName;
  prunerOptions?: Record<string, unknown>;
  /** @default 0 */
  seed?: number;
  /** Trials this worker runs at most. */
  nTrials?: number;
  /** Stop when the study holds this many trials. */
  maxTotalTrials?: number;
  timeoutSeconds?: number;
}

/** What a worker reports when it ends. */
export interface WorkerSummary {
  pid: number;
  trials: number[];
  stopReason: OptimizeResult["stopReason"];
}

/** Runs one worker in this process (what the worker script does). */
export async function runWorker(config: WorkerConfig): Promise<WorkerSummary> {
  if (!config || typeof config.objectiveModule !== "string") throw new ConfigError(`\`objectiveModule\` must be a module path, got ${JSON.stringify(config?.objectiveModule)}.`);
  const modPath = path.resolve(config.objectiveModule);
  const mod = (await import(pathToFileURL(modPath).href)) as Record<string, unknown>;
  const exportName = config.exportName ?? "objective";
  // a CommonJS module seen through import() may hold its exports under `default`
  const pick = (k: string): unknown => mod[k] ?? (mod.default as Record<string, unknown> | undefined)?.[k];
  const objective = pick(exportName);
  if (typeof objective !== "function") throw new ConfigError(`Module ${modPath} has no function export ${JSON.stringify(exportName)}.`);
  const sp = (config.space ?? pick("space") ?? null) as SearchSpace | Record<string, SpaceEntry> | null;
  const study = createStudy({
    storage: config.storage,
    name: config.study,
    direction: config.direction ?? "minimize",
    space: sp,
    sampler: createSampler(config.sampler ?? "gp", config.samplerOptions ?? {}),
    pruner: createPruner(config.pruner ?? "none", config.prunerOptions ?? {}),
    seed: config.seed ?? 0,
  });
  const r = await study.optimize(objective as Objective, {
    ...(config.nTrials !== undefined ? { nTrials: config.nTrials } : {}),
    ...(config.maxTotalTrials !== undefined ? { maxTotalTrials: config.maxTotalTrials } : {}),
    ...(config.timeoutSeconds !== undefined ? { timeoutSeconds: config.timeoutSeconds } : {}),
  });
  return { pid: process.pid, trials: r.trialNumbers, stopReason: r.stopReason };
}

if (require.main === module) {
  const arg = process.argv[2];
  if (!arg) {
    console.error("usage: worker '<json config>'");
    process.exit(2);
  }
  runWorker(JSON.parse(arg) as WorkerConfig).then(
    (s) => console.log(JSON.stringify(s)),
    (e: unknown) => {
      console.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      process.exit(1);
    },
  );
}
