// Schema migrations by PRAGMA user_version (ordered, each applied once, all pending ones in one transaction).
// One file per version, named for the domain it serves; a new one is appended here, never an old one edited.
import type { Migration } from './migration';
import { migration as initial } from './1-initial';
import { migration as annotate } from './2-annotate';
import { migration as review } from './3-review';
import { migration as data } from './4-data';
import { migration as team } from './5-team';
import { migration as reviewProbabilities } from './8-review-probabilities';
import { migration as reviewWrites } from './9-review-writes';
import { migration as dataLabels } from './10-data-labels';
import { migration as annotateTokens } from './11-annotate-tokens';
import { migration as settings } from './13-settings';
import { migration as reviewDesign } from './14-review-design';

/** Migrations may be appended by different pieces of work; they always run in version order. */
export const MIGRATIONS: Migration[] = [
  initial, annotate, review, data, team, reviewProbabilities, reviewWrites, dataLabels, annotateTokens, settings, reviewDesign,
].sort((a, b) => a.version - b.version);
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
