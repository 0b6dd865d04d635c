export type { Storage, StorageOp, StudyRecord, TrialProposal } from "./storage.js";
export { InMemoryStorage } from "./in-memory.js";
export { JournalFileStorage } from "./journal-file.js";
export { FileLock, processAlive } from "./file-lock.js";
export type { FileLockOptions } from "./file-lock.js";
