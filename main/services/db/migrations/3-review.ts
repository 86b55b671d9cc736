// Schema version 3, for the review domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // Review (issue 4): per-checker blindness and resume point, verdict history for undo/redo across restarts,
  // settled disagreements, and refits with the corrected annotations.
  version: 3,
  name: 'review',
  up: (db) => {
    db.exec(`
        ALTER TABLE checkers ADD COLUMN blind INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE checkers ADD COLUMN cursor_position INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE checkers ADD COLUMN cursor_item TEXT;
        -- One row per verdict change; a batch is one user action, undone and redone as a whole.
        CREATE TABLE verdict_history (
          id INTEGER PRIMARY KEY,
          checker_id INTEGER NOT NULL REFERENCES checkers(id) ON DELETE CASCADE,
          batch INTEGER NOT NULL,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          item_key TEXT NOT NULL,
          before_json TEXT,
          after_json TEXT,
          undone INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX verdict_history_checker ON verdict_history (checker_id, undone, batch);
        CREATE TABLE adjudications (
          round_id INTEGER NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          item_key TEXT NOT NULL,
          verdict TEXT NOT NULL CHECK (verdict IN ('approve', 'reject', 'correct', 'add')),
          corrected_value TEXT,
          comment TEXT,
          decided_at TEXT NOT NULL,
          PRIMARY KEY (round_id, pair_id, item_key)
        ) WITHOUT ROWID;
        CREATE TABLE review_refits (
          id INTEGER PRIMARY KEY,
          round_id INTEGER NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
          judge TEXT NOT NULL,
          grp TEXT NOT NULL,
          scope TEXT NOT NULL CHECK (scope IN ('group', 'reviewed')),
          settings_json TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
          started_at TEXT NOT NULL,
          finished_at TEXT,
          job_id TEXT,
          original_rows INTEGER NOT NULL,
          corrected_rows INTEGER NOT NULL,
          changed_rows INTEGER NOT NULL,
          unsettled INTEGER NOT NULL,
          reused_fit_id INTEGER REFERENCES fits(id) ON DELETE SET NULL,
          properties_json TEXT,
          error TEXT
        );
        CREATE INDEX review_refits_round ON review_refits (round_id);
        -- Covers the draw of a round: the annotated pairs of a study with their scenario, without reading their texts.
        CREATE INDEX pairs_review_candidates ON pairs (study_id, annotated, unsafe, scenario);
      `);
  },
};
