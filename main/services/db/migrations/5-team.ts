// Schema version 5, for the review domain's team work (issue 14).
import type { Migration } from './migration';

export const migration: Migration = {
  // Shares of a round (each pair to k of its checkers), the coordinator's notes, and packages: a round made from a
  // package remembers where it came from; a coordinator's round remembers every return merged into it.
  version: 5,
  name: 'team',
  up: (db) => {
    db.exec(`
        ALTER TABLE review_rounds ADD COLUMN per_pair INTEGER;
        ALTER TABLE review_rounds ADD COLUMN notes TEXT NOT NULL DEFAULT '';
        -- Names a round across data folders: packages and returns carry it.
        ALTER TABLE review_rounds ADD COLUMN uid TEXT;
        -- A round opened from a package: the package's round, checker and pairs (JSON).
        ALTER TABLE review_rounds ADD COLUMN origin_json TEXT;
        -- The round positions a checker reviews when the round gives each pair to some of its checkers only.
        CREATE TABLE review_shares (
          checker_id INTEGER NOT NULL REFERENCES checkers(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          PRIMARY KEY (checker_id, position)
        ) WITHOUT ROWID;
        CREATE TABLE review_returns (
          id INTEGER PRIMARY KEY,
          round_id INTEGER NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
          checker_id INTEGER NOT NULL REFERENCES checkers(id) ON DELETE CASCADE,
          sha256 TEXT NOT NULL,
          received_at TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('merged', 'conflict', 'kept')),
          applied INTEGER NOT NULL,
          stale_json TEXT NOT NULL,
          body_json TEXT NOT NULL,
          UNIQUE (round_id, checker_id, sha256)
        );
      `);
  },
};
