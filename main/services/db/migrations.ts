// Schema migrations by PRAGMA user_version (ordered, each applied once, all pending ones in one transaction).
import type { Database } from 'better-sqlite3';
import { PROPERTIES } from '../data/properties';

export interface Migration { version: number; up: (db: Database) => void }

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
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
  },
  {
    // Review (issue 4): per-checker blindness and resume point, verdict history for undo/redo across restarts,
    // settled disagreements, and refits with the corrected annotations.
    version: 3,
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
  },
  {
    // Annotation (issue 5): jobs of model calls and their items, the request cache, endpoint settings (never the
    // API key), model prices, the two orders of every judge label, and reasons with their categories.
    version: 2,
    up: (db) => {
      db.exec(`
        CREATE TABLE endpoint_settings (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          model TEXT NOT NULL,
          base_url TEXT NOT NULL,
          concurrency INTEGER NOT NULL,
          requests_per_minute INTEGER NOT NULL,
          tokens_per_minute INTEGER NOT NULL,
          timeout_seconds REAL NOT NULL,
          max_attempts INTEGER NOT NULL,
          json_mode INTEGER NOT NULL,
          batch_poll_seconds REAL NOT NULL
        );
        -- US dollars per million tokens, editable; the Batch API costs half.
        CREATE TABLE model_prices (
          model TEXT PRIMARY KEY,
          input_per_million REAL NOT NULL CHECK (input_per_million >= 0),
          output_per_million REAL NOT NULL CHECK (output_per_million >= 0)
        ) WITHOUT ROWID;
        INSERT INTO model_prices VALUES
          ('gpt-4-1106-preview', 10, 30), ('gpt-4-turbo', 10, 30), ('gpt-4', 30, 60), ('gpt-4o', 2.5, 10),
          ('gpt-4o-mini', 0.15, 0.6), ('gpt-4.1', 2, 8), ('gpt-4.1-mini', 0.4, 1.6), ('gpt-4.1-nano', 0.1, 0.4),
          ('gpt-3.5-turbo-1106', 1, 2), ('gpt-3.5-turbo', 0.5, 1.5);

        CREATE TABLE annotation_jobs (
          id INTEGER PRIMARY KEY,
          study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('annotate', 'judge', 'reasons')),
          mode TEXT NOT NULL CHECK (mode IN ('direct', 'batch')),
          status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'done', 'failed', 'cancelled')),
          -- the endpoint settings the job runs with (never the key)
          endpoint_json TEXT NOT NULL,
          model TEXT NOT NULL,
          base_url TEXT NOT NULL,
          prompt_version TEXT NOT NULL,
          -- judge labels: whose labels are written; reasons: whose preferences are explained
          judge_id INTEGER REFERENCES judges(id),
          cost_cap REAL,
          estimate REAL,
          spent REAL NOT NULL DEFAULT 0,
          requests INTEGER NOT NULL DEFAULT 0,
          cache_hits INTEGER NOT NULL DEFAULT 0,
          retries INTEGER NOT NULL DEFAULT 0,
          -- the Batch API job in flight, so a restart polls it instead of paying for it again
          batch_json TEXT,
          message TEXT,
          created_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT
        );
        CREATE INDEX annotation_jobs_study ON annotation_jobs (study_id, id);
        CREATE TABLE annotation_job_items (
          job_id INTEGER NOT NULL REFERENCES annotation_jobs(id) ON DELETE CASCADE,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          error TEXT,
          updated_at TEXT,
          PRIMARY KEY (job_id, pair_id)
        ) WITHOUT ROWID;
        CREATE INDEX annotation_job_items_status ON annotation_job_items (job_id, status);

        -- Every answer by the hash of its request (endpoint, model, messages, parameters): nothing is paid twice.
        CREATE TABLE request_cache (
          hash TEXT PRIMARY KEY,
          model TEXT NOT NULL,
          response_json TEXT NOT NULL,
          prompt_tokens INTEGER NOT NULL,
          completion_tokens INTEGER NOT NULL,
          cost REAL,
          created_at TEXT NOT NULL
        ) WITHOUT ROWID;
        ALTER TABLE annotation_calls ADD COLUMN request_hash TEXT;

        -- Both orders of a judge label (section 3.3): the log-probabilities of "A" and "B" with the pair's
        -- response shown_first as Response A.
        CREATE TABLE judge_label_orders (
          job_id INTEGER NOT NULL REFERENCES annotation_jobs(id) ON DELETE CASCADE,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          shown_first TEXT NOT NULL CHECK (shown_first IN ('A', 'B')),
          logprob_first REAL NOT NULL,
          logprob_second REAL NOT NULL,
          PRIMARY KEY (job_id, pair_id, shown_first)
        ) WITHOUT ROWID;

        -- Why the preferred response won (canonical-basis paper, figure 4) and the reasons normalised (figure 5).
        CREATE TABLE reasons (
          job_id INTEGER NOT NULL REFERENCES annotation_jobs(id) ON DELETE CASCADE,
          pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE,
          preferred TEXT NOT NULL CHECK (preferred IN ('A', 'B')),
          preferences_json TEXT NOT NULL,
          topics_json TEXT NOT NULL,
          persona TEXT,
          raw_output TEXT NOT NULL,
          PRIMARY KEY (job_id, pair_id)
        ) WITHOUT ROWID;
        CREATE TABLE reason_categories (
          job_id INTEGER NOT NULL REFERENCES annotation_jobs(id) ON DELETE CASCADE,
          reason TEXT NOT NULL,
          category TEXT,
          error TEXT,
          PRIMARY KEY (job_id, reason)
        ) WITHOUT ROWID;
      `);
    },
  },
];

/** Migrations may be appended by different pieces of work; they always run in version order. */
MIGRATIONS.sort((a, b) => a.version - b.version);
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
