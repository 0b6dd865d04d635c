/** The default storage: the study lives in this process and is gone when it ends. */
import type { Direction, Distribution, FrozenTrial, ParamValue, TrialState, WorkerInfo } from "../trial.js";
import type { Storage, StorageOp, StudyRecord, TrialProposal } from "./storage.js";
import { StudyState } from "./study-state.js";

/** Keeps studies in memory (Optuna's InMemoryStorage). */
export class InMemoryStorage implements Storage {
  readonly description = "in-memory";
  readonly #state = new StudyState();

  #write(op: StorageOp): void {
    this.#state.check(op);
    this.#state.apply(op);
  }

  openStudy(name: string, direction: Direction): StudyRecord {
    this.#write({ op: "create_study", study: name, direction, time: new Date().toISOString() });
    return this.#state.record(name) as StudyRecord;
  }

  getStudy(name: string): StudyRecord | null {
    return this.#state.record(name);
  }

  studyNames(): string[] {
    return this.#state.names();
  }

  trials(study: string): readonly FrozenTrial[] {
    return this.#state.trials(study);
  }

  createTrial(study: string, propose: (trials: readonly FrozenTrial[]) => TrialProposal | null, worker: WorkerInfo): FrozenTrial | null {
    const p = propose(this.#state.trials(study));
    if (!p) return null;
    const number = this.#state.nextNumber(study);
    this.#write({ op: "create_trial", study, number, params: p.params, distributions: p.distributions, time: new Date().toISOString(), worker });
    return this.#state.trials(study)[number] as FrozenTrial;
  }

  setParam(study: string, number: number, name: string, value: ParamValue, distribution: Distribution): void {
    this.#write({ op: "set_param", study, number, name, value, distribution });
  }

  report(study: string, number: number, step: number, value: number): void {
    this.#write({ op: "report", study, number, step, value });
  }

  setUserAttr(study: string, number: number, key: string, value: unknown): void {
    this.#write({ op: "set_user_attr", study, number, key, value: structuredClone(value) });
  }

  finishTrial(study: string, number: number, state: Exclude<TrialState, "running">, value: number | null, error: string | null): void {
    this.#write({ op: "finish", study, number, state, value, error, time: new Date().toISOString() });
  }
}
