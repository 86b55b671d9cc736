// Schema version 4, for the data domain: pairs without a scenario, hand corrections, moderation, reference answers.
import type { Migration } from './migration';

export const migration: Migration = {
  // Issue 18: a pair whose source has no scenario (Chatbot Arena) is unassigned (NULL), not "Others", until the
  // scenario job or a person assigns it. SQLite cannot drop NOT NULL in place and a table rebuild would cascade
  // the pairs' deletes into every table that refers to them, so the column is renamed, re-added without the
  // constraint and the old one dropped (its indexes first, then rebuilt).
  version: 4,
  name: 'data',
  up: (db) => {
    db.exec(`
        DROP INDEX pairs_study_scenario;
        DROP INDEX pairs_review_candidates;
        ALTER TABLE pairs RENAME COLUMN scenario TO scenario_before_v4;
        ALTER TABLE pairs ADD COLUMN scenario TEXT;
        -- Files without a scenario were given "Others" with no fine scenario: now unassigned.
        UPDATE pairs SET scenario = CASE
          WHEN scenario_before_v4 = 'Others' AND fine_scenario IS NULL AND source_file_id IN
            (SELECT id FROM source_files WHERE format IN ('arena', 'generic', 'paper')) THEN NULL
          ELSE scenario_before_v4 END;
        ALTER TABLE pairs DROP COLUMN scenario_before_v4;
        CREATE INDEX pairs_study_scenario ON pairs (study_id, scenario);
        CREATE INDEX pairs_review_candidates ON pairs (study_id, annotated, unsafe, scenario);
        -- Set by a person in the Data view: a scenario job never overwrites it.
        ALTER TABLE pairs ADD COLUMN scenario_by_hand INTEGER NOT NULL DEFAULT 0;
        -- The moderation API's flagged categories (JSON array), or NULL where the flag came from elsewhere.
        ALTER TABLE pairs ADD COLUMN moderation_json TEXT;
        -- The pair's own reference answer (imported, or written by the annotation job): error detection uses it.
        ALTER TABLE pairs ADD COLUMN reference_answer TEXT;
        -- The scenario job (annotate domain): a fourth kind of job, with the same column trick for its CHECK, and the
        -- moderation model of the endpoint ('' where the endpoint has no moderation API: the prompt asks instead).
        ALTER TABLE annotation_jobs RENAME COLUMN kind TO kind_before_v4;
        ALTER TABLE annotation_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'annotate'
          CHECK (kind IN ('annotate', 'judge', 'reasons', 'scenario'));
        UPDATE annotation_jobs SET kind = kind_before_v4;
        ALTER TABLE annotation_jobs DROP COLUMN kind_before_v4;
        ALTER TABLE endpoint_settings ADD COLUMN moderation_model TEXT NOT NULL DEFAULT 'omni-moderation-latest';
      `);
  },
};
