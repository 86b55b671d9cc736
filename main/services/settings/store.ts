// The settings domain's rows: one JSON value per key.
import type { DB } from '../db/database';

export class SettingsStore {
  constructor(private readonly db: DB) {}

  value<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value_json FROM app_settings WHERE key = ?').get(key) as { value_json: string } | undefined;
    return row ? (JSON.parse(row.value_json) as T) : undefined;
  }

  /** Writes `value` under `key`; undefined removes the key. Callers group several in one transaction. */
  setValue(key: string, value: unknown): void {
    if (value === undefined) this.db.prepare('DELETE FROM app_settings WHERE key = ?').run(key);
    else this.db.prepare('INSERT OR REPLACE INTO app_settings (key, value_json) VALUES (?, ?)').run(key, JSON.stringify(value));
  }
}
