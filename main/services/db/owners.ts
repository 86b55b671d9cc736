// Which domain owns each table. Only the owner's modules name a table in SQL; another domain reaches those rows
// through the owner's exported functions (its store's methods). Migrations, here in db/, create every table.
// owners.test.ts holds every domain's SQL to this map, and the map to the tables the migrations create.

export type Domain = 'data' | 'annotate' | 'review' | 'dissect' | 'settings';

export const TABLE_OWNERS: Record<string, Domain> = {
  // data: studies and their imports, pairs and their search index, judges and labels, the properties and each
  // pair's annotation with the model calls behind it.
  studies: 'data',
  source_files: 'data',
  pairs: 'data',
  pairs_fts: 'data',
  judges: 'data',
  labels: 'data',
  properties: 'data',
  annotation_calls: 'data',
  annotations: 'data',
  query_prerequisites: 'data',
  query_items: 'data',
  error_checks: 'data',
  detected_errors: 'data',
  column_mappings: 'data',
  // annotate: the endpoint, prices and request cache; jobs, their items, judge orders and reasons.
  endpoint_settings: 'annotate',
  model_prices: 'annotate',
  request_cache: 'annotate',
  annotation_jobs: 'annotate',
  annotation_job_items: 'annotate',
  judge_label_orders: 'annotate',
  reasons: 'annotate',
  reason_categories: 'annotate',
  // review: rounds, checkers' shares, verdicts with their history, adjudications, returns, write ids, refits.
  review_rounds: 'review',
  review_round_pairs: 'review',
  checkers: 'review',
  review_shares: 'review',
  verdicts: 'review',
  verdict_history: 'review',
  adjudications: 'review',
  review_returns: 'review',
  review_writes: 'review',
  review_refits: 'review',
  // dissect: fits.
  fits: 'dissect',
  // settings: the app's defaults and the undo of their last change.
  app_settings: 'settings',
};
