/**
 * A worker process for parallel studies: opens a shared study (a journal file, or PostgreSQL for
 * several hosts), loads the objective from a module, and runs trials until the study-wide budget
 * is reached. Started by {@link optimizeParallel} and by `npx lstm-lab tune worker`; can also be
 * run by hand:
 *   node --import tsx src/tuning/worker.ts '{"storage":"runs/s.jsonl","study":"s","objectiveModule":"/abs/obj.ts","maxTotalTrials":40}'
 * The objective module exports `objective` (or `exportName`) and may export `space`, `sampler`,
 * `samplerOptions`, `pruner`, `prunerOptions` and `direction`; the config's values win.
 * The last line printed on stdout is a JSON summary. SIGTERM stops the worker after its running
 * trial (stopReason "stopped"); SIGINT interrupts it (the running trial fails as interrupted,
 * stopReason "interrupted"); an error the objective throws, unless listed in `catch`, fails its
 * trial and ends the worker with exit code 1 and the error on stderr.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as fs from "node:fs";
import { ConfigError } from "../errors.js";
import { show } from "../validate.js";
import type { PrunerName } from "./pruners/create-pruner.js";
import type { SamplerName } from "./samplers/create-sampler.js";
import { createPruner } from "./pruners/create-pruner.js";
import { createSampler } from "./samplers/create-sampler.js";
import type { SearchSpace, SpaceEntry } from "./space.js";
import { createStudy } from "./study.js";
import type { Objective, OptimizeResult } from "./study.js";
import type { Direction, FrozenTrial } from "./frozen-trial.js";

/** Everything a worker needs, as JSON. */
export interface WorkerConfig {
  /** A postgresql:// URL or a journal file path. */
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
  /** See `StudyOptions.heartbeatInterval`. @default 30 */
  heartbeatInterval?: number;
  /** See `StudyOptions.gracePeriod`. @default 2 × heartbeatInterval */
  gracePeriod?: number;
  /** See `StudyOptions.retryFailedTrials`. @default 0 */
  retryFailedTrials?: number;
  /** Print one line per finished trial on stdout. @default false */
  verbose?: boolean;
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
 * // not run: needs your objective module
 * const summary = await runWorker({ storage: "runs/s.jsonl", study: "s", objectiveModule: "./objective.ts", maxTotalTrials: 40 });
 */
export async function runWorker(config: WorkerConfig, control: WorkerControl = {}): Promise<WorkerSummary> {
  if (!config || typeof config.objectiveModule !== "string") throw new ConfigError(`\`objectiveModule\` must be a module path, got ${JSON.stringify(config?.objectiveModule)}.`);
  const modPath = path.resolve(config.objectiveModule);
  if (!fs.existsSync(modPath)) throw new ConfigError(`\`objective\` module ${modPath} does not exist.`);
  const mod = await importModule(modPath);
  const exportName = config.exportName ?? "objective";
  // a CommonJS module seen through import() may hold its exports under `default`
  const pick = (k: string): unknown => mod[k] ?? (mod.default as Record<string, unknown> | undefined)?.[k];
  const objective = pick(exportName);
  if (typeof objective !== "function") {
    const inner = typeof mod.default === "object" && mod.default !== null ? Object.keys(mod.default) : [];
    const names = [...new Set([...Object.keys(mod), ...inner])].filter((k) => k !== "default" && k !== "__esModule" && k !== "module.exports");
    throw new ConfigError(`Module ${modPath} has no function export ${show(exportName)} (it exports ${names.length ? names.join(", ") : "nothing"}); add \`export async function ${exportName}(trial) { ... }\`.`);
  }
  const sp = (config.space ?? pick("space") ?? null) as SearchSpace | Record<string, SpaceEntry> | null;
  const fromModule = <T>(k: string): T | undefined => pick(k) as T | undefined;
  const study = await createStudy({
    storage: config.storage,
    name: config.study,
    direction: config.direction ?? fromModule<Direction>("direction") ?? "minimize",
    space: sp,
    sampler: createSampler(config.sampler ?? fromModule<SamplerName>("sampler") ?? "gp", config.samplerOptions ?? fromModule<Record<string, unknown>>("samplerOptions") ?? {}),
    pruner: createPruner(config.pruner ?? fromModule<PrunerName>("pruner") ?? "none", config.prunerOptions ?? fromModule<Record<string, unknown>>("prunerOptions") ?? {}),
    seed: config.seed ?? 0,
    ...(config.heartbeatInterval !== undefined ? { heartbeatInterval: config.heartbeatInterval } : {}),
    ...(config.gracePeriod !== undefined ? { gracePeriod: config.gracePeriod } : {}),
    ...(config.retryFailedTrials !== undefined ? { retryFailedTrials: config.retryFailedTrials } : {}),
  });
  const stop = () => study.stop();
  if (control.stop?.aborted) {
    await study.storage.close();
    return { pid: process.pid, trials: [], stopReason: "stopped" };
  }
  control.stop?.addEventListener("abort", stop, { once: true });
  try {
    const r = await study.optimize(objective as Objective, {
      ...(config.nTrials !== undefined ? { nTrials: config.nTrials } : {}),
      ...(config.maxTotalTrials !== undefined ? { maxTotalTrials: config.maxTotalTrials } : {}),
      ...(config.timeoutSeconds !== undefined ? { timeoutSeconds: config.timeoutSeconds } : {}),
      ...(config.catch !== undefined ? { catch: config.catch } : {}),
      ...(control.signal !== undefined ? { signal: control.signal } : {}),
      ...(config.verbose ? { onTrialEnd: (t) => console.log(trialLine(t)) } : {}),
    });
    return { pid: process.pid, trials: r.trialNumbers, stopReason: r.stopReason };
  } finally {
    control.stop?.removeEventListener("abort", stop);
    await study.storage.close();
  }
}

/**
 * A real dynamic import, also from the CommonJS build (where tsc would turn `import()` into a
 * `require` that cannot load ES modules or file URLs). A TypeScript module is loaded through tsx
 * when this process does not already understand TypeScript.
 */
async function importModule(modPath: string): Promise<Record<string, unknown>> {
  const dynamicImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<Record<string, unknown>>;
  if (/\.[cm]?tsx?$/.test(modPath) && !process.execArgv.some((a) => a.includes("tsx"))) {
    // tsx's hooks for both loaders: a .ts file is CommonJS or ESM depending on its package.json
    let apis: { register(): unknown }[];
    try {
      apis = [(await dynamicImport("tsx/cjs/api")) as unknown as { register(): unknown }, (await dynamicImport("tsx/esm/api")) as unknown as { register(): unknown }];
    } catch {
      throw new ConfigError(`\`objective\` module ${modPath} is TypeScript, and loading it needs tsx (npm install --save-dev tsx), or compile it to .js.`);
    }
    for (const api of apis) api.register();
  }
  return dynamicImport(pathToFileURL(modPath).href);
}

/** One line per finished trial: `trial 7 complete value 0.0123 x=0.11 units=32 (1.2 s)`. */
function trialLine(t: FrozenTrial): string {
  const params = Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(6)) : String(v)}`).join(" ");
  const secs = t.end ? ` (${((Date.parse(t.end) - Date.parse(t.start)) / 1000).toFixed(1)} s)` : "";
  const what = t.state === "complete" || t.state === "pruned" ? `value ${t.value}` : t.error ?? "";
  return `trial ${t.number} ${t.state} ${what}${params ? " " + params : ""}${t.retryOf !== undefined ? ` (retry of ${t.retryOf})` : ""}${secs}`;
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
