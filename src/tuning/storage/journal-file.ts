/**
 * A study in an append-only journal file, in Optuna's `JournalFileStorage` format (see
 * optuna-journal.ts): each change is one or two JSON lines, written under a lock file and
 * fsync'd before the call returns. Opening the file replays it, so a study survives a crash or
 * `kill -9` without losing or repeating finished trials, several processes can share one study,
 * and Python Optuna 3.1 opens the same file (`JournalStorage(JournalFileStorage(path))`). A line
 * torn by a crash is skipped. A journal in lstm-lab's earlier format (lines with an "op" field)
 * still opens, and is kept in that format.
 */
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../errors.js";
import type { FrozenTrial } from "../frozen-trial.js";
import { FileLock } from "./file-lock.js";
import type { FileLockOptions } from "./file-lock.js";
import { reviveJson, stringifyJson } from "./json-numbers.js";
import { OpLogStorage } from "./op-log-storage.js";
import type { OpBuilder } from "./op-log-storage.js";
import { OptunaJournalCodec, parsePythonJson, stringifyPythonJson } from "./optuna-journal.js";
import type { OptunaLog } from "./optuna-journal.js";
import type { StorageOp } from "./storage.js";

/** "optuna": Optuna 3.1's journal lines; "lstm-lab-v1": the earlier format, one of our operations a line. */
export type JournalFormat = "optuna" | "lstm-lab-v1";

/**
 * Journal storage in one file, shareable by processes on this machine (or on a shared disk).
 * @example const study = await createStudy({ storage: new JournalFileStorage("runs/lstm.jsonl"), name: "lstm" });
 */
export class JournalFileStorage extends OpLogStorage {
  readonly path: string;
  readonly description: string;
  readonly #lock: FileLock;
  readonly #codec = new OptunaJournalCodec(`${randomUUID()}-${process.pid}`);
  /** The file's format, known from its first line; new files are written in Optuna's. */
  #format: JournalFormat | null = null;
  #offset = 0;
  /** Lines that could not be parsed (torn by a crash), for diagnostics. */
  skippedLines = 0;

  /** Opens (or creates) the journal at `file` and replays it. */
  constructor(file: string, lockOptions: FileLockOptions = {}) {
    super();
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
        let ops: StorageOp[];
        try {
          ops = this.#decode(line);
        } catch (e) {
          if (e instanceof SyntaxError) {
            this.skippedLines++;
            continue;
          }
          throw e;
        }
        for (const op of ops) this.state.apply(op);
      }
      this.#offset += lastNl + 1;
      return { tornTail: lastNl + 1 < buf.length };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The file's format (Optuna's for a new or empty file). */
  get format(): JournalFormat {
    return this.#format ?? "optuna";
  }

  #decode(line: string): StorageOp[] {
    if (this.#format === null) {
      const first = parsePythonJson(line) as Record<string, unknown>;
      this.#format = typeof first.op === "string" ? "lstm-lab-v1" : "optuna";
    }
    if (this.#format === "lstm-lab-v1") return [JSON.parse(line, reviveJson) as StorageOp];
    const log = parsePythonJson(line) as OptunaLog;
    if (typeof log.op_code !== "number") throw new SyntaxError("not a journal line");
    return this.#codec.decode(log);
  }

  #encode(op: StorageOp): string {
    if (this.format === "lstm-lab-v1") return stringifyJson(op) + "\n";
    return this.#codec.encode(op).map((l) => stringifyPythonJson(l) + "\n").join("");
  }

  protected async pull(): Promise<void> {
    this.#sync();
  }

  /** Reading a local file is cheap: the cached view of a journal is always the file as it is now. */
  override cachedTrials(study: string): readonly FrozenTrial[] {
    this.#sync();
    return this.state.trials(study);
  }

  /** Under the lock: catch up, build the op from the fresh state, check, append, fsync, apply. */
  protected async append(_study: string, build: OpBuilder): Promise<StorageOp | null> {
    return this.#lock.with(() => {
      const { tornTail } = this.#sync();
      const op = build(this.state);
      if (!op) return null;
      this.state.check(op);
      // a crashed writer may have left half a line: end it so ours starts clean
      const line = (tornTail ? "\n" : "") + this.#encode(op);
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

  async close(): Promise<void> {
    // every write closed its file already
  }
}
