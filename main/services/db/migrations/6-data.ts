// Schema version 6, for the data domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // Real datasets (issue 13): a reference answer the source gives with a pair (the paper's gpt4_ref_output), which
  // error detection uses instead of asking the model for one.
  version: 6,
  name: 'data-reference',
  up: (db) => {
    db.exec('ALTER TABLE pairs ADD COLUMN reference TEXT;');
  },
};
