import type { Database } from 'better-sqlite3';

/** One schema version: applied once, in version order, inside the transaction of all pending ones. */
export interface Migration {
  version: number;
  name: string;
  /** Rebuilds a table others refer to: the runner turns foreign keys off around it and checks them before commit. */
  rebuildsTables?: boolean;
  up: (db: Database) => void;
}
