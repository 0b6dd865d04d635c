/**
 * A worker process for parallel studies: opens a journal study, loads the objective from a
 * module, and runs trials until the study-wide budget is reached. Started by
 * {@link optimizeParallel}; can also be run by hand on several machines' shells:
 *   node --import tsx src/tuning/worker.ts '{"storage":"runs/s.jsonl","study":"s","objectiveModule":"/abs/obj.ts","maxTotalTrials":40}'
 * The objective module exports `objective` (or `exportName`) and may export `space`.
 * The last line printed on stdout is a JSON summary. SIGTERM stops the worker after its running
 * trial (stopReason "stopped"); SIGINT interrupts it (the running trial fails as interrupted,
 * stopReason "interrupted"); an error the objective throws, unless listed in `catch`, fails its
 * trial and ends the worker with exit code 1 and the error on stderr.
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
  /**
   * Names of the error classes that only fail their trial (see `OptimizeOptions.catch`); any
   * other error the objective throws fails its trial and ends the worker with that error. @default []
   */
  catch?: string[];
}

/** How a running worker is steered from outside (the worker script wires them to SIGINT and SIGTERM). */
export interface WorkerControl {
  /** Aborted on interrupt: the running trial fails as interrupted and the worker returns ("interrupted"). */
  signal?: AbortSignal;
  /** Aborted to stop gracefully: the running trial finishes and counts, then the worker returns. */
  stop?: AbortSignal;
}

/** What a worker reports when it ends. */
export interface WorkerSummary {
  pid: number;
  trials: number[];
  stopReason: OptimizeResult["stopReason"];
}

/**
 * Runs one worker in this process (what the worker script does). Rejects with the objective's
 * error when it throws one not listed in `catch`, as `study.optimize` does.
 * @example
 * const summary = await runWorker({ storage: "runs/s.jsonl", study: "s", objectiveModule: "./objective.ts", maxTotalTrials: 40 });
 */
export async function runWorker(config: WorkerConfig, control: WorkerControl = {}): Promise<WorkerSummary> {
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
  const stop = () => study.stop();
  if (control.stop?.aborted) return { pid: process.pid, trials: [], stopReason: "stopped" };
  control.stop?.addEventListener("abort", stop, { once: true });
  try {
    const r = await study.optimize(objective as Objective, {
      ...(config.nTrials !== undefined ? { nTrials: config.nTrials } : {}),
      ...(config.maxTotalTrials !== undefined ? { maxTotalTrials: config.maxTotalTrials } : {}),
      ...(config.timeoutSeconds !== undefined ? { timeoutSeconds: config.timeoutSeconds } : {}),
      ...(config.catch !== undefined ? { catch: config.catch } : {}),
      ...(control.signal !== undefined ? { signal: control.signal } : {}),
    });
    return { pid: process.pid, trials: r.trialNumbers, stopReason: r.stopReason };
  } finally {
    control.stop?.removeEventListener("abort", stop);
  }
}

/** The reason a worker's interrupt carries: SIGINT, as Python's KeyboardInterrupt. */
class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
}

if (require.main === module) {
  const arg = process.argv[2];
  if (!arg) {
    console.error("usage: worker '<json config>'");
    process.exit(2);
  }
  const interrupt = new AbortController();
  const stop = new AbortController();
  process.on("SIGINT", () => interrupt.abort(new KeyboardInterrupt(`Worker ${process.pid} was interrupted (SIGINT)`)));
  process.on("SIGTERM", () => stop.abort());
  runWorker(JSON.parse(arg) as WorkerConfig, { signal: interrupt.signal, stop: stop.signal }).then(
    (s) => console.log(JSON.stringify(s)),
    (e: unknown) => {
      console.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      process.exit(1);
    },
  );
}
