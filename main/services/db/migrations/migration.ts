import type { Database } from 'better-sqlite3';

/** One schema version: applied once, in version order, inside the transaction of all pending ones. */
export interface Migration { version: number; name: string; up: (db: Database) => void }
