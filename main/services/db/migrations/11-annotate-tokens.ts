// Schema version 11, for the annotate domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // A job's estimate in tokens and how they were counted (the model's tokenizer, or about four characters a token),
  // beside the tokens its answers cost as the API's usage reported them: the estimate is shown beside the bill.
  version: 11,
  name: 'annotate-tokens',
  up: (db) => {
    db.exec(`
        ALTER TABLE annotation_jobs ADD COLUMN estimate_input_tokens INTEGER;
        ALTER TABLE annotation_jobs ADD COLUMN estimate_output_tokens INTEGER;
        ALTER TABLE annotation_jobs ADD COLUMN token_counting TEXT;
        ALTER TABLE annotation_jobs ADD COLUMN input_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE annotation_jobs ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0;
      `);
  },
};
