// Schema version 14, for the review domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // A round drawn where checking helps most records the judge and group its probabilities were drawn for (issue 15):
  // pairs outside that group could not be drawn, so the correction holds only where every pair could have been.
  // Informative rounds drawn before keep NULL (their design is unknown) and the other strategies have none.
  version: 14,
  name: 'review-design',
  up: (db) => {
    db.exec(`
        ALTER TABLE review_rounds ADD COLUMN design_judge TEXT;
        ALTER TABLE review_rounds ADD COLUMN design_group TEXT;
      `);
  },
};
