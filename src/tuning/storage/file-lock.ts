/**
 * A cross-process lock on a file path, without fcntl: the lock is a file created with O_EXCL
 * holding the owner's pid, host and time. Optuna's journal lock (a symlink at the same path)
 * excludes it and is excluded by it, so Python Optuna workers and ours can share a journal. A lock whose owner process is gone (same host) or that
 * is older than `staleMs` is broken. Held only for the few milliseconds of a journal append.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { LabError } from "../../errors.js";

/** Options of the file lock a journal file storage takes while it appends. */
export interface FileLockOptions {
  /** Give up after waiting this long. @default 30000 */ timeoutMs?: number;
  /** Break a lock older than this, whoever holds it. @default 15000 */ staleMs?: number;
}

const DEFAULTS: Required<FileLockOptions> = { timeoutMs: 30_000, staleMs: 15_000 };

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` (the journal API is synchronous, like fs). */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** True when a process with this pid exists on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** An O_EXCL lock file next to the file it protects. */
export class FileLock {
  readonly path: string;
  readonly options: Required<FileLockOptions>;

  constructor(path: string, options: FileLockOptions = {}) {
    this.path = path;
    this.options = { ...DEFAULTS, ...options };
  }

  /** Runs `fn` while holding the lock. */
  with<T>(fn: () => T): T {
    this.acquire();
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  acquire(): void {
    const t0 = Date.now();
    const me = JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now() });
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = fs.openSync(this.path, "wx");
        fs.writeSync(fd, me);
        fs.closeSync(fd);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      if (this.#breakIfStale()) continue;
      if (Date.now() - t0 > this.options.timeoutMs) {
        throw new LabError(`Could not lock ${this.path} within ${this.options.timeoutMs} ms (held by ${this.#holder()}).`);
      }
      sleepSync(Math.min(50, 2 + attempt * 2) + (process.pid % 7));
    }
  }

  release(): void {
    try {
      fs.unlinkSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }

  #holder(): string {
    try {
      return fs.readFileSync(this.path, "utf8") || "unknown";
    } catch {
      return "nobody now";
    }
  }

  /** Removes the lock when its owner died or it is too old; true when removed. */
  #breakIfStale(): boolean {
    let text: string;
    let mtime: number;
    try {
      // Optuna's JournalFileSymlinkLock is a symlink to the journal: judge the link, not the journal
      const st = fs.lstatSync(this.path);
      text = st.isSymbolicLink() ? `symlink to ${fs.readlinkSync(this.path)}` : fs.readFileSync(this.path, "utf8");
      mtime = st.mtimeMs;
    } catch {
      return true; // released meanwhile: try again at once
    }
    let stale = Date.now() - mtime > this.options.staleMs;
    try {
      const o = JSON.parse(text) as { pid?: number; host?: string };
      if (o.host === os.hostname() && typeof o.pid === "number" && !processAlive(o.pid)) stale = true;
    } catch {
      // a lock file being written right now reads as empty: only age can make it stale
    }
    if (!stale) return false;
    try {
      // only break it if it is still the same lock we judged
      const st = fs.lstatSync(this.path);
      const now = st.isSymbolicLink() ? `symlink to ${fs.readlinkSync(this.path)}` : fs.readFileSync(this.path, "utf8");
      if (now === text && st.mtimeMs === mtime) fs.unlinkSync(this.path);
    } catch {
      // gone already
    }
    return true;
  }
}
