// The one connection every domain's store shares: opening with its pragmas, migrations by user_version, and the
// transaction helper. Every multi-row write runs in one synchronous transaction, so a crash leaves all of it or none.
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { AppFailure } from '../errors';

export type DB = Database.Database;

/**
 * How long a write waits for another program's write (the command line importing, a second Preference Studio)
 * before it fails with BUSY. Long enough for another program's ordinary write to finish; short, because the
 * connection is synchronous: while it waits, the app's main process answers nothing else.
 */
export const BUSY_TIMEOUT_MS = 5000;

export interface DatabaseOptions {
  /** better-sqlite3's compiled module to load instead of its own (Electron's ABI build, main/native-binding.ts). */
  nativeBinding?: string;
  /** Default BUSY_TIMEOUT_MS; tests shorten it. */
  busyTimeoutMs?: number;
}

/** The options each connection was opened with, so a second connection to the same file is opened alike. */
const openedWith = new WeakMap<DB, DatabaseOptions>();

export function openDatabase(path: string, options: DatabaseOptions = {}): DB {
  // better-sqlite3's `timeout` is SQLite's busy timeout, set before anything below may wait for a lock.
  const db = new Database(path, { nativeBinding: options.nativeBinding, timeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  openedWith.set(db, options);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

/** Another connection to the same database file, opened as `db` was (a long write of its own, such as an import). */
export function openAnotherConnection(db: DB): DB {
  return openDatabase(db.name, openedWith.get(db));
}

function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new AppFailure('DB_TOO_NEW', `This database was written by a newer Preference Studio (schema ${current}, this one knows up to ${SCHEMA_VERSION}); it was not opened.`);
  }
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  transaction(db, () => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
}

/**
 * Runs `work` in one write transaction (nested calls become savepoints) and returns what it returns. Every store's
 * write goes through here. It begins IMMEDIATE, taking the write lock first: a deferred transaction that reads
 * before it writes cannot wait for another program's lock (SQLite answers SQLITE_BUSY at once, to avoid a
 * deadlock), while BEGIN IMMEDIATE waits the busy timeout. Reads need no transaction (WAL gives each a snapshot).
 */
export function transaction<T>(db: DB, work: () => T): T {
  return db.transaction(work).immediate();
}

/**
 * `transaction` for work that awaits (an import read as it streams): BEGIN IMMEDIATE, then COMMIT once `work` has
 * settled, or ROLLBACK if it throws. Only for a connection of the caller's own (openAnotherConnection): statements
 * that other callers run on the same connection while `work` awaits would otherwise land inside this transaction.
 */
export async function streamingTransaction<T>(db: DB, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
