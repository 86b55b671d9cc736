// Schema version 8, for the review domain.
import type { Migration } from './migration';

export const migration: Migration = {
  // Corrected by the check (issue 15): each round's pairs record their probability of having been drawn (the DSL
  // estimator weighs a checked pair by its inverse), and a round may be drawn by the informative design. Rounds
  // drawn before keep NULL: their probabilities are what their strategy implies (main/services/review/draw.ts).
  version: 8,
  name: 'review-probabilities',
  rebuildsTables: true,
  up: (db) => {
    db.exec('ALTER TABLE review_round_pairs ADD COLUMN probability REAL CHECK (probability IS NULL OR (probability > 0 AND probability <= 1))');
    // SQLite cannot change a CHECK in place: the table is rebuilt from its own schema text (so columns other
    // migrations added stay) with foreign keys off (the runner turns them off for this migration), as SQLite's
    // twelve-step ALTER procedure does.
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'review_rounds'").get() as { sql: string };
    const check = /CHECK \(strategy IN \('random', 'stratified'\)\)/;
    if (!check.test(table.sql)) throw new Error('review_rounds has no strategy check to widen');
    const indexes = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'review_rounds' AND sql IS NOT NULL").all() as { sql: string }[];
    db.exec(table.sql.replace(/^CREATE TABLE "?review_rounds"?/, 'CREATE TABLE review_rounds_new')
      .replace(check, "CHECK (strategy IN ('random', 'stratified', 'informative'))"));
    db.exec(`INSERT INTO review_rounds_new SELECT * FROM review_rounds;
      DROP TABLE review_rounds;
      ALTER TABLE review_rounds_new RENAME TO review_rounds;`);
    for (const i of indexes) db.exec(i.sql);
  },
};
