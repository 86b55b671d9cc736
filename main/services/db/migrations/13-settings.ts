// Schema version 13, for the settings domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // The defaults changed in the Settings view (a new job's cost cap, a new review round's form) and what the last
  // change replaced, for its undo: one JSON value per key.
  version: 13,
  name: 'settings',
  up: (db) => {
    db.exec('CREATE TABLE app_settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL)');
  },
};
