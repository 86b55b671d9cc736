// The one connection every domain's store shares: opening with its pragmas, migrations by user_version, and the
// transaction helper. Every multi-row write runs in one synchronous transaction, so a crash leaves all of it or none.
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { AppFailure } from '../errors';

export type DB = Database.Database;

/** `nativeBinding`: better-sqlite3's compiled module to load instead of its own (Electron's ABI build, main/native-binding.ts). */
export function openDatabase(path: string, nativeBinding?: string): DB {
  const db = new Database(path, { nativeBinding });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
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

/** Runs `work` in one transaction (nested calls become savepoints) and returns what it returns. */
export function transaction<T>(db: DB, work: () => T): T {
  return db.transaction(work)();
}
