// Settings (issue 17): the defaults a user changes in the Settings view. The data folder is kept in a settings file
// outside every data folder (it says which one to open) and takes effect when the app next starts; the endpoint's
// and the review's defaults are kept in the database. The last change can be undone. The theme is kept per window
// by the renderer.
import type { Name, Text } from './common';

/** What chose the data folder in use, strongest first: --data-dir, PREFERENCE_STUDIO_DATA, Settings, the default. */
export type DataFolderSource = 'flag' | 'environment' | 'settings' | 'default';

export interface DataFolderSetting {
  /** The folder this running app uses. */
  current: string;
  source: DataFolderSource;
  /** The folder chosen in Settings, opened on the next start; null: the default. */
  chosen: string | null;
  /** The folder used when none is chosen. */
  defaultFolder: string;
  /** The file that keeps the choice. */
  file: string;
}

/** What a new annotation job starts with; base URL, model and concurrency are the Annotate view's endpoint. */
export interface EndpointDefaults {
  /** '' for OpenAI itself. */
  baseUrl: Name;
  model: Name;
  /** Requests in flight at once. */
  concurrency: number;
  /** US dollars a new job may spend at most; null: no cap. */
  costCap: number | null;
}

/** What the Review view's form for a new round starts with. */
export interface ReviewDefaults {
  /** Pairs drawn per round. */
  pairs: number;
  strategy: 'random' | 'stratified';
  /** Checkers each pair goes to; null: every checker reviews every pair. */
  checkersPerPair: number | null;
  /** Checkers do not see each other's verdicts. */
  blind: boolean;
}

export interface AppSettings {
  dataFolder: DataFolderSetting;
  endpoint: EndpointDefaults;
  review: ReviewDefaults;
  /** The last change, in words, while it can be undone; null: nothing to undo. */
  undo: string | null;
}

/** One or more sections changed at once (checked whole before anything is written). */
export interface SettingsChange {
  /** A full path; null: back to the default folder. */
  dataFolder?: Text | null;
  endpoint?: Partial<EndpointDefaults>;
  review?: Partial<ReviewDefaults>;
}

/** The settings channels: request and reply of each. */
export interface SettingsContract {
  'settings.get': { req: Record<string, never>; res: AppSettings };
  'settings.save': { req: SettingsChange; res: AppSettings };
  /** Puts back what the last change replaced. */
  'settings.undo': { req: Record<string, never>; res: AppSettings };
}
export type SettingsChannel = keyof SettingsContract;
