// Studies, pairs, judges, the paper's properties and reference, and importing files.
import type { Id, JudgeKind, Name, Offset, PageLimit, Side, Text } from './common';

/** The paper's 10 scenarios (Table 8), in its order: the one list both processes name them from. */
export const SCENARIO_NAMES = [
  'Exam Questions', 'Code', 'Creative Writing', 'Functional Writing', 'Communication',
  'Knowledge-aware', 'Advice', 'Daily Tasks', 'NLP Tasks', 'Others',
] as const;

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
  /** One of Table 8's 10 scenarios; null: unassigned (the source had none and no job or person has set it). */
  scenario: string | null;
  unsafe: boolean;
  modelA: string;
  modelB: string;
  language: string | null;
  simulated: boolean;
  annotated: boolean;
  /** Preferred side per judge name. */
  labels: Record<string, Side>;
}

/** Everything a study's deletion removes with it. */
export interface StudyDeleteImpact {
  pairs: number; annotated: number; judges: number; rounds: number; verdicts: number; fits: number; jobs: number;
}

export interface PairQuery {
  studyId: Id;
  search?: Name;
  /** One of the 10 scenarios, or 'Unsafe Queries'. */
  scenario?: Name;
  /** Only pairs without a scenario. */
  unassigned?: boolean;
  /** One of the 16 groups a fit is made on, as the fit counts it (a scenario without its unsafe pairs). */
  group?: Name;
  judge?: Name;
  sourceModel?: Name;
  annotated?: boolean;
  /** true: simulated pairs only (the demo's); false: real (imported) pairs only. */
  simulated?: boolean;
  offset: Offset;
  limit: PageLimit;
}

export interface PairPage { total: number; offset: number; rows: PairRow[] }

export interface PairFacets {
  scenarios: string[];
  judges: string[];
  sourceModels: string[];
  /** Pairs without a scenario. */
  unassigned: number;
}

/** A group of section 3.5 with its pairs: all of them, and those annotated (what a fit can use). */
export interface GroupCount { group: string; pairs: number; annotated: number }
export interface StudyGroups {
  groups: GroupCount[];
  /** Safe pairs without a scenario: in no scenario's group until the scenario job or a person assigns one. */
  unassigned: number;
}

/** A person's scenario and safety for a pair: kept over later scenario jobs. */
export interface ScenarioCorrection {
  pairId: number;
  /** One of the 10 scenarios or a fine scenario of Table 8; null: unassigned. */
  scenario: string | null;
  unsafe: boolean;
}

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
export interface DetectedError { description: Text; type: Name; severity: Severity }
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
  scenario: string | null;
  fineScenario: string | null;
  /** The scenario and unsafe flag were set by a person: scenario jobs leave them alone. */
  scenarioByHand: boolean;
  unsafe: boolean;
  /** Categories the moderation API flagged; null where it was not asked. */
  moderationCategories: string[] | null;
  /** The pair's own reference answer, which error detection uses; null until imported or written. */
  referenceAnswer: string | null;
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

/** One more file of a set chosen together (MT-bench, arena-hard), as `import.file` carries it. */
export interface ImportedFile {
  fileName: Name;
  /**
   * The file's bytes as base64: at most the import size limit (MAX_IMPORT_BYTES, 512 MiB) once decoded.
   * @maxLength 715827884
   */
  dataBase64: string;
}

/**
 * A file's layout: Chatbot Arena, the paper's annotated and raw pairs, a plain pairwise table, a public dataset's
 * own, or pairs exported by the app.
 */
export type ImportFormat = 'arena' | 'paper' | 'generic' | 'paper-raw' | 'alpaca-eval' | 'auto-j' | 'prd' | 'hh-rlhf'
  | 'mt-bench' | 'arena-hard' | 'kaggle-arena' | 'pairs';

/** A kind of value an import read otherwise than written, and how often. */
export interface ImportNote { note: string; count: number }

export interface ImportReport {
  studyId: number;
  studyName: string;
  format: ImportFormat;
  fileName: string;
  /** Records kept: added + matched + merged. */
  kept: number;
  /** New pairs written. */
  added: number;
  /** Records that were a pair already in the study (same id, or same query and responses in either order). */
  matched: number;
  /** Records that were a pair earlier in the same file (the same id again: another judge's vote). */
  merged: number;
  /** Of the matched and merged records, those with the responses the other way round (their labels flipped). */
  matchedSwapped: number;
  /** Why rows were dropped, with counts (ties, multi-turn, ...). */
  dropped: { reason: string; count: number }[];
  /** Values read otherwise than written, with counts (e.g. a severity the paper's authors' code ignores, ignored too). */
  notes: ImportNote[];
  /** New pairs without a scenario: unassigned until the scenario job or a person gives them one. */
  unassigned: number;
  labelsAdded: number;
  /** Why labels of kept records were not stored, with counts (a judge's repeated or conflicting votes, ...). */
  labelsDropped: { reason: string; count: number }[];
  judges: { name: string; kind: JudgeKind }[];
  annotated: number;
  /** What is worth checking before a fit, in one sentence each (e.g. every label on one side). */
  warnings: string[];
}

/**
 * Which column of a table holds what, for a file whose layout the app does not know. The vote is `winner` (A, B,
 * model_a, model_b, 1, 2 or tie), given by the judge named in `judgeColumn` on each row, else by `judge`; or one
 * column per judge in `votes`. A judge's kind comes from `judgeKindColumn` or `judgeKind` ("human" needs neither).
 */
export interface ColumnMapping {
  query: Name;
  responseA: Name;
  responseB: Name;
  modelA?: Name;
  modelB?: Name;
  winner?: Name;
  judgeColumn?: Name;
  judgeKindColumn?: Name;
  judge?: Name;
  judgeKind?: JudgeKind;
  scenario?: Name;
  language?: Name;
  /** A reference answer to the query. */
  reference?: Name;
  id?: Name;
  votes?: { column: Name; judge: Name; kind: JudgeKind }[];
  /** The table's own words for a vote on A, on B and for a tie (e.g. left, right, same), besides A, B, 1, 2, tie. */
  voteWords?: { a?: Name; b?: Name; tie?: Name };
}

/** The first rows of a file, to map its columns. */
export interface ImportPreview {
  fileName: string;
  columns: string[];
  /** The first rows, each cell as text (cut short). */
  rows: string[][];
  /** The layout the app recognises, or null with why not. */
  format: ImportFormat | null;
  unknownReason: string | null;
  /** The mapping last used for a file with these columns. */
  saved: ColumnMapping | null;
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

/** The data channels: request and reply of each. */
export interface DataContract {
  'studies.list': { req: Record<string, never>; res: StudySummary[] };
  'studies.rename': { req: { studyId: Id; name: Name }; res: StudySummary };
  /** What deleting a study takes with it, counted, for the confirmation. */
  'studies.deleteImpact': { req: { studyId: Id }; res: StudyDeleteImpact };
  'studies.delete': { req: { studyId: Id }; res: { deleted: true } };
  'pairs.query': { req: PairQuery; res: PairPage };
  'pairs.facets': { req: { studyId: Id }; res: PairFacets };
  'pairs.get': { req: { pairId: Id }; res: PairDetail };
  /** The groups of a study with their pair counts, and how many pairs are unassigned. */
  'pairs.groups': { req: { studyId: Id }; res: StudyGroups };
  /** Sets a pair's scenario and unsafe flag by hand (kept over later scenario jobs). */
  'pairs.setScenario': { req: ScenarioCorrection; res: PairDetail };
  'judges.list': { req: { studyId: Id }; res: Judge[] };
  'properties.list': { req: Record<string, never>; res: PropertyInfo[] };
  'reference.paper': { req: Record<string, never>; res: PaperReference };
  /** Import one file's bytes (base64) into a study, created by name when it does not exist. */
  'import.file': {
    /** `more`: the other files of a set chosen together (MT-bench, arena-hard), imported as one. */
    req: {
      studyName: Name;
      fileName: Name;
      /**
       * The file's bytes as base64: at most the import size limit (MAX_IMPORT_BYTES, 512 MiB) once decoded.
       * @maxLength 715827884
       */
      dataBase64: string;
      format?: ImportFormat;
      more?: ImportedFile[];
      mapping?: ColumnMapping;
    };
    res: ImportReport;
  };
  /** A file's columns and first rows, the layout if known, and the mapping remembered for its columns. */
  'import.preview': {
    req: {
      fileName: Name;
      /**
       * The file's bytes as base64 (the preview reads only its first rows).
       * @maxLength 715827884
       */
      dataBase64: string;
    };
    res: ImportPreview;
  };
}
export type DataChannel = keyof DataContract;
