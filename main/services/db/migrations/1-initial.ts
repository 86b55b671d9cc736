// Schema version 1, the first schema: data (studies, pairs, judges, labels, properties, annotations), review rounds and fits.
import type { Migration } from './migration';
import { PROPERTIES } from '../../data/properties';

export const migration: Migration = {
  version: 1,
  name: 'initial',
  up: (db) => {
    db.exec(`
        CREATE TABLE studies (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          is_demo INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL
        );
        CREATE TABLE source_files (
          id INTEGER PRIMARY KEY,
          study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
          file_name TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          format TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          kept INTEGER NOT NULL,
          dropped_json TEXT NOT NULL,
          UNIQUE (study_id, sha256)
        );
        CREATE TABLE pairs (
          id INTEGER PRIMARY KEY,
          study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
          external_id TEXT NOT NULL,
          query TEXT NOT NULL,
          response_a TEXT NOT NULL,
          response_b TEXT NOT NULL,
          model_a TEXT NOT NULL,
          model_b TEXT NOT NULL,
          scenario TEXT NOT NULL,
          fine_scenario TEXT,
          unsafe INTEGER NOT NULL,
          language TEXT,
          simulated INTEGER NOT NULL,
          -- query-specific groups (section 3.5): set from the round-one prerequisites
          intent_unclear INTEGER NOT NULL DEFAULT 0,
          express_feeling INTEGER NOT NULL DEFAULT 0,
          w_constraints INTEGER NOT NULL DEFAULT 0,
          w_stances INTEGER NOT NULL DEFAULT 0,
          w_mistakes INTEGER NOT NULL DEFAULT 0,
          annotated INTEGER NOT NULL DEFAULT 0,
          source_file_id INTEGER REFERENCES source_files(id) ON DELETE SET NULL,
          UNIQUE (study_id, external_id)
        );
        CREATE INDEX pairs_study_scenario ON pairs (study_id, scenario);
        CREATE INDEX pairs_study_model_a ON pairs (study_id, model_a);
        CREATE INDEX pairs_study_model_b ON pairs (study_id, model_b);
        CREATE VIRTUAL TABLE pairs_fts USING fts5 (
          query, response_a, response_b, content = 'pairs', content_rowid = 'id'
        );
        CREATE TRIGGER pairs_fts_insert AFTER INSERT ON pairs BEGIN
          INSERT INTO pairs_fts (rowid, query, response_a, response_b)
          VALUES (new.id, new.query, new.response_a, new.response_b);
        END;
        CREATE TRIGGER pairs_fts_delete AFTER DELETE ON pairs BEGIN
          INSERT INTO pairs_fts (pairs_fts, rowid, query, response_a, response_b)
          VALUES ('delete', old.id, old.query, old.response_a, old.response_b);
        END;

        CREATE TABLE judges (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('human', 'llm')),
          size_billion REAL
        );
        CREATE TABLE labels (
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          judge_id INTEGER NOT NULL REFERENCES judges(id),
          preferred TEXT NOT NULL CHECK (preferred IN ('A', 'B')),
          probability_a REAL,
          PRIMARY KEY (pair_id, judge_id)
        ) WITHOUT ROWID;
        CREATE INDEX labels_judge ON labels (judge_id, pair_id);

        CREATE TABLE properties (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          prompt_name TEXT,
          grp TEXT NOT NULL CHECK (grp IN ('basic', 'query-specific', 'error-detection')),
          description TEXT NOT NULL
        );

        -- One row per model call: the raw output behind the annotations it produced.
        CREATE TABLE annotation_calls (
          id INTEGER PRIMARY KEY,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          model TEXT,
          prompt_version TEXT,
          raw_output TEXT,
          created_at TEXT NOT NULL
        );
        CREATE INDEX annotation_calls_pair ON annotation_calls (pair_id);
        CREATE TABLE annotations (
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          side TEXT NOT NULL CHECK (side IN ('A', 'B')),
          property_id INTEGER NOT NULL REFERENCES properties(id),
          rating REAL NOT NULL,
          call_id INTEGER REFERENCES annotation_calls(id) ON DELETE SET NULL,
          PRIMARY KEY (pair_id, side, property_id)
        ) WITHOUT ROWID;
        CREATE TABLE query_prerequisites (
          pair_id INTEGER PRIMARY KEY REFERENCES pairs(id) ON DELETE CASCADE,
          clear_intent INTEGER NOT NULL,
          express_feelings INTEGER NOT NULL,
          call_id INTEGER REFERENCES annotation_calls(id) ON DELETE SET NULL
        );
        -- Round one names the constraints, stances and mistakes; round two labels each per response.
        CREATE TABLE query_items (
          id INTEGER PRIMARY KEY,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('constraint', 'stance', 'mistake')),
          position INTEGER NOT NULL,
          text TEXT NOT NULL,
          label_a TEXT,
          label_b TEXT,
          score_a REAL,
          score_b REAL,
          call_id INTEGER REFERENCES annotation_calls(id) ON DELETE SET NULL
        );
        CREATE INDEX query_items_pair ON query_items (pair_id);
        CREATE TABLE error_checks (
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          side TEXT NOT NULL CHECK (side IN ('A', 'B')),
          applicable INTEGER NOT NULL,
          reference_answer TEXT,
          call_id INTEGER REFERENCES annotation_calls(id) ON DELETE SET NULL,
          PRIMARY KEY (pair_id, side)
        ) WITHOUT ROWID;
        CREATE TABLE detected_errors (
          id INTEGER PRIMARY KEY,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          side TEXT NOT NULL CHECK (side IN ('A', 'B')),
          position INTEGER NOT NULL,
          description TEXT NOT NULL,
          type TEXT NOT NULL,
          severity TEXT NOT NULL CHECK (severity IN ('minor', 'moderate', 'severe')),
          call_id INTEGER REFERENCES annotation_calls(id) ON DELETE SET NULL
        );
        CREATE INDEX detected_errors_pair ON detected_errors (pair_id);

        CREATE TABLE review_rounds (
          id INTEGER PRIMARY KEY,
          study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          seed INTEGER NOT NULL,
          strategy TEXT NOT NULL CHECK (strategy IN ('random', 'stratified')),
          blind INTEGER NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE review_round_pairs (
          round_id INTEGER NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          PRIMARY KEY (round_id, position)
        ) WITHOUT ROWID;
        CREATE TABLE checkers (
          id INTEGER PRIMARY KEY,
          round_id INTEGER NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          UNIQUE (round_id, name)
        );
        -- One verdict per checker and annotation item; item_key names the item (e.g. "basic:A:clear").
        CREATE TABLE verdicts (
          id INTEGER PRIMARY KEY,
          checker_id INTEGER NOT NULL REFERENCES checkers(id) ON DELETE CASCADE,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          item_key TEXT NOT NULL,
          verdict TEXT NOT NULL CHECK (verdict IN ('approve', 'reject', 'correct', 'add')),
          corrected_value TEXT,
          comment TEXT,
          given_at TEXT NOT NULL,
          UNIQUE (checker_id, pair_id, item_key)
        );

        CREATE TABLE fits (
          id INTEGER PRIMARY KEY,
          study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
          judge_id INTEGER NOT NULL REFERENCES judges(id),
          grp TEXT NOT NULL,
          settings_json TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
          started_at TEXT NOT NULL,
          finished_at TEXT,
          n_rows INTEGER,
          accuracy REAL,
          summary_json TEXT,
          diagnostics_json TEXT,
          error TEXT
        );
        CREATE INDEX fits_study_judge_group ON fits (study_id, judge_id, grp);
      `);
    const insert = db.prepare('INSERT INTO properties (id, name, prompt_name, grp, description) VALUES (?, ?, ?, ?, ?)');
    for (const p of PROPERTIES) insert.run(p.position, p.name, p.promptName ?? null, p.group, p.description);
  },
};
