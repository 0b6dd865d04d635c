// A throwaway PostgreSQL 15 server for the tests: initdb in a temp dir owned by `postgres`,
// pg_ctl start on 127.0.0.1 and a Unix socket in that dir, on a free port; stopped (and the dir
// removed) by stop(), which the tests call in `after` so it also runs when a test fails.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const PG_BIN = "/usr/lib/postgresql/15/bin";

/** Why a PostgreSQL server cannot be started here, or null when it can. */
export function pgUnavailable(): string | null {
  if (!fs.existsSync(path.join(PG_BIN, "pg_ctl"))) return `PostgreSQL 15 is not installed (${PG_BIN}); npm test installs it as root on Debian: apt-get install -y postgresql`;
  if (process.getuid?.() !== 0) return "starting a PostgreSQL server needs root (initdb and pg_ctl run as the postgres user)";
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

function asPostgres(cmd: string, args: string[]): void {
  const r = spawnSync("runuser", ["-u", "postgres", "--", path.join(PG_BIN, cmd), ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
}

export interface PgServer {
  dir: string;
  port: number;
  /** A URL for database `db` (created by createDatabase). */
  url(db: string, password?: string): string;
  createDatabase(db: string): void;
  /** Fast shutdown (disconnects every client), then start again on the same port. */
  stop(): void;
  start(): void;
  /** Stops the server and removes its directory. */
  destroy(): void;
}

export async function startPg(): Promise<PgServer> {
  const why = pgUnavailable();
  if (why) throw new Error(why);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-pg-"));
  fs.chmodSync(dir, 0o755);
  execFileSync("chown", ["postgres:postgres", dir]);
  const data = path.join(dir, "data");
  asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const port = await freePort();
  let running = false;
  const server: PgServer = {
    dir,
    port,
    url: (db, password) => `postgresql://postgres${password !== undefined ? ":" + encodeURIComponent(password) : ""}@127.0.0.1:${port}/${db}`,
    createDatabase(db) {
      asPostgres("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", db]);
    },
    start() {
      asPostgres("pg_ctl", ["-D", data, "-o", `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off`, "-l", path.join(dir, "log"), "-w", "start"]);
      running = true;
    },
    stop() {
      if (!running) return;
      asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      running = false;
    },
    destroy() {
      try {
        server.stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  server.start();
  return server;
}
