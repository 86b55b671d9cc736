// What every domain of the contract shares: sides, the reply envelope, the app's own calls, jobs and exported files.

export type Side = 'A' | 'B';

// Bounds of what a request may carry. `npm run contract:schema` turns these JSDoc tags into JSON Schema keywords
// (preload/contract.schema.json) and main/services/validator.ts refuses a request outside them before any
// service sees it, so the types below are the one place a request's shape and limits are stated.

/**
 * A stored row's id (study, pair, round, checker, annotation job, refit).
 * @asType integer
 * @minimum 1
 * @maximum 9007199254740991
 */
export type Id = number;

/**
 * A position from 0: a page's first row, a pair's place in a review round.
 * @asType integer
 * @minimum 0
 * @maximum 9007199254740991
 */
export type Offset = number;

/**
 * Rows in one page; the views ask for at most 200.
 * @asType integer
 * @minimum 1
 * @maximum 1000
 */
export type PageLimit = number;

/**
 * A random seed, as the samplers take it.
 * @asType integer
 * @minimum 0
 * @maximum 2147483647
 */
export type Seed = number;

/**
 * A name users give or a file carries: a study, judge, group, checker, model, property.
 * @maxLength 1000
 */
export type Name = string;

/**
 * Free text typed by a user: a search, a comment, a corrected value, a key.
 * @maxLength 100000
 */
export type Text = string;

export type JudgeKind = 'human' | 'llm';

export interface AppError { code: string; message: string }
export type Reply<T> = { ok: true; res: T } | { ok: false; error: AppError };

export interface AppInfo {
  version: string;
  transport: 'electron' | 'browser';
  dataDir: string;
  databasePath: string;
}

export interface JobProgress {
  jobId: string;
  kind: string;
  done: number;
  total: number;
  etaSeconds: number | null;
  message: string;
  /** paused: an annotation job stopped by the user, its cost cap or an app restart; it can be resumed. */
  state: 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
  /** An annotation job's requests wait for the rate limit: the seconds left (the ETA counts them). */
  rateLimitWaitSeconds?: number | null;
}

/** csv, md (Markdown), latex or json: formatted by main/services/tables.ts. */
export type TableFormat = 'csv' | 'md' | 'latex' | 'json';

export interface ExportedFile { fileName: string; content: string; mime: string }

/** The app channels: request and reply of each. */
export interface AppContract {
  'app.info': { req: Record<string, never>; res: AppInfo };
  'jobs.cancel': { req: { jobId: Name }; res: { cancelled: boolean } };
}
export type AppChannel = keyof AppContract;
