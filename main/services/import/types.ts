// What every importer (and the demo project) hands to storage: normalised pairs, nothing written yet.
import type { ImportFormat, JudgeKind, PairAnnotation, Side } from '../../../preload/contract';

export interface ImportedLabel {
  judge: string;
  kind: JudgeKind;
  preferred: Side;
  /** P(A preferred) for LLM judges that report it. */
  probabilityA: number | null;
}

export interface ImportedPair {
  /** The source's id (question_id, or a content hash when the source has none); unique within a study. */
  externalId: string;
  query: string;
  responseA: string;
  responseB: string;
  modelA: string;
  modelB: string;
  /** One of the paper's 10 scenarios (Table 8), or 'Unsafe Queries' is never used here: see `unsafe`. */
  scenario: string;
  fineScenario: string | null;
  unsafe: boolean;
  language: string | null;
  /** Simulated (demo) rather than real conversation text. */
  simulated: boolean;
  labels: ImportedLabel[];
  annotation: PairAnnotation | null;
}

export interface ImportBatch {
  format: ImportFormat;
  pairs: ImportedPair[];
  /** Why rows were left out, with counts (ties, multi-turn, ...). */
  dropped: { reason: string; count: number }[];
  /** Judge sizes in billions of parameters, where the source knows them. */
  judgeSizes?: Record<string, number>;
}

/**
 * What `ImportError.line` counts: a 1-based physical line of a text file (JSONL, CSV), or the 1-based position of a
 * record in a JSON array or parquet file, where physical lines mean nothing.
 */
export type ImportLocationUnit = 'line' | 'record';

/** Bad input: names the file, and the line (or record) and field when known. Nothing is written when one is thrown. */
export class ImportError extends Error {
  readonly code = 'IMPORT_INVALID';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly field?: string,
    readonly unit: ImportLocationUnit = 'line',
  ) {
    super(`${file}${line !== undefined ? `, ${unit} ${line}` : ''}${field ? `, field "${field}"` : ''}: ${detail}`);
  }
}
