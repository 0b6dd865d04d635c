/**
 * A study in an append-only file of JSON lines (like Optuna's JournalFileStorage): each change
 * is one line, written under a lock file and fsync'd before the call returns. Opening the file
 * replays it, so a study survives a crash or `kill -9` without losing or repeating finished
 * trials, and several processes can share one study. A line torn by a crash is skipped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../errors.js";
import type { Direction, Distribution, FrozenTrial, ParamValue, TrialState, WorkerInfo } from "../trial.js";
import { FileLock } from "./file-lock.js";
import type { FileLockOptions } from "./file-lock.js";
import type { Storage, StorageOp, StudyRecord, TrialProposal } from "./storage.js";
import { StudyState } from "./study-state.js";

/** Non-finite numbers survive JSON as {"$num": "NaN"}. */
function replacer(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? { $num: String(v) } : v;
}
function reviver(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && "$num" in v && Object.keys(v).length === 1) return Number((v as { $num: string }).$num);
  return v;
}

/** Journal storage in one file, shareable by processes on this machine. */
export class JournalFileStorage implements Storage {
  readonly path: string;
  readonly description: string;
  readonly #lock: FileLock;
  readonly #state = new StudyState();
  #offset = 0;
  /** Lines that could not be parsed (torn by a crash), for diagnostics. */
  skippedLines = 0;

  /** Opens (or creates) the journal at `file` and replays it. */
  constructor(file: string, lockOptions: FileLockOptions = {}) {
    if (typeof file !== "string" || file.length === 0) throw new ConfigError(`\`storage\` path must be a non-empty string, got ${JSON.stringify(file)}.`);
    this.path = path.resolve(file);
    this.description = `journal ${this.path}`;
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    fs.closeSync(fs.openSync(this.path, "a"));
    this.#lock = new FileLock(this.path + ".lock", lockOptions);
    this.#sync();
  }

  /** Reads complete lines appended since the last read (by anyone) and applies them. */
  #sync(): { tornTail: boolean } {
    const fd = fs.openSync(this.path, "r");
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.#offset) return { tornTail: false };
      const buf = Buffer.alloc(size - this.#offset);
      fs.readSync(fd, buf, 0, buf.length, this.#offset);
      const lastNl = buf.lastIndexOf(0x0a);
      if (lastNl < 0) return { tornTail: true };
      const text = buf.subarray(0, lastNl).toString("utf8");
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        let op: StorageOp;
        try {
          op = JSON.parse(line, reviver) as StorageOp;
        } catch {
          this.skippedLines++;
          continue;
        }
        this.#state.apply(op);
      }
      this.#offset += lastNl + 1;
      return { tornTail: lastNl + 1 < buf.length };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Under the lock: catch up, let `build` make the op from the fresh state, check, append, fsync, apply. */
  #append(build: () => StorageOp | null): StorageOp | null {
    return this.#lock.with(() => {
      const { tornTail } = this.#sync();
      const op = build();
      if (!op) return null;
      this.#state.check(op);
      // a crashed writer may have left half a line: end it so ours starts clean
      const line = (tornTail ? "\n" : "") + JSON.stringify(op, replacer) + "\n";
      const fd = fs.openSync(this.path, "a");
      try {
        fs.writeSync(fd, line);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.#sync();
      return op;
    });
  }

  openStudy(name: string, direction: Direction): StudyRecord {
    this.#sync();
    const existing = this.#state.record(name);
    if (existing) return existing;
    this.#append(() => (this.#state.record(name) ? null : { op: "create_study", study: name, direction, time: new Date().toISOString() }));
    return this.#state.record(name) as StudyRecord;
  }

  getStudy(name: string): StudyRecord | null {
    this.#sync();
    return this.#state.record(name);
  }

  studyNames(): string[] {
    this.#sync();
    return this.#state.names();
  }

  trials(study: string): readonly FrozenTrial[] {
    this.#sync();
    return this.#state.trials(study);
  }

  createTrial(study: string, propose: (trials: readonly FrozenTrial[]) => TrialProposal | null, worker: WorkerInfo): FrozenTrial | null {
    const op = this.#append(() => {
      const p = propose(this.#state.trials(study));
      if (!p) return null;
      return { op: "create_trial", study, number: this.#state.nextNumber(study), params: p.params, distributions: p.distributions, time: new Date().toISOString(), worker };
    });
    if (!op || op.op !== "create_trial") return null;
    return this.#state.trials(study)[op.number] as FrozenTrial;
  }

  setParam(study: string, number: number, name: string, value: ParamValue, distribution: Distribution): void {
    this.#append(() => ({ op: "set_param", study, number, name, value, distribution }));
  }

  report(study: string, number: number, step: number, value: number): void {
    this.#append(() => ({ op: "report", study, number, step, value }));
  }

  setUserAttr(study: string, number: number, key: string, value: unknown): void {
    this.#append(() => ({ op: "set_user_attr", study, number, key, value }));
  }

  finishTrial(study: string, number: number, state: Exclude<TrialState, "running">, value: number | null, error: string | null): void {
    this.#append(() => ({ op: "finish", study, number, state, value, error, time: new Date().toISOString() }));
  }
}
