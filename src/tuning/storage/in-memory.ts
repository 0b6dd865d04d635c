/** The default storage: the study lives in this process and is gone when it ends. */
import { OpLogStorage } from "./op-log-storage.js";
import type { OpBuilder } from "./op-log-storage.js";
import type { StorageOp } from "./storage.js";

/**
 * Keeps studies in memory (Optuna's InMemoryStorage): the log is the replica itself.
 * @example const study = await createStudy({ storage: new InMemoryStorage(), name: "quick" });
 */
export class InMemoryStorage extends OpLogStorage {
  readonly description = "in-memory";

  protected async pull(): Promise<void> {
    // nobody else writes here
  }

  protected async append(_study: string, build: OpBuilder): Promise<StorageOp | null> {
    const op = build(this.state);
    if (!op) return null;
    this.state.check(op);
    this.state.apply(op);
    return op;
  }

  async close(): Promise<void> {
    // nothing to release
  }
}
