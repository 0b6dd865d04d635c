/**
 * A study in PostgreSQL, for workers on several hosts. The study is the same operation log as a
 * journal file, one row per operation in `lstm_lab_ops`, replayed through the one reducer
 * ({@link StudyState}). Writers of a study take a transaction-level advisory lock on its name, so
 * a new trial's number is read and claimed in one step (no two workers share a number, none is
 * skipped) and each study's rows commit in id order, which lets every reader fetch only the rows
 * after the last one it saw. Each write sends a NOTIFY, for live views.
 *
 * A lost connection (a server restart, a network blip) is retried with backoff for `retryFor`
 * seconds (60 by default); an operation whose commit was not acknowledged is recognised by its
 * id when retried, so it is stored once. Only then, or on an error that waiting cannot cure (a
 * refused login, a missing database), does a call fail. The password never appears in errors,
 * logs or `description`.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { ConfigError, LabError } from "../../errors.js";
import { show } from "../../validate.js";
import { OpLogStorage } from "./op-log-storage.js";
import type { OpBuilder } from "./op-log-storage.js";
import type { StorageOp } from "./storage.js";
import { reviveJson, stringifyJson } from "./json-numbers.js";

/** Options of {@link PostgresStorage}. */
export interface PostgresStorageOptions {
  /** Keep retrying an operation whose connection failed for this many seconds. @default 60 */
  retryFor?: number;
  /** Connections this process opens at most. @default 2 */
  maxConnections?: number;
}

const DEFAULTS: Required<PostgresStorageOptions> = { retryFor: 60, maxConnections: 2 };

/** The NOTIFY channel every write signals, with the study's name as payload. */
export const NOTIFY_CHANNEL = "lstm_lab_ops";

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS lstm_lab_ops (id bigserial PRIMARY KEY, study text NOT NULL, uid text NOT NULL UNIQUE, op text NOT NULL)",
  "CREATE INDEX IF NOT EXISTS lstm_lab_ops_study_id ON lstm_lab_ops (study, id)",
];
/** Any constant: serialises the first `CREATE TABLE IF NOT EXISTS` of workers starting together. */
const SCHEMA_LOCK = 7_305_517;

/** Error codes (node's and PostgreSQL's SQLSTATE) that mean "the server is not there right now". */
const TRANSIENT = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOENT", "57P01", "57P02", "57P03", "53300"]);

function isTransient(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && (TRANSIENT.has(code) || code.startsWith("08"))) return true;
  return /Connection terminated|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(e.message);
}

/** Replaces the password of a URL with *** in any text, also when the URL does not parse. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:@/\s]*):[^@]*@/g, "$1:***@");
}

/** The parts of a PostgreSQL URL that may be printed. */
interface Target {
  user: string;
  host: string;
  port: string;
  database: string;
  password: string;
}

function parseUrl(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`\`storage\` ${show(redactUrl(url))} is not a valid URL; write it as postgresql://user:password@host:5432/database.`);
  }
  if (u.protocol !== "postgresql:" && u.protocol !== "postgres:") {
    throw new ConfigError(`\`storage\` ${show(redactUrl(url))} is not a PostgreSQL URL (scheme ${show(u.protocol)}); write it as postgresql://user:password@host:5432/database.`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (database === "" || database.includes("/")) {
    throw new ConfigError(`\`storage\` ${show(redactUrl(url))} names no database; write it as postgresql://user:password@host:5432/database.`);
  }
  if (u.port !== "" && !/^\d+$/.test(u.port)) throw new ConfigError(`\`storage\` ${show(redactUrl(url))} has port ${show(u.port)}, not a number.`);
  const socketDir = u.searchParams.get("host");
  return {
    user: decodeURIComponent(u.username),
    host: u.hostname !== "" ? u.hostname : socketDir ?? "localhost",
    port: u.port !== "" ? u.port : (u.searchParams.get("port") ?? "5432"),
    database,
    password: decodeURIComponent(u.password),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ignore = (): void => undefined;

/**
 * Storage in a PostgreSQL database (Optuna's RDBStorage, for many hosts). The tables are
 * created on first use; the database must exist.
 * @example
 * declare const sp: SearchSpace;
 * const study = await createStudy({ storage: "postgresql://lab:secret@db.local:5432/tuning", name: "lstm", space: sp });
 * // or, with options:
 * const storage = new PostgresStorage("postgresql://lab:secret@db.local:5432/tuning", { retryFor: 120 });
 */
export class PostgresStorage extends OpLogStorage {
  /** `postgresql://user@host:port/database`: the URL without its password. */
  readonly description: string;
  readonly options: Required<PostgresStorageOptions>;
  readonly #url: string;
  readonly #target: Target;
  readonly #pool: pg.Pool;
  /** Id of the last row read, by study. */
  readonly #lastId = new Map<string, string>();
  /** Operations this process is writing, by uid, so a retried write finds one that landed. */
  readonly #landed = new Map<string, StorageOp>();
  #ready: Promise<void> | null = null;
  #closed = false;

  constructor(url: string, options: PostgresStorageOptions = {}) {
    super();
    if (typeof url !== "string") throw new ConfigError(`\`storage\` must be a postgresql:// URL string, got ${show(url)}.`);
    this.#target = parseUrl(url);
    this.#url = url;
    const o = { ...DEFAULTS, ...options };
    if (typeof o.retryFor !== "number" || !(o.retryFor >= 0)) throw new ConfigError(`\`retryFor\` must be a non-negative number of seconds, got ${show(o.retryFor)}.`);
    if (!Number.isInteger(o.maxConnections) || o.maxConnections < 1) throw new ConfigError(`\`maxConnections\` must be a positive integer, got ${show(o.maxConnections)}.`);
    this.options = o;
    const t = this.#target;
    this.description = `postgresql://${t.user ? encodeURIComponent(t.user) + "@" : ""}${t.host.startsWith("/") ? "" : t.host}:${t.port}/${encodeURIComponent(t.database)}${t.host.startsWith("/") ? `?host=${t.host}` : ""}`;
    this.#pool = new pg.Pool({ connectionString: url, max: o.maxConnections, connectionTimeoutMillis: 5000, keepAlive: true });
    // an idle connection dropped by a server restart: the next query opens a new one
    this.#pool.on("error", () => undefined);
  }

  /** Where the server is, for messages: host and port, never the password. */
  get where(): string {
    const t = this.#target;
    return `${t.host}:${t.port} (database ${show(t.database)}${t.user ? `, user ${show(t.user)}` : ""})`;
  }

  /** Text with the password removed, whatever produced it. */
  #clean(text: string): string {
    const p = this.#target.password;
    const once = redactUrl(text);
    return p ? once.split(p).join("***").split(encodeURIComponent(p)).join("***") : once;
  }

  /** Runs `fn` on a pooled connection, retrying with backoff while the server cannot be reached. */
  async #retry<T>(what: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new LabError(`The storage ${this.description} is closed.`);
    const t0 = Date.now();
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient | null = null;
      try {
        client = await this.#pool.connect();
        // a connection dropped between two queries emits "error" on the client it is checked out
        // to; the next query then fails and is retried here, so the event itself needs no action
        client.on("error", ignore);
        this.#ready ??= this.#createSchema(client);
        await this.#ready;
        const r = await fn(client);
        client.off("error", ignore);
        client.release();
        return r;
      } catch (e) {
        const transient = isTransient(e);
        if (client) {
          client.off("error", ignore);
          client.release(transient ? (e as Error) : undefined);
        }
        if (transient) this.#ready = null;
        const message = this.#clean(e instanceof Error ? e.message : String(e));
        if (!transient) {
          if (e instanceof LabError) throw e;
          const code = (e as { code?: unknown }).code;
          const hint = code === "28P01" || code === "28000" ? " Check the user and password in the URL." : code === "3D000" ? " Create the database first (createdb), or name an existing one." : "";
          throw new LabError(`PostgreSQL at ${this.where} failed while ${what}${typeof code === "string" ? ` (${code})` : ""}: ${message}.${hint}`);
        }
        const waited = (Date.now() - t0) / 1000;
        if (waited >= this.options.retryFor) {
          throw new LabError(`Could not reach PostgreSQL at ${this.where} while ${what}; retried for ${waited.toFixed(1)} s (\`retryFor\` is ${this.options.retryFor} s). Last error: ${message}.`);
        }
        await sleep(Math.min(2000, 50 * 2 ** attempt, Math.max(10, this.options.retryFor * 1000 - (Date.now() - t0))));
      }
    }
  }

  async #createSchema(client: pg.PoolClient): Promise<void> {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
      for (const sql of SCHEMA) await client.query(sql);
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  }

  /** Applies the rows of `study` after the last one read; returns the op of `uid` if it was among them. */
  async #pullWith(client: pg.PoolClient, study: string, uid: string | null): Promise<StorageOp | null> {
    const r = await client.query<{ id: string; uid: string; op: string }>("SELECT id, uid, op FROM lstm_lab_ops WHERE study = $1 AND id > $2 ORDER BY id", [study, this.#lastId.get(study) ?? "0"]);
    let mine: StorageOp | null = null;
    for (const row of r.rows) {
      const op = JSON.parse(row.op, reviveJson) as StorageOp;
      this.state.apply(op);
      this.#lastId.set(study, row.id);
      if (row.uid === uid) mine = op;
    }
    return mine;
  }

  protected async pull(study: string | null): Promise<void> {
    await this.#retry(study === null ? "listing studies" : `reading study ${show(study)}`, async (client) => {
      const names = study !== null ? [study] : (await client.query<{ study: string }>("SELECT DISTINCT study FROM lstm_lab_ops")).rows.map((r) => r.study);
      for (const name of names) await this.#pullWith(client, name, null);
    });
  }

  protected async append(study: string, build: OpBuilder): Promise<StorageOp | null> {
    const uid = randomUUID();
    return this.#retry(`writing to study ${show(study)}`, async (client) => {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`lstm_lab:${study}`]);
        // a retry after a lost acknowledgement: the first attempt did commit
        const landed = await this.#pullWith(client, study, uid);
        if (landed) {
          await client.query("COMMIT");
          return landed;
        }
        const op = build(this.state);
        if (!op) {
          await client.query("COMMIT");
          return null;
        }
        this.state.check(op);
        const r = await client.query<{ id: string }>("INSERT INTO lstm_lab_ops (study, uid, op) VALUES ($1, $2, $3) RETURNING id", [study, uid, stringifyJson(op)]);
        await client.query("SELECT pg_notify($1, $2)", [NOTIFY_CHANNEL, study]);
        await client.query("COMMIT");
        this.state.apply(op);
        this.#lastId.set(study, (r.rows[0] as { id: string }).id);
        return op;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      }
    });
  }

  /**
   * Calls `listener` whenever any process writes to `study` (LISTEN/NOTIFY on its own
   * connection). If that connection drops, it is opened again with the same backoff.
   */
  async subscribe(study: string, listener: () => void): Promise<() => Promise<void>> {
    let client: pg.Client | null = null;
    let stopped = false;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: this.#url, connectionTimeoutMillis: 5000, keepAlive: true });
      c.on("notification", (n) => {
        if (n.payload === study) listener();
      });
      c.on("error", () => {
        if (stopped) return;
        client = null;
        // the storage's reads retry on their own; reconnect the listener in the background
        void this.#retry("listening for changes", async () => {
          if (!stopped && client === null) await connect();
        }).then(listener, () => undefined);
      });
      await c.connect();
      await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
      client = c;
    };
    await this.#retry("listening for changes", () => connect());
    return async () => {
      stopped = true;
      await client?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
