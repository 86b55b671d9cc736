// Schema version 9, for the review domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // The review's writes already applied, by the id the page gave each, with what they answered: a write sent again
  // because its answer was lost (the server stopped after storing it) is answered again, not applied twice.
  version: 9,
  name: 'review-writes',
  up: (db) => {
    db.exec(`
        CREATE TABLE review_writes (
          write_id TEXT PRIMARY KEY,
          checker_id INTEGER NOT NULL REFERENCES checkers(id) ON DELETE CASCADE,
          channel TEXT NOT NULL,
          result_json TEXT NOT NULL
        );
        CREATE INDEX review_writes_checker ON review_writes (checker_id);
      `);
  },
};
