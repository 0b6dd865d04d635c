/**
 * `lstm-lab tune worker`: one worker on any host, joining a shared study.
 *
 *   npx lstm-lab tune worker --storage URL --study NAME --objective ./objective.ts [--trials N] [--timeout S]
 *       [--sampler gp|random|grid] [--seed K] [--heartbeat S] [--grace S] [--retries N] [--catch ErrorName]...
 *
 * It runs trials until the study holds N trials (counting every worker's) or S seconds have
 * passed, printing one line per finished trial and a last summary line. Ctrl-C interrupts the
 * running trial (it is stored as failed); SIGTERM lets it finish first.
 */
import { ConfigError } from "../errors.js";
import { show } from "../validate.js";
import { redactUrl } from "./storage/postgres.js";
import { runWorker } from "./worker.js";
import type { WorkerConfig, WorkerSummary } from "./worker.js";

type Flag = { key: keyof WorkerConfig; kind: "string" | "int" | "number" | "list" };
const FLAGS: Record<string, Flag> = {
  "--storage": { key: "storage", kind: "string" },
  "--study": { key: "study", kind: "string" },
  "--objective": { key: "objectiveModule", kind: "string" },
  "--trials": { key: "maxTotalTrials", kind: "int" },
  "--timeout": { key: "timeoutSeconds", kind: "number" },
  "--sampler": { key: "sampler", kind: "string" },
  "--seed": { key: "seed", kind: "int" },
  "--heartbeat": { key: "heartbeatInterval", kind: "number" },
  "--grace": { key: "gracePeriod", kind: "number" },
  "--retries": { key: "retryFailedTrials", kind: "int" },
  "--catch": { key: "catch", kind: "list" },
};

/**
 * The worker config a `tune worker` command line describes; throws a ConfigError naming the
 * option and the value for anything wrong.
 * @example parseTuneWorkerArgs(["--storage", "runs/s.jsonl", "--study", "s", "--objective", "obj.ts", "--trials", "40"]).maxTotalTrials // 40
 */
export function parseTuneWorkerArgs(argv: readonly string[]): WorkerConfig {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const flag = FLAGS[name];
    if (!flag) throw new ConfigError(`Unknown option ${show(name)} of \`lstm-lab tune worker\`. Choose from: ${Object.keys(FLAGS).join(", ")}.`);
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new ConfigError(`Option ${name} needs a value.`);
    const shown = name === "--storage" ? redactUrl(value) : value;
    if (flag.kind === "int" || flag.kind === "number") {
      const v = Number(value);
      const ok = value.trim() !== "" && Number.isFinite(v) && (flag.kind === "number" ? v > 0 : Number.isInteger(v) && v >= 0);
      if (!ok) throw new ConfigError(`Option ${name} must be a ${flag.kind === "int" ? "non-negative integer" : "positive number"}, got ${show(shown)}.`);
      out[flag.key] = v;
    } else if (flag.kind === "list") {
      out[flag.key] = [...((out[flag.key] as string[] | undefined) ?? []), value];
    } else {
      out[flag.key] = value;
    }
  }
  for (const need of ["--storage", "--study", "--objective"]) {
    if (out[(FLAGS[need] as Flag).key] === undefined) throw new ConfigError(`\`lstm-lab tune worker\` needs ${need}.`);
  }
  if (out.maxTotalTrials === undefined && out.timeoutSeconds === undefined) {
    throw new ConfigError("`lstm-lab tune worker` needs a budget: --trials N (trials in the study) or --timeout S (seconds).");
  }
  if (out.maxTotalTrials === 0) throw new ConfigError("Option --trials must be a positive integer, got 0.");
  return out as unknown as WorkerConfig;
}

/**
 * Runs `lstm-lab tune worker` with these arguments: prints one line per trial through `print`,
 * wires SIGINT (interrupt the running trial) and SIGTERM (finish it, then stop), and returns the
 * summary line.
 * @example
 * // not run: needs a PostgreSQL server and your objective module
 * await tuneWorker(["--storage", "postgresql://lab@db:5432/tune", "--study", "lstm", "--objective", "./objective.ts", "--trials", "200"]);
 */
export async function tuneWorker(argv: readonly string[]): Promise<string> {
  const config: WorkerConfig = { ...parseTuneWorkerArgs(argv), verbose: true };
  const interrupt = new AbortController();
  const stop = new AbortController();
  const onInt = () => interrupt.abort(new Error(`Worker ${process.pid} was interrupted (SIGINT)`));
  const onTerm = () => stop.abort();
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  let s: WorkerSummary;
  try {
    s = await runWorker(config, { signal: interrupt.signal, stop: stop.signal });
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  return `worker ${s.pid} ran ${s.trials.length} trial${s.trials.length === 1 ? "" : "s"} (${s.trials.join(", ") || "none"}); stopped: ${s.stopReason}`;
}
