// Schema version 10, for the data domain: matching imported labels to pairs already in a study, which import wrote
// each label, and column mappings remembered per header (issue 13).
import type { Migration } from './migration';
import { contentKey } from '../../data/content-key';

export const migration: Migration = {
  version: 10,
  name: 'data-labels',
  up: (db) => {
    db.exec(`
        ALTER TABLE pairs ADD COLUMN content_key TEXT;
        ALTER TABLE labels ADD COLUMN source_file_id INTEGER REFERENCES source_files(id) ON DELETE SET NULL;
        -- A column mapping the user gave for a tabular file, found again by the file's set of column names.
        CREATE TABLE column_mappings (
          header_key TEXT PRIMARY KEY,
          mapping_json TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
      `);
    db.function('content_key', { deterministic: true }, (q, a, b) => contentKey(String(q), String(a), String(b)));
    db.exec(`
        UPDATE pairs SET content_key = content_key(query, response_a, response_b);
        CREATE INDEX pairs_study_content ON pairs (study_id, content_key);
      `);
  },
};
