// What every importer (and the demo project) hands to storage: normalised pairs, nothing written yet.
import type { ImportFormat, ImportNote, PairDetail, PairLabel } from '../../../../preload/contract';

export type { ImportNote } from '../../../../preload/contract';

/** A judge's label as imported: P(A preferred) only for LLM judges that report it. */
export type ImportedLabel = PairLabel;

/**
 * A pair as a source gives it: what storage keeps of a PairDetail. externalId is the source's id (question_id,
 * or a content hash when the source has none), unique within a study; scenario is one of the 10 of Table 8 or null
 * (unsafe queries keep theirs and set `unsafe`); simulated marks demo text.
 */
export type ImportedPair = Pick<PairDetail, 'externalId' | 'query' | 'responseA' | 'responseB' | 'modelA' | 'modelB'
  | 'fineScenario' | 'unsafe' | 'language' | 'simulated' | 'labels' | 'annotation'> & {
  /** null: the source has none (unassigned, not "Others"). */
  scenario: string | null;
  /** A reference answer the source gives (the paper's gpt4_ref_output), which error detection uses. */
  reference?: string | null;
  /** Where the pair's (first) record sits in its file, for messages; absent for a set of several files. */
  location?: { unit: ImportLocationUnit; at: number };
};

export interface ImportBatch {
  format: ImportFormat;
  pairs: ImportedPair[];
  /** Why rows were left out, with counts (ties, multi-turn, ...). */
  dropped: { reason: string; count: number }[];
  /** Values read otherwise than written, with counts (only importers that read some so). */
  notes?: ImportNote[];
  /** Judge sizes in billions of parameters, where the source knows them. */
  judgeSizes?: Record<string, number>;
}

/**
 * What `ImportError.line` counts: a 1-based physical line of a text file (JSONL, CSV), or the 1-based position of a
 * record in a JSON array or parquet file, where physical lines mean nothing.
 */
export type ImportLocationUnit = 'line' | 'record';

/** A value from the file for a message: quoted, escaped (no line breaks or control characters) and cut short. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

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
    super(`${file}${line !== undefined ? `, ${unit} ${line}` : ''}${field ? `, field ${quote(field, 200)}` : ''}: ${detail}`);
  }
}
