// Schema version 2, for the annotate domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // Annotation (issue 5): jobs of model calls and their items, the request cache, endpoint settings (never the
  // API key), model prices, the two orders of every judge label, and reasons with their categories.
  version: 2,
  name: 'annotate',
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
};
