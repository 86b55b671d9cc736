// The one contract between the renderer and main: every call (channel -> request, reply) and every pushed
// event. Types only, JSON-safe payloads. Two transports implement it: Electron IPC (preload/index.ts) and the
// loopback HTTP/WebSocket bridge of browser mode (main/bridge.ts, renderer/src/api/bridge-client.ts).

export type Side = 'A' | 'B';
export type JudgeKind = 'human' | 'llm';

export interface AppError { code: string; message: string }
export type Reply<T> = { ok: true; res: T } | { ok: false; error: AppError };

// ---------- domain shapes shared by services and views ----------

export interface StudySummary {
  id: number;
  name: string;
  isDemo: boolean;
  createdAt: string;
  pairCount: number;
  annotatedCount: number;
  simulatedCount: number;
  judgeCount: number;
}

export interface Judge { id: number; name: string; kind: JudgeKind; sizeBillion: number | null }

export interface PairRow {
  id: number;
  externalId: string;
  queryPreview: string;
  scenario: string;
  unsafe: boolean;
  modelA: string;
  modelB: string;
  language: string | null;
  simulated: boolean;
  annotated: boolean;
  /** Preferred side per judge name. */
  labels: Record<string, Side>;
}

export interface PairQuery {
  studyId: number;
  search?: string;
  scenario?: string;
  judge?: string;
  sourceModel?: string;
  annotated?: boolean;
  offset: number;
  limit: number;
}

export interface PairPage { total: number; offset: number; rows: PairRow[] }

export interface PairFacets { scenarios: string[]; judges: string[]; sourceModels: string[] }

export type QueryItemKind = 'constraint' | 'stance' | 'mistake';

/** Round-one answers for a query (Figure 9). */
export interface Prerequisites {
  clearIntent: boolean;
  expressFeelings: boolean;
  constraints: string[];
  stances: string[];
  mistakes: string[];
}

/** A round-two annotation of one constraint, stance or mistake (Figures 10-12), both responses. */
export interface QueryItem {
  kind: QueryItemKind;
  text: string;
  /** The model's label per response: "0".."3" for constraints, the stance or mistake label otherwise. */
  labels: Record<Side, string>;
  /** The label converted to a 0-3 score (Appendix F). */
  scores: Record<Side, number>;
}

export type Severity = 'minor' | 'moderate' | 'severe';
export interface DetectedError { description: string; type: string; severity: Severity }
/** Error detection of one response (Figure 13); not applicable responses are left out of the error features. */
export interface ErrorCheck { applicable: boolean; errors: DetectedError[] }

/**
 * Everything annotated for one pair. `ratings` holds one value per response for each property that has one:
 * basic ratings 0-3 (non-repetitive already flipped so higher is better), `lengthy` as word counts, and the
 * five query-specific ratings (0-3, Appendix F) where the query meets the prerequisite.
 */
export interface PairAnnotation {
  ratings: Record<string, Record<Side, number>>;
  prerequisites: Prerequisites | null;
  items: QueryItem[];
  errors: Record<Side, ErrorCheck> | null;
  model: string | null;
  promptVersion: string | null;
}

export interface PairLabel { judge: string; kind: JudgeKind; preferred: Side; probabilityA: number | null }

export interface PairDetail {
  id: number;
  studyId: number;
  externalId: string;
  query: string;
  responseA: string;
  responseB: string;
  modelA: string;
  modelB: string;
  scenario: string;
  fineScenario: string | null;
  unsafe: boolean;
  language: string | null;
  simulated: boolean;
  /** Query-specific groups the pair belongs to (intent_unclear, express_feeling, ...). */
  groups: string[];
  labels: PairLabel[];
  annotation: PairAnnotation | null;
  /** +1/0/-1 per property in PROPERTIES order (Appendix H); null when not annotated. */
  comparisonFeatures: number[] | null;
}

export interface PropertyInfo { position: number; name: string; group: string; description: string }

export type ImportFormat = 'arena' | 'paper' | 'generic';

export interface ImportReport {
  studyId: number;
  studyName: string;
  format: ImportFormat;
  fileName: string;
  kept: number;
  /** Why rows were dropped, with counts (ties, multi-turn, ...). */
  dropped: { reason: string; count: number }[];
  judges: string[];
  annotated: number;
}

/** The paper's published effect strengths (resources/paper-effect-strengths.json). */
export interface PaperReference {
  properties: string[];
  groups: string[];
  groupSizes: Record<string, number>;
  /** Billions of parameters; null for the proprietary judges and human. */
  judgeSizes: Record<string, number | null>;
  /** weights[group][judge] = 29 alphas in property order. */
  weights: Record<string, Record<string, number[]>>;
}

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
  state: 'running' | 'done' | 'failed' | 'cancelled';
}

/** How a dissection is fitted (section 3.5, appendix I): NUTS chains, 10-fold averaging, Laplace(0, b) prior. */
export interface FitSettings {
  chains: number;
  warmup: number;
  draws: number;
  /** 1 fits all rows once; the paper averages 10. */
  folds: number;
  /** b of the Laplace prior, or 'auto' to choose it per fold on the held-out part over PRIOR_SCALE_GRID. */
  priorScale: number | 'auto';
  seed: number;
}

/** One property's effect strength in a fit: alpha's posterior and the degree of preference sigma(alpha). */
export interface PropertyEffect {
  name: string;
  alphaMean: number;
  alphaSd: number;
  alphaQ5: number;
  alphaQ95: number;
  /** sigma(mean alpha): the paper's degree of preference (section 4.1.1). */
  strength: number;
  /** 90% credible interval of sigma(alpha). */
  strengthQ5: number;
  strengthQ95: number;
  rhat: number;
  essBulk: number;
  essTail: number;
  mcseMean: number;
}

export interface FitDiagnostics {
  maxRhat: number;
  minEssBulk: number;
  minEssTail: number;
  divergences: number;
  treedepthSaturated: number;
  stepSize: number;
  /** R-hat above 1.01 or any divergence: shown, never hidden. */
  flagged: boolean;
  wallSeconds: number;
  /** The prior scale used per fold. */
  priorScales: number[];
}

export interface FitRecord {
  id: number;
  studyId: number;
  judge: string;
  group: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  settings: FitSettings;
  startedAt: string;
  finishedAt: string | null;
  rows: number | null;
  /** Mean held-out accuracy over folds (Table 10); null for a single fit on all rows. */
  accuracy: number | null;
  properties: PropertyEffect[];
  diagnostics: FitDiagnostics | null;
  error: string | null;
}

/** The MAP estimate shown while the full fit runs. */
export interface FitPreview { judge: string; group: string; rows: number; properties: { name: string; alpha: number; strength: number }[] }

// ---------- the channels ----------

export interface Contract {
  'app.info': { req: Record<string, never>; res: AppInfo };
  'studies.list': { req: Record<string, never>; res: StudySummary[] };
  'studies.rename': { req: { studyId: number; name: string }; res: StudySummary };
  'studies.delete': { req: { studyId: number }; res: { deleted: true } };
  'pairs.query': { req: PairQuery; res: PairPage };
  'pairs.facets': { req: { studyId: number }; res: PairFacets };
  'pairs.get': { req: { pairId: number }; res: PairDetail };
  'judges.list': { req: { studyId: number }; res: Judge[] };
  'properties.list': { req: Record<string, never>; res: PropertyInfo[] };
  'reference.paper': { req: Record<string, never>; res: PaperReference };
  /** Import one file's bytes (base64) into a study, created by name when it does not exist. */
  'import.file': {
    req: { studyName: string; fileName: string; dataBase64: string; format?: ImportFormat };
    res: ImportReport;
  };
  'jobs.cancel': { req: { jobId: string }; res: { cancelled: boolean } };
  /** Groups of a study with their pair counts for a judge (labelled and annotated pairs only). */
  'dissect.groups': { req: { studyId: number; judge: string }; res: { group: string; rows: number }[] };
  /** Queues full fits of one judge on groups; progress arrives as job.progress events. */
  'dissect.fit': { req: { studyId: number; judge: string; groups: string[]; settings?: Partial<FitSettings> }; res: { jobId: string } };
  'dissect.preview': { req: { studyId: number; judge: string; group: string; priorScale?: number }; res: FitPreview };
  /** The latest fit per judge and group of a study. */
  'dissect.fits': { req: { studyId: number }; res: FitRecord[] };
}

export type Channel = keyof Contract;
export type Req<C extends Channel> = Contract[C]['req'];
export type Res<C extends Channel> = Contract[C]['res'];

export interface Events {
  'job.progress': JobProgress;
}
export type EventName = keyof Events;

/** What both transports give the renderer. */
export interface Transport {
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Reply<Res<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

// Every channel once; a channel missing here is a compile error, so IPC registration cannot forget one.
const CHANNEL_SET: Record<Channel, true> = {
  'app.info': true, 'studies.list': true, 'studies.rename': true, 'studies.delete': true, 'pairs.query': true,
  'pairs.facets': true, 'pairs.get': true, 'judges.list': true, 'properties.list': true, 'reference.paper': true,
  'import.file': true, 'jobs.cancel': true, 'dissect.groups': true, 'dissect.fit': true, 'dissect.preview': true,
  'dissect.fits': true,
};
export const CHANNELS = Object.keys(CHANNEL_SET) as Channel[];
