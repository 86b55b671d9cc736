// Insight: compare, explain, manipulate and pElo over the fitted effect strengths (issue 6).
import type { ExportedFile, Id, JudgeKind, Name, Seed, Side, TableFormat } from './common';
import type { FitDiagnostics } from './dissect';

/** A judge whose weights come from this study's stored fits, or from the paper's published weights (resources/). */
export interface JudgeRef { source: 'study' | 'paper'; name: Name }

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
  /** Why the fit is flagged (R-hat above 1.01, divergences), or null: carried wherever the fit is used. */
  flag: string | null;
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
export interface JudgeGroup { name: Name; judges: JudgeRef[] }

export interface SimilarityJudge {
  judge: JudgeRef; label: string; kind: JudgeKind; sizeBillion: number | null;
  /** The groups whose fit is flagged, with why ("Code: R-hat 1.052 > 1.01"), or null when none is. */
  flag: string | null;
}

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
    /** The groups whose fit is flagged, with why, or null. */
    flag: string | null;
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

export interface SystemMessage {
  judge: JudgeRef; group: string; which: 'top' | 'last'; properties: { name: string; strength: number }[]; text: string;
  /** Why the fit the message comes from is flagged, or null. */
  flag: string | null;
}

/** A DPO dataset relabelled by a judge's fitted model (section 4.3.2), TRL-ready JSONL (prompt, chosen, rejected). */
export interface DpoExport {
  fileName: string;
  jsonl: string;
  direction: 'towards' | 'against';
  /** Pairs kept, one JSONL line each. */
  count: number;
  /** Annotated pairs the model scored. */
  considered: number;
  /** Simulated pairs (the demo's generated text) left out, unless they were asked for. */
  simulatedLeftOut: number;
  includeSimulated: boolean;
  /** Pairs whose predicted probability was within 50 +- margin. */
  leftOut: number;
  margin: number;
  /** Each group's pairs, and why its fit is flagged (its lines then carry "fit_flag"), or null. */
  groups: { group: string; pairs: number; kept: number; flag: string | null }[];
  /** Groups left out, with why (no weights for this judge). */
  skipped: string[];
}

/**
 * Every table the insight views show, by what it needs; exported through main/services/tables.ts.
 * @discriminator table
 */
export type InsightTable =
  | { table: 'effect-strengths'; studyId: Id; judges: JudgeRef[]; group: Name }
  | { table: 'top-last-three'; studyId: Id; judges: JudgeRef[]; groups?: Name[] }
  | { table: 'accuracy'; studyId: Id }
  | { table: 'similarity'; studyId: Id; judges: JudgeRef[]; groups?: Name[] }
  | { table: 'intra-inter'; studyId: Id; judges: JudgeRef[]; groups?: Name[]; judgeGroups?: JudgeGroup[] }
  | { table: 'style-substance'; studyId: Id; judges: JudgeRef[]; style?: Name[] }
  | { table: 'contributions'; pairId: Id; judge: JudgeRef }
  | { table: 'pelo'; studyId: Id; judge: Name; property?: Name; bootstrap?: number; seed?: Seed };

/** The insight channels: request and reply of each. */
export interface InsightContract {
  // insight (issue 6): views over the fits and the paper's published weights
  /** Effect strengths of judges on groups: study judges from their latest finished fits, paper judges from resources/. */
  'insight.effects': { req: { studyId: Id; judges: JudgeRef[]; groups?: Name[] }; res: JudgeEffects[] };
  /** Held-out accuracy per judge of the study (table 10). */
  'insight.accuracy': { req: { studyId: Id }; res: JudgeAccuracy[] };
  /** Judge similarity (figure 3) and intra/inter-group similarity (section 4.2); default groups <14B and >30B. */
  'insight.similarity': { req: { studyId: Id; judges: JudgeRef[]; groups?: Name[]; judgeGroups?: JudgeGroup[] }; res: SimilarityResult };
  /** Each judge's share of preference carried by style and by substance properties; `style` defaults to the app's split. */
  'insight.styleSubstance': { req: { studyId: Id; judges: JudgeRef[]; style?: Name[] }; res: StyleSubstanceResult };
  'insight.explainPair': { req: { pairId: Id; judge: JudgeRef }; res: PairExplanation };
  'insight.pelo': { req: { studyId: Id; judge: Name; property?: Name; bootstrap?: number; seed?: Seed }; res: PeloResult };
  'insight.systemMessage': { req: { studyId: Id; judge: JudgeRef; group: Name; which: 'top' | 'last' }; res: SystemMessage };
  /** Simulated pairs are left out unless `includeSimulated`. */
  'insight.dpo': { req: { studyId: Id; judge: JudgeRef; direction: 'towards' | 'against'; margin?: number; includeSimulated?: boolean }; res: DpoExport };
  /** One of the insight tables as CSV, Markdown, LaTeX or JSON, with a file name users find later. */
  'insight.table': { req: { spec: InsightTable; format: TableFormat }; res: ExportedFile };
  /** The name an exported file gets (what, where from, when), for files the renderer makes itself (chart SVG/PNG). */
  'insight.fileName': {
    req: {
      parts: Name[];
      /**
       * A file extension: lower-case letters and digits, at most 8.
       * @pattern ^[a-z0-9]{1,8}$
       */
      extension: string;
    };
    res: { fileName: string };
  };
}
export type InsightChannel = keyof InsightContract;
