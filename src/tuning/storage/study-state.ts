/**
 * Replays storage operations into studies and trials. Every storage uses it, so a journal
 * replayed from disk or a log read from PostgreSQL gives exactly the state the writer had.
 */
import { ConfigError } from "../../errors.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { StorageOp, StudyRecord } from "./storage.js";

interface StudyEntry {
  record: StudyRecord;
  trials: FrozenTrial[];
}

export class StudyState {
  readonly #studies = new Map<string, StudyEntry>();

  /** Applies one operation. Operations on unknown studies or trials are ignored (a torn journal). */
  apply(op: StorageOp): void {
    if (op.op === "create_study") {
      if (!this.#studies.has(op.study)) this.#studies.set(op.study, { record: { name: op.study, direction: op.direction, created: op.time }, trials: [] });
      return;
    }
    const s = this.#studies.get(op.study);
    if (!s) return;
    if (op.op === "create_trial") {
      if (op.number !== s.trials.length) return; // a duplicate from a retried write
      s.trials.push({
        number: op.number,
        state: "running",
        params: { ...op.params },
        distributions: { ...op.distributions },
        value: null,
        intermediate: {},
        start: op.time,
        end: null,
        error: null,
        userAttrs: {},
        ...(op.worker ? { worker: op.worker } : {}),
        ...(op.retryOf !== undefined ? { retryOf: op.retryOf } : {}),
      });
      return;
    }
    const t = s.trials[op.number];
    if (!t) return;
    switch (op.op) {
      case "set_param":
        t.params[op.name] = op.value;
        t.distributions[op.name] = op.distribution;
        break;
      case "report":
        t.intermediate[op.step] = op.value;
        break;
      case "set_user_attr":
        t.userAttrs[op.key] = op.value;
        break;
      case "heartbeat":
        if (t.state === "running") t.heartbeat = op.time;
        break;
      case "finish":
        if (t.state !== "running") break; // the first finish wins
        t.state = op.state;
        t.value = op.value;
        t.error = op.error;
        t.end = op.time;
        if (op.stale) t.stale = true;
        break;
    }
  }

  /** Checks `op` against the current state before it is written; throws on misuse. */
  check(op: StorageOp): void {
    if (op.op === "create_study") return;
    const s = this.#studies.get(op.study);
    if (!s) throw new ConfigError(`No study named ${JSON.stringify(op.study)} in this storage.`);
    if (op.op === "create_trial") return;
    const t = s.trials[op.number];
    if (!t) throw new ConfigError(`Study ${JSON.stringify(op.study)} has no trial ${op.number}.`);
    if (t.state !== "running") {
      throw new ConfigError(`Trial ${op.number} of study ${JSON.stringify(op.study)} is already ${t.state}; it cannot be changed.`);
    }
  }

  record(study: string): StudyRecord | null {
    return this.#studies.get(study)?.record ?? null;
  }

  names(): string[] {
    return [...this.#studies.keys()];
  }

  /** Deep copies, so callers can never change stored state. */
  trials(study: string): FrozenTrial[] {
    return (this.#studies.get(study)?.trials ?? []).map(copyTrial);
  }

  /** A copy of one trial, or null. */
  trial(study: string, number: number): FrozenTrial | null {
    const t = this.#studies.get(study)?.trials[number];
    return t ? copyTrial(t) : null;
  }

  /** The number the next trial of `study` gets. */
  nextNumber(study: string): number {
    return this.#studies.get(study)?.trials.length ?? 0;
  }
}

export function copyTrial(t: FrozenTrial): FrozenTrial {
  return {
    ...t,
    params: { ...t.params },
    distributions: { ...t.distributions },
    intermediate: { ...t.intermediate },
    userAttrs: structuredClone(t.userAttrs),
    ...(t.worker ? { worker: { ...t.worker } } : {}),
  };
}
