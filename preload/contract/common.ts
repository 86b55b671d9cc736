// What every domain of the contract shares: sides, the reply envelope, the app's own calls, jobs and exported files.

export type Side = 'A' | 'B';
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
}

/** csv, md (Markdown), latex or json: formatted by main/services/tables.ts. */
export type TableFormat = import('../../main/services/tables').TableFormat;

export interface ExportedFile { fileName: string; content: string; mime: string }

/** The app channels: request and reply of each. */
export interface AppContract {
  'app.info': { req: Record<string, never>; res: AppInfo };
  'jobs.cancel': { req: { jobId: string }; res: { cancelled: boolean } };
}
export type AppChannel = keyof AppContract;
