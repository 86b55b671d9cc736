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
  /** paused: an annotation job stopped by the user, its cost cap or an app restart; it can be resumed. */
  state: 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
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
  /**
   * 'split' (the default when absent): the Laplace prior moved exactly, ~4x fewer gradients; 'leapfrog': Stan's
   * and numpyro's integrator step for step. Same posterior (native-workers/README.md).
   */
  integrator?: 'split' | 'leapfrog';
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
  /** How the draws were made, e.g. "NUTS, split integrator, wasm-simd kernel" (absent in fits stored before it was recorded). */
  sampler?: string;
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

// ---------- insight: dissect, compare, explain, manipulate (issue 6) ----------

/** csv, md (Markdown), latex or json: formatted by main/services/tables.ts. */
export type TableFormat = import('../main/services/tables').TableFormat;

/** A judge whose weights come from this study's stored fits, or from the paper's published weights (resources/). */
export interface JudgeRef { source: 'study' | 'paper'; name: string }

/** One property's effect strength as the views show it; the paper published means only, so no interval there. */
export interface EffectStrength {
  name: string;
  alpha: number;
  /** sigma(alpha), the degree of preference. */
  strength: number;
  strengthQ5: number | null;
  strengthQ95: number | null;
  rhat: number | null;
}

/** A judge's effect strengths on one group: the latest finished fit, or the paper's published weights. */
export interface JudgeEffects {
  judge: JudgeRef;
  /** What the views call the judge: its name, with " (paper)" for the published weights. */
  label: string;
  group: string;
  fitId: number | null;
  rows: number | null;
  accuracy: number | null;
  diagnostics: FitDiagnostics | null;
  properties: EffectStrength[];
  /** The three most preferred properties, most preferred first (tables 3 and 13). */
  top: string[];
  /** The three least preferred properties, least preferred first. */
  last: string[];
}

/** Held-out accuracy of a judge's fits (table 10): the mean over the fitted scenario groups. */
export interface JudgeAccuracy {
  judge: string;
  /** Mean over the scenario groups (the 10 scenarios and Unsafe Queries) with a cross-validated fit. */
  accuracy: number | null;
  scenarioGroups: number;
  perGroup: { group: string; accuracy: number }[];
  /** Table 10's value for the paper's judge of the same name, beside ours. */
  paperAccuracy: number | null;
}

/** A set of judges whose intra- and inter-group similarity is reported (section 4.2). */
export interface JudgeGroup { name: string; judges: JudgeRef[] }

export interface SimilarityJudge { judge: JudgeRef; label: string; kind: JudgeKind; sizeBillion: number | null }

export interface SimilarityResult {
  /** Ordered by model size, small to large; LLMs of unknown size, then humans, last. */
  judges: SimilarityJudge[];
  /** matrix[i][j]: Pearson of the two judges' weights per group, averaged over the groups both have (null: none). */
  matrix: (number | null)[][];
  /** How many groups each entry averages over. */
  groupCounts: number[][];
  /** The groups some chosen judge has weights for. */
  groups: string[];
  judgeGroups: JudgeGroup[];
  intra: { group: string; judges: number; similarity: number | null }[];
  inter: { a: string; b: string; similarity: number | null }[];
  /** Chosen judges without weights on any of the groups. */
  missing: string[];
}

export interface StyleSubstanceResult {
  style: string[];
  substance: string[];
  /** The app's default split, for "reset". */
  defaultStyle: string[];
  judges: {
    judge: JudgeRef;
    label: string;
    /** Mean over groups of sum |alpha| over the style properties / sum |alpha| over all properties. */
    styleShare: number;
    substanceShare: number;
    groups: number;
  }[];
}

/** Why one judge's model prefers one response of a pair: alpha_i * phi_i per property (section 3.5). */
export interface PairExplanation {
  pairId: number;
  judge: JudgeRef;
  label: string;
  group: string;
  contributions: { name: string; phi: number; alpha: number; contribution: number }[];
  /** sum alpha_i phi_i. */
  logit: number;
  /** P(A preferred) = sigma(logit). */
  probabilityA: number;
  predicted: Side;
  /** The label of the judge of this name in the study, if it labelled the pair. */
  actual: Side | null;
}

/** A source model's Bradley-Terry rating on the Elo scale, with a bootstrap interval. */
export interface ModelRating { model: string; rating: number; q5: number; q95: number; games: number; wins: number }

/** Preference-specific Elo (pElo, the canonical-basis paper): ratings of model_a/model_b from one judge's labels. */
export interface PeloResult {
  judge: string;
  bootstrap: number;
  overall: { pairs: number; ratings: ModelRating[] };
  /** The same on the annotated pairs where the chosen property differs (phi != 0). */
  property: { name: string; pairs: number; ratings: ModelRating[] } | null;
}

export interface SystemMessage { judge: JudgeRef; group: string; which: 'top' | 'last'; properties: { name: string; strength: number }[]; text: string }

/** A DPO dataset relabelled by a judge's fitted model (section 4.3.2), TRL-ready JSONL (prompt, chosen, rejected). */
export interface DpoExport {
  fileName: string;
  jsonl: string;
  direction: 'towards' | 'against';
  /** Pairs kept, one JSONL line each. */
  count: number;
  /** Annotated pairs the model scored. */
  considered: number;
  /** Pairs whose predicted probability was within 50 +- margin. */
  leftOut: number;
  margin: number;
  groups: { group: string; pairs: number; kept: number }[];
  /** Groups left out, with why (no weights for this judge). */
  skipped: string[];
}

/** Every table the insight views show, by what it needs; exported through main/services/tables.ts. */
export type InsightTable =
  | { table: 'effect-strengths'; studyId: number; judges: JudgeRef[]; group: string }
  | { table: 'top-last-three'; studyId: number; judges: JudgeRef[]; groups?: string[] }
  | { table: 'accuracy'; studyId: number }
  | { table: 'similarity'; studyId: number; judges: JudgeRef[]; groups?: string[] }
  | { table: 'intra-inter'; studyId: number; judges: JudgeRef[]; groups?: string[]; judgeGroups?: JudgeGroup[] }
  | { table: 'style-substance'; studyId: number; judges: JudgeRef[]; style?: string[] }
  | { table: 'contributions'; pairId: number; judge: JudgeRef }
  | { table: 'pelo'; studyId: number; judge: string; property?: string; bootstrap?: number; seed?: number };

export interface ExportedFile { fileName: string; content: string; mime: string }

// ---------- review: the human quality check of the annotations (issue 4; section 3.4, appendix G, Table 12) ----------

export type ReviewStrategy = 'random' | 'stratified';
/** 'add' is a missed error a checker adds to a response's detected errors. */
export type VerdictKind = 'approve' | 'reject' | 'correct' | 'add';
/** Table 12's groups of annotation items. */
export type ReviewSection = 'basic' | 'prerequisite' | 'query-specific' | 'error';
/** What a correction chooses: a 0-3 rating, yes/no, a list (one entry per line), a stance or mistake label, an
 *  error (DetectedError as JSON); 'complete' is "no error of this response was missed", approved or rejected only. */
export type ReviewValueKind = 'rating' | 'yes-no' | 'list' | 'stance' | 'mistake' | 'error' | 'complete';

/** One annotation item of a pair that a checker approves, rejects or corrects. */
export interface ReviewItem {
  /** Stable key: "basic:A:clear", "prereq:clear intent", "qs:B:clarify intent", "item:constraint:2:B", "error:B:3", "complete:A". */
  key: string;
  section: ReviewSection;
  valueKind: ReviewValueKind;
  side: Side | null;
  /** The property (Table 1) the item feeds; "error detection" for "no error missed", which feeds all three. */
  property: string;
  /** What is judged, in the paper's words (a property, a prerequisite question, a constraint's text, an error). */
  label: string;
  /** The annotation's value as text, in the form a correction takes. */
  value: string;
  /** The values a correction chooses from; for errors (and "no error missed"), the error types; empty for lists. */
  choices: string[];
}

export interface Verdict {
  pairId: number;
  itemKey: string;
  verdict: VerdictKind;
  /** The right value for 'correct' (in ReviewItem.value's form); the missed error (DetectedError JSON) for 'add'. */
  correctedValue: string | null;
  comment: string | null;
  givenAt: string;
}

export interface CheckerProgress {
  id: number;
  name: string;
  /** Blind checkers do not see the other checkers' verdicts while reviewing. */
  blind: boolean;
  /** Items decided (missed errors added are not items) of the round's total. */
  decided: number;
  total: number;
  /** Pairs with every item decided. */
  pairsDone: number;
  /** Where the checker left off: round position (0-based) and item. */
  position: number;
  itemKey: string | null;
}

export interface ReviewRound {
  id: number;
  studyId: number;
  name: string;
  seed: number;
  strategy: ReviewStrategy;
  /** The default for checkers added later. */
  blind: boolean;
  createdAt: string;
  pairCount: number;
  itemCount: number;
  checkers: CheckerProgress[];
}

/** A pair of a round as a checker reviews it. */
export interface ReviewPair {
  roundId: number;
  checkerId: number;
  position: number;
  pairCount: number;
  pair: PairDetail;
  items: ReviewItem[];
  /** This checker's verdicts on the pair, missed errors included. */
  verdicts: Verdict[];
  /** The other checkers' verdicts; empty for a blind checker. */
  others: { checker: string; verdicts: Verdict[] }[];
}

export interface VerdictChange { pairId: number; itemKey: string; verdict: Verdict | null }

/** Where a checker is in a round: the pair's round position (0-based) and the item. */
export interface ReviewCursor { position: number; itemKey: string | null }

/** What a verdict, undo or redo changed, as stored. */
export interface ReviewWriteResult {
  changes: VerdictChange[];
  /** Round position of the pair changed: undo and redo go there. */
  position: number | null;
  canUndo: boolean;
  canRedo: boolean;
  /** The checker's decided items after the change. */
  decided: number;
}

export interface AgreementCount { agreed: number; total: number; rate: number | null; low: number | null; high: number | null }

/** A row of Table 12: x of y items agreed, per checker and pooled ("pooled" key), with a Wilson 95% interval. */
export interface AgreementRow {
  section: string;
  item: string;
  /** What one of the y items is: a response, a sample (query), a constraint/stance/mistake of a response, an error. */
  level: string;
  counts: Record<string, AgreementCount>;
}

/** Cohen's kappa of two checkers on agree/disagree with the annotation, over the items both judged. */
export interface CheckerKappa { first: string; second: string; sharedItems: number; observed: number | null; expected: number | null; kappa: number | null }

export interface AgreementReport {
  roundId: number;
  checkers: string[];
  rows: AgreementRow[];
  kappas: CheckerKappa[];
  /** Krippendorff's alpha (nominal) over all checkers; null with fewer than two checkers. */
  alpha: { value: number | null; checkers: number; units: number } | null;
  disagreements: number;
  settled: number;
}

export interface Adjudication { verdict: VerdictKind; correctedValue: string | null; comment: string | null; decidedAt: string }

/** An item the checkers answered differently, to settle. */
export interface Disagreement {
  pairId: number;
  position: number;
  externalId: string;
  item: ReviewItem;
  verdicts: { checker: string; verdict: Verdict; missedErrors: DetectedError[] }[];
  adjudication: Adjudication | null;
}

/** 'group': every pair of the group, the reviewed ones corrected; 'reviewed': the round's pairs of the group only. */
export type RefitScope = 'group' | 'reviewed';

export interface RefitProperty {
  name: string;
  original: PropertyEffect;
  corrected: PropertyEffect;
  /** corrected - original, of sigma(alpha) and of alpha. */
  strengthShift: number;
  alphaShift: number;
  /** The corrected posterior mean lies outside the original fit's 90% credible interval. */
  exceedsUncertainty: boolean;
}

export interface RefitRecord {
  id: number;
  roundId: number;
  judge: string;
  group: string;
  scope: RefitScope;
  settings: FitSettings;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  jobId: string | null;
  originalRows: number;
  correctedRows: number;
  /** Rows whose comparison features the corrections changed. */
  changedRows: number;
  /** Items the checkers disagree on and nobody settled: kept as annotated. */
  unsettled: number;
  /** The stored dissection fit reused as the original side, if any. */
  reusedFitId: number | null;
  properties: RefitProperty[];
  error: string | null;
}

export type ReviewTable = 'agreement' | 'reliability' | 'disagreements' | 'refit';

// ---------- annotation: the paper's prompts through an OpenAI-compatible endpoint (issue 5; section 3.3-3.4, appendix A, F) ----------

export type AnnotationJobKind = 'annotate' | 'judge' | 'reasons';
export type AnnotationJobStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
/** direct: one request per call, within the rate limits; batch: the OpenAI Batch API (JSONL upload, polling), half price. */
export type AnnotationMode = 'direct' | 'batch';

/** Where and how model calls go. The API key is never part of these settings (see 'annotate.setKey'). */
export interface EndpointSettings {
  model: string;
  /** '' for OpenAI itself; otherwise an OpenAI-compatible server's URL ending in /v1 (vLLM, Ollama, LM Studio, llama.cpp, Azure). */
  baseUrl: string;
  /** Requests in flight at once. */
  concurrency: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
  timeoutSeconds: number;
  /** Tries per request, the first included, on 429, 5xx, timeouts and lost connections. */
  maxAttempts: number;
  /** Ask for a JSON object (response_format) where the prompt wants JSON; off for servers without it. */
  jsonMode: boolean;
  /** Seconds between polls of a Batch API job. */
  batchPollSeconds: number;
}

/** US dollars per million tokens; the Batch API costs half. */
export interface ModelPrice { model: string; inputPerMillion: number; outputPerMillion: number }

export interface ApiKeyStatus {
  present: boolean;
  /** Where the key is kept, in words. */
  location: string;
  /** False in browser mode, where the key is read from the environment. */
  settable: boolean;
}

export interface AnnotateSettings { endpoint: EndpointSettings; prices: ModelPrice[]; key: ApiKeyStatus; promptVersion: string }

export interface AnnotationJobRequest {
  studyId: number;
  kind: AnnotationJobKind;
  /** missing: pairs without an annotation (annotate), without this judge's label (judge), not yet explained (reasons). */
  scope: 'missing' | 'all';
  /** At most this many pairs, in pair order. */
  limit?: number;
  mode: AnnotationMode;
  /** The job stops before it could spend more than this many US dollars; null: no cap. */
  costCap: number | null;
  /** judge: the name the labels are stored under (default: the model); reasons: whose preferences are explained (default: human). */
  judge?: string;
}

export interface CostEstimate {
  pairs: number;
  /** Model calls the job is expected to make (the second round only where round one finds something), cache hits left out. */
  calls: number;
  /** Calls already answered in the request cache: they cost nothing again. */
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** US dollars; null when the price table has no price for the model. */
  cost: number | null;
  /** Every answer at its token limit: what the cost cap guards against. */
  worstCaseCost: number | null;
  note: string;
}

export interface AnnotationJob {
  id: number;
  studyId: number;
  kind: AnnotationJobKind;
  status: AnnotationJobStatus;
  mode: AnnotationMode;
  model: string;
  baseUrl: string;
  promptVersion: string;
  /** judge: whose labels are written; reasons: whose preferences are explained. */
  judge: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  done: number;
  failed: number;
  pending: number;
  /** US dollars paid for answers this job received (cache hits are free). */
  spent: number;
  costCap: number | null;
  estimate: number | null;
  requests: number;
  cacheHits: number;
  retries: number;
  /** Why the job stopped or failed, in one sentence. */
  message: string | null;
  etaSeconds: number | null;
}

export interface AnnotationJobItem {
  pairId: number;
  externalId: string;
  queryPreview: string;
  status: 'pending' | 'done' | 'failed';
  /** Why the item failed: the stage and what was wrong with the answer. */
  error: string | null;
  attempts: number;
}

/** An LLM judge's positional bias (section 3.3): both orders of every pair it labelled in a job. */
export interface JudgeReport {
  judge: string;
  pairs: number;
  /** Mean probability that the response shown first is preferred, minus 0.5: > 0 favours the first position. */
  positionalBias: number;
  /** Share of (pair, order) verdicts that chose the response shown first. */
  firstShownPreferred: number;
  /** Share of pairs whose verdict changes when the order is swapped. */
  flipped: number;
  /** Agreement of the averaged label with the human label, where the pair has one. */
  agreementWithHuman: number | null;
  humanPairs: number;
}

/** A normalised reason (canonical-basis paper, figure 5) proposed as a candidate property. */
export interface ReasonCategory { category: string; pairs: number; share: number; reasons: string[] }
export interface ReasonsReport {
  judge: string;
  /** Pairs with reasons. */
  pairs: number;
  categories: ReasonCategory[];
  /** Reasons the model could not normalise, with its note. */
  unresolved: { reason: string; error: string }[];
}

export type AnnotationTable = 'failures' | 'judge' | 'reasons';

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
  // insight (issue 6): views over the fits and the paper's published weights
  /** Effect strengths of judges on groups: study judges from their latest finished fits, paper judges from resources/. */
  'insight.effects': { req: { studyId: number; judges: JudgeRef[]; groups?: string[] }; res: JudgeEffects[] };
  /** Held-out accuracy per judge of the study (table 10). */
  'insight.accuracy': { req: { studyId: number }; res: JudgeAccuracy[] };
  /** Judge similarity (figure 3) and intra/inter-group similarity (section 4.2); default groups <14B and >30B. */
  'insight.similarity': { req: { studyId: number; judges: JudgeRef[]; groups?: string[]; judgeGroups?: JudgeGroup[] }; res: SimilarityResult };
  /** Each judge's share of preference carried by style and by substance properties; `style` defaults to the app's split. */
  'insight.styleSubstance': { req: { studyId: number; judges: JudgeRef[]; style?: string[] }; res: StyleSubstanceResult };
  'insight.explainPair': { req: { pairId: number; judge: JudgeRef }; res: PairExplanation };
  'insight.pelo': { req: { studyId: number; judge: string; property?: string; bootstrap?: number; seed?: number }; res: PeloResult };
  'insight.systemMessage': { req: { studyId: number; judge: JudgeRef; group: string; which: 'top' | 'last' }; res: SystemMessage };
  'insight.dpo': { req: { studyId: number; judge: JudgeRef; direction: 'towards' | 'against'; margin?: number }; res: DpoExport };
  /** One of the insight tables as CSV, Markdown, LaTeX or JSON, with a file name users find later. */
  'insight.table': { req: { spec: InsightTable; format: TableFormat }; res: ExportedFile };
  /** The name an exported file gets (what, where from, when), for files the renderer makes itself (chart SVG/PNG). */
  'insight.fileName': { req: { parts: string[]; extension: string }; res: { fileName: string } };
  // review (issue 4): rounds, a verdict on every annotation item, Table 12 agreement, refit with the corrections
  'review.rounds': { req: { studyId: number }; res: ReviewRound[] };
  /** Draws `size` annotated pairs of the study (random or stratified by scenario, seeded) for the named checkers. */
  'review.createRound': {
    req: { studyId: number; name?: string; size: number; strategy: ReviewStrategy; seed: number; checkers: string[]; blind: boolean };
    res: ReviewRound;
  };
  'review.deleteRound': { req: { roundId: number }; res: { deleted: true } };
  'review.addChecker': { req: { roundId: number; name: string; blind?: boolean }; res: ReviewRound };
  /** The pair at a round position with its items and verdicts, as the checker sees it. */
  'review.pair': { req: { checkerId: number; position: number }; res: ReviewPair };
  /** Gives (or with verdict null, takes back) a verdict; saved at once, in the same transaction as the place the
   *  checker moves on to (`cursor`), so a crash loses neither. */
  'review.verdict': {
    req: {
      checkerId: number; pairId: number; itemKey: string; verdict: Exclude<VerdictKind, 'add'> | null;
      correctedValue?: string | null; comment?: string | null; cursor?: ReviewCursor;
    };
    res: ReviewWriteResult;
  };
  /** Adds an error the annotation missed to a response; its "nothing missed" item becomes rejected. */
  'review.addMissedError': {
    req: { checkerId: number; pairId: number; side: Side; error: DetectedError; comment?: string | null; cursor?: ReviewCursor };
    res: ReviewWriteResult;
  };
  /** Approves every item of the pair the checker has not decided yet (one undo step). */
  'review.approveRest': { req: { checkerId: number; pairId: number; cursor?: ReviewCursor }; res: ReviewWriteResult };
  'review.undo': { req: { checkerId: number }; res: ReviewWriteResult };
  'review.redo': { req: { checkerId: number }; res: ReviewWriteResult };
  /** Remembers where the checker is, so the review resumes there. */
  'review.cursor': { req: { checkerId: number } & ReviewCursor; res: { saved: true } };
  /** Table 12 per checker and pooled, Cohen's kappa and Krippendorff's alpha between checkers. */
  'review.agreement': { req: { roundId: number }; res: AgreementReport };
  'review.disagreements': { req: { roundId: number }; res: Disagreement[] };
  /** Records how a disagreement was settled (verdict null takes the settlement back). */
  'review.adjudicate': {
    req: { roundId: number; pairId: number; itemKey: string; verdict: VerdictKind | null; correctedValue?: string | null; comment?: string | null };
    res: Disagreement;
  };
  'review.table': { req: { roundId: number; table: ReviewTable; format: TableFormat; refitId?: number }; res: ExportedFile };
  /** Refits a judge on a group with the corrected annotations beside the original; progress as job.progress. */
  'review.refit': { req: { roundId: number; judge: string; group: string; scope: RefitScope; settings?: Partial<FitSettings> }; res: RefitRecord };
  'review.refits': { req: { roundId: number }; res: RefitRecord[] };
  // annotation (issue 5): jobs of model calls with the paper's prompts; progress as job.progress (kind annotate, judge, reasons)
  'annotate.settings': { req: Record<string, never>; res: AnnotateSettings };
  'annotate.saveSettings': { req: { endpoint?: Partial<EndpointSettings>; prices?: ModelPrice[] }; res: AnnotateSettings };
  /** Keeps the API key in the system keychain (Electron); refused in browser mode, where it comes from OPENAI_API_KEY. */
  'annotate.setKey': { req: { apiKey: string }; res: ApiKeyStatus };
  'annotate.estimate': { req: AnnotationJobRequest; res: CostEstimate };
  'annotate.start': { req: AnnotationJobRequest; res: AnnotationJob };
  'annotate.jobs': { req: { studyId: number }; res: AnnotationJob[] };
  'annotate.items': { req: { jobId: number; status?: AnnotationJobItem['status']; offset: number; limit: number }; res: { total: number; rows: AnnotationJobItem[] } };
  /** Stops after the requests in flight have answered; nothing answered is lost. */
  'annotate.pause': { req: { jobId: number }; res: AnnotationJob };
  /** Continues a paused, stopped or interrupted job; `costCap` replaces its cap. */
  'annotate.resume': { req: { jobId: number; costCap?: number | null }; res: AnnotationJob };
  'annotate.cancel': { req: { jobId: number }; res: AnnotationJob };
  /** Sends the failed items (or the given ones) again; answers that could not be used are asked anew. */
  'annotate.retry': { req: { jobId: number; pairIds?: number[] }; res: AnnotationJob };
  'annotate.judgeReport': { req: { jobId: number }; res: JudgeReport };
  'annotate.reasons': { req: { jobId: number }; res: ReasonsReport };
  'annotate.table': { req: { jobId: number; table: AnnotationTable; format: TableFormat }; res: ExportedFile };
}

export type Channel = keyof Contract;
export type Req<C extends Channel> = Contract[C]['req'];
export type Res<C extends Channel> = Contract[C]['res'];

export interface Events {
  'job.progress': JobProgress;
  'menu.import': { fileName: string; bytes: Uint8Array<ArrayBuffer> }; // Electron only: the file File > Import chose, for the Data view.
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
  'insight.effects': true, 'insight.accuracy': true, 'insight.similarity': true, 'insight.styleSubstance': true,
  'insight.explainPair': true, 'insight.pelo': true, 'insight.systemMessage': true, 'insight.dpo': true, 'insight.table': true,
  'insight.fileName': true,
  'review.rounds': true, 'review.createRound': true, 'review.deleteRound': true, 'review.addChecker': true, 'review.pair': true,
  'review.verdict': true, 'review.addMissedError': true, 'review.approveRest': true, 'review.undo': true, 'review.redo': true,
  'review.cursor': true, 'review.agreement': true, 'review.disagreements': true, 'review.adjudicate': true, 'review.table': true,
  'review.refit': true, 'review.refits': true,
  'annotate.settings': true, 'annotate.saveSettings': true, 'annotate.setKey': true, 'annotate.estimate': true,
  'annotate.start': true, 'annotate.jobs': true, 'annotate.items': true, 'annotate.pause': true, 'annotate.resume': true,
  'annotate.cancel': true, 'annotate.retry': true, 'annotate.judgeReport': true, 'annotate.reasons': true, 'annotate.table': true,
};
export const CHANNELS = Object.keys(CHANNEL_SET) as Channel[];
