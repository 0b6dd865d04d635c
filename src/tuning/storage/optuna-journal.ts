/**
 * Optuna's journal format (Optuna 3.1's `JournalFileStorage`): one JSON object per line with an
 * `op_code`, studies and trials named by Optuna's ids (the study's and trial's position in the
 * log), distributions as JSON strings and parameter values in Optuna's internal form (a
 * categorical value is its choice's index). This codec turns those lines into our storage
 * operations and back, so the one reducer ({@link StudyState}) replays either, and Python
 * `optuna.load_study(storage=JournalStorage(JournalFileStorage(path)))` reads what we write.
 *
 * What has no Optuna field travels in trial system attributes, which Optuna keeps and ignores:
 * `lstm_lab:worker`, `lstm_lab:retry_of`, `lstm_lab:heartbeat`, `lstm_lab:stale`; a failed trial's
 * error is `fail_reason`, the attr Optuna 3.2 and later write (3.1 records no reason).
 */
import { LabError } from "../../errors.js";
import type { Direction, Distribution, FloatDistribution, IntDistribution, ParamValue, TrialState, WorkerInfo } from "../frozen-trial.js";
import type { StorageOp } from "./storage.js";

/** Optuna's `JournalOperation` codes. */
export const OP = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;

/** Optuna's `TrialState` values. */
const STATE = { running: 0, complete: 1, pruned: 2, fail: 3, waiting: 4 } as const;
const STATE_NAME: Record<number, Exclude<TrialState, "running"> | undefined> = { 1: "complete", 2: "pruned", 3: "fail" };

export type OptunaLog = Record<string, unknown> & { op_code: number };

/** Optuna's JSON of a distribution (`distribution_to_json`). */
export function distributionToOptuna(d: Distribution): string {
  if (d.kind === "categorical") return JSON.stringify({ name: "CategoricalDistribution", attributes: { choices: d.choices } });
  const name = d.kind === "float" ? "FloatDistribution" : "IntDistribution";
  const step = d.step ?? (d.kind === "int" ? 1 : null);
  return JSON.stringify({ name, attributes: { low: d.low, high: d.high, step, log: Boolean(d.log) } });
}

/** Our distribution from Optuna's JSON, including Optuna's pre-3.0 distribution classes. */
export function distributionFromOptuna(json: string): Distribution {
  const o = JSON.parse(json) as { name?: string; attributes?: Record<string, unknown>; type?: string } & Record<string, unknown>;
  const a = (o.attributes ?? o) as Record<string, unknown>;
  const num = (k: string) => a[k] as number;
  const numeric = (kind: "float" | "int", step: unknown, log: unknown): Distribution => {
    const d: FloatDistribution | IntDistribution = { kind, low: num("low"), high: num("high") };
    if (log === true) d.log = true;
    if (typeof step === "number" && !(kind === "int" && step === 1)) d.step = step;
    return d;
  };
  switch (o.name ?? o.type) {
    case "CategoricalDistribution":
    case "categorical": {
      const choices = a.choices as unknown[];
      const bad = choices.find((c) => !["string", "number", "boolean"].includes(typeof c));
      if (bad !== undefined) throw new LabError(`A categorical parameter of this Optuna journal has the choice ${JSON.stringify(bad)}; lstm-lab takes strings, numbers and booleans only.`);
      return { kind: "categorical", choices: choices as ParamValue[] };
    }
    case "FloatDistribution":
    case "float":
      return numeric("float", a.step, a.log);
    case "IntDistribution":
    case "int":
      return numeric("int", a.step, a.log);
    case "UniformDistribution":
      return numeric("float", null, false);
    case "LogUniformDistribution":
      return numeric("float", null, true);
    case "DiscreteUniformDistribution":
      return numeric("float", a.q, false);
    case "IntUniformDistribution":
      return numeric("int", a.step, false);
    case "IntLogUniformDistribution":
      return numeric("int", 1, true);
    default:
      throw new LabError(`Unknown Optuna distribution ${JSON.stringify(o.name ?? o.type)} in the journal.`);
  }
}

/** Optuna's internal form of a value: a float, or a categorical choice's index. */
export function toInternal(d: Distribution, v: ParamValue): number {
  if (d.kind !== "categorical") return v as number;
  const i = d.choices.findIndex((c) => c === v);
  if (i < 0) throw new LabError(`Value ${JSON.stringify(v)} is not one of the choices ${JSON.stringify(d.choices)}.`);
  return i;
}

export function fromInternal(d: Distribution, v: number): ParamValue {
  if (d.kind === "categorical") return d.choices[Math.round(v)] as ParamValue;
  return d.kind === "int" ? Math.round(v) : v;
}

/** Python's `datetime.now().isoformat(timespec="microseconds")`: local time, no offset. */
export function toPythonTime(iso: string): string {
  const t = new Date(iso);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}.${p(t.getMilliseconds(), 3)}000`;
}

/** An ISO UTC time from Python's isoformat (local time when it has no offset). */
export function fromPythonTime(s: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?(Z|[+-]\d\d:?\d\d)?$/.exec(s);
  if (!m) return new Date(s).toISOString();
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  if (zone) return new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec ?? "00"}.${String(ms).padStart(3, "0")}${zone === "Z" ? "Z" : zone.length === 5 ? zone.slice(0, 3) + ":" + zone.slice(3) : zone}`).toISOString();
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0), ms).toISOString();
}

/**
 * Python's `json.dumps`/`json.loads` write and read NaN and ±Infinity as bare words; JSON.parse
 * does not. These turn them into quoted markers (outside strings only) and back.
 */
const MARK = "__lstm_lab_non_finite__:";
export function parsePythonJson(line: string): unknown {
  const text = line.replace(/"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g, (all, word: string | undefined) => (word ? `"${MARK}${word}"` : all));
  return JSON.parse(text, (_k, v: unknown) => (typeof v === "string" && v.startsWith(MARK) ? Number(v.slice(MARK.length)) : v));
}
export function stringifyPythonJson(v: unknown): string {
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === "number" && !Number.isFinite(x) ? `${MARK}${x}` : x));
  return text.replace(new RegExp(`"${MARK}(-?Infinity|NaN)"`, "g"), "$1");
}

interface TrialRef {
  study: string;
  number: number;
}

/** Tracks Optuna's study and trial ids while a journal is replayed, and converts lines both ways. */
export class OptunaJournalCodec {
  readonly workerId: string;
  readonly #studyIds = new Map<string, number>();
  readonly #studyNames = new Map<number, string>();
  #nextStudyId = 0;
  readonly #trials: TrialRef[] = [];
  readonly #trialIds = new Map<string, number>();
  readonly #counts = new Map<string, number>();
  readonly #distributions = new Map<number, Record<string, Distribution>>();
  /** fail_reason and stale marks wait for the state change that ends the trial. */
  readonly #pending = new Map<number, { error?: string; stale?: boolean }>();

  constructor(workerId: string) {
    this.workerId = workerId;
  }

  /** Our operations for one Optuna log line (none for what we do not model: study attrs, deletes). */
  decode(log: OptunaLog): StorageOp[] {
    switch (log.op_code) {
      case OP.CREATE_STUDY: {
        const study = log.study_name as string;
        if (this.#studyIds.has(study)) return [];
        const id = this.#nextStudyId++;
        this.#studyIds.set(study, id);
        this.#studyNames.set(id, study);
        const direction: Direction = (log.directions as number[])[0] === 2 ? "maximize" : "minimize";
        const time = typeof log.lstm_lab_time === "string" ? log.lstm_lab_time : new Date(0).toISOString();
        return [{ op: "create_study", study, direction, time }];
      }
      case OP.CREATE_TRIAL: {
        const study = this.#studyNames.get(log.study_id as number);
        if (study === undefined) return [];
        const number = this.#counts.get(study) ?? 0;
        this.#counts.set(study, number + 1);
        const trialId = this.#trials.length;
        this.#trials.push({ study, number });
        this.#trialIds.set(`${study}\u0000${number}`, trialId);
        const distributions: Record<string, Distribution> = {};
        for (const [k, v] of Object.entries((log.distributions ?? {}) as Record<string, string>)) distributions[k] = distributionFromOptuna(v);
        this.#distributions.set(trialId, distributions);
        const params: Record<string, ParamValue> = {};
        for (const [k, v] of Object.entries((log.params ?? {}) as Record<string, number>)) params[k] = fromInternal(distributions[k] as Distribution, v);
        const sys = (log.system_attrs ?? {}) as Record<string, unknown>;
        const time = typeof log.datetime_start === "string" ? fromPythonTime(log.datetime_start) : new Date(0).toISOString();
        const ops: StorageOp[] = [
          {
            op: "create_trial",
            study,
            number,
            params,
            distributions,
            time,
            ...(sys["lstm_lab:worker"] ? { worker: sys["lstm_lab:worker"] as WorkerInfo } : {}),
            ...(typeof sys["lstm_lab:retry_of"] === "number" ? { retryOf: sys["lstm_lab:retry_of"] } : {}),
          },
        ];
        for (const [key, value] of Object.entries((log.user_attrs ?? {}) as Record<string, unknown>)) ops.push({ op: "set_user_attr", study, number, key, value });
        for (const [step, value] of Object.entries((log.intermediate_values ?? {}) as Record<string, number>)) ops.push({ op: "report", study, number, step: Number(step), value });
        const state = STATE_NAME[(log.state as number | undefined) ?? STATE.running];
        if (state) {
          const values = (log.values as number[] | null | undefined) ?? (typeof log.value === "number" ? [log.value] : null);
          const end = typeof log.datetime_complete === "string" ? fromPythonTime(log.datetime_complete) : time;
          ops.push({ op: "finish", study, number, state, value: values?.[0] ?? null, error: typeof sys.fail_reason === "string" ? sys.fail_reason : null, time: end });
        }
        return ops;
      }
      default:
        return this.#decodeTrialLog(log);
    }
  }

  #decodeTrialLog(log: OptunaLog): StorageOp[] {
    const trialId = log.trial_id as number;
    const ref = this.#trials[trialId];
    if (!ref) return [];
    const { study, number } = ref;
    switch (log.op_code) {
      case OP.SET_TRIAL_PARAM: {
        const distribution = distributionFromOptuna(log.distribution as string);
        const name = log.param_name as string;
        (this.#distributions.get(trialId) as Record<string, Distribution>)[name] = distribution;
        return [{ op: "set_param", study, number, name, value: fromInternal(distribution, log.param_value_internal as number), distribution }];
      }
      case OP.SET_TRIAL_INTERMEDIATE_VALUE:
        return [{ op: "report", study, number, step: log.step as number, value: log.intermediate_value as number }];
      case OP.SET_TRIAL_USER_ATTR:
        return Object.entries(log.user_attr as Record<string, unknown>).map(([key, value]) => ({ op: "set_user_attr" as const, study, number, key, value }));
      case OP.SET_TRIAL_SYSTEM_ATTR: {
        const [key, value] = Object.entries(log.system_attr as Record<string, unknown>)[0] ?? [];
        const p = this.#pending.get(trialId) ?? {};
        if (key === "lstm_lab:heartbeat" && typeof value === "string") return [{ op: "heartbeat", study, number, time: value }];
        if (key === "fail_reason" && typeof value === "string") this.#pending.set(trialId, { ...p, error: value });
        if (key === "lstm_lab:stale" && value === true) this.#pending.set(trialId, { ...p, stale: true });
        return [];
      }
      case OP.SET_TRIAL_STATE_VALUES: {
        const state = STATE_NAME[log.state as number];
        if (!state) return []; // RUNNING or WAITING: an Optuna worker taking a queued trial
        const p = this.#pending.get(trialId) ?? {};
        this.#pending.delete(trialId);
        const values = log.values as number[] | null;
        const time = typeof log.datetime_complete === "string" ? fromPythonTime(log.datetime_complete) : new Date().toISOString();
        return [{ op: "finish", study, number, state, value: values?.[0] ?? null, error: p.error ?? null, time, ...(p.stale ? { stale: true } : {}) }];
      }
      default:
        return []; // study attributes and deletions: not part of lstm-lab's model
    }
  }

  /** Optuna log lines for one of our operations (written together, under the journal's lock). */
  encode(op: StorageOp): OptunaLog[] {
    const w = { worker_id: this.workerId };
    if (op.op === "create_study") {
      return [{ op_code: OP.CREATE_STUDY, ...w, study_name: op.study, directions: [op.direction === "maximize" ? 2 : 1], lstm_lab_time: op.time }];
    }
    if (op.op === "create_trial") {
      const studyId = this.#studyIds.get(op.study) as number;
      const system: Record<string, unknown> = {};
      if (op.worker) system["lstm_lab:worker"] = op.worker;
      if (op.retryOf !== undefined) system["lstm_lab:retry_of"] = op.retryOf;
      return [
        {
          op_code: OP.CREATE_TRIAL,
          ...w,
          study_id: studyId,
          datetime_start: toPythonTime(op.time),
          state: STATE.running,
          value: null,
          values: null,
          distributions: Object.fromEntries(Object.entries(op.distributions).map(([k, d]) => [k, distributionToOptuna(d)])),
          params: Object.fromEntries(Object.entries(op.params).map(([k, v]) => [k, toInternal(op.distributions[k] as Distribution, v)])),
          user_attrs: {},
          system_attrs: system,
          intermediate_values: {},
        },
      ];
    }
    const trialId = this.#trialIds.get(`${op.study}\u0000${op.number}`) as number;
    const t = { ...w, trial_id: trialId };
    switch (op.op) {
      case "set_param":
        return [{ op_code: OP.SET_TRIAL_PARAM, ...t, param_name: op.name, param_value_internal: toInternal(op.distribution, op.value), distribution: distributionToOptuna(op.distribution) }];
      case "report":
        return [{ op_code: OP.SET_TRIAL_INTERMEDIATE_VALUE, ...t, step: op.step, intermediate_value: op.value }];
      case "set_user_attr":
        return [{ op_code: OP.SET_TRIAL_USER_ATTR, ...t, user_attr: { [op.key]: op.value } }];
      case "heartbeat":
        return [{ op_code: OP.SET_TRIAL_SYSTEM_ATTR, ...t, system_attr: { "lstm_lab:heartbeat": op.time } }];
      case "finish": {
        const lines: OptunaLog[] = [];
        if (op.error !== null) lines.push({ op_code: OP.SET_TRIAL_SYSTEM_ATTR, ...t, system_attr: { fail_reason: op.error } });
        if (op.stale) lines.push({ op_code: OP.SET_TRIAL_SYSTEM_ATTR, ...t, system_attr: { "lstm_lab:stale": true } });
        lines.push({ op_code: OP.SET_TRIAL_STATE_VALUES, ...t, state: STATE[op.state], values: op.value === null ? null : [op.value], datetime_complete: toPythonTime(op.time) });
        return lines;
      }
    }
  }
}
