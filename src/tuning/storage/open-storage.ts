/** The one place a `storage` string becomes a storage. */
import { ConfigError } from "../../errors.js";
import { show } from "../../validate.js";
import { InMemoryStorage } from "./in-memory.js";
import { JournalFileStorage } from "./journal-file.js";
import { PostgresStorage, redactUrl } from "./postgres.js";
import type { Storage } from "./storage.js";

/**
 * A storage for `createStudy({ storage })`: in memory for undefined, PostgreSQL for a
 * `postgresql://` (or `postgres://`) URL, a journal file for any other string, which is a path.
 * @example openStorage("postgresql://lab:secret@db.local:5432/tuning").description // "postgresql://lab@db.local:5432/tuning"
 */
export function openStorage(spec: string | undefined): Storage {
  if (spec === undefined) return new InMemoryStorage();
  if (typeof spec !== "string" || spec.length === 0) throw new ConfigError(`\`storage\` must be a Storage, a postgresql:// URL or a journal file path, got ${show(spec)}.`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)?.[1]?.toLowerCase();
  if (scheme === "postgresql" || scheme === "postgres") return new PostgresStorage(spec);
  if (scheme !== undefined && scheme !== "file") {
    throw new ConfigError(`\`storage\` ${show(redactUrl(spec))} uses the scheme "${scheme}://", which lstm-lab does not store in; use postgresql://user:password@host:5432/database or a journal file path.`);
  }
  return new JournalFileStorage(scheme === "file" ? decodeURIComponent(spec.slice("file://".length)) : spec);
}
