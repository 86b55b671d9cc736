// Pieces every importer shares: scenario labels, external ids, and the tally of dropped rows.
import { createHash } from 'node:crypto';
import type { JudgeKind } from '../../../../preload/contract';
import { contentKey } from '../content-key';
import { SCENARIOS, toScenario, type Scenario } from '../scenarios';
import type { Fields } from './fields';
import type { RecordSource } from './source';
import { quote, type ImportedPair } from './types';

/**
 * One format's importer: the pairs of a file's records as they are read, every record checked (a file with a broken
 * row is refused whole); rows left out, and values read otherwise than written, are counted in `tally`.
 */
export type Importer = (
  source: RecordSource, file: string, tally: ImportTally,
  /** The same file's records again from the start, for layouts read in two passes (several rows to one pair). */
  reopen: () => Promise<RecordSource>,
) => AsyncIterable<ImportedPair>;

/** The source does not name the model that wrote a response. */
export const UNKNOWN_MODEL = 'unknown';

/** Why rows are left out, in the order a report lists them. */
export const DROP_REASONS = {
  tie: 'tie',
  bothBad: 'tie (bothbad)',
  multiTurn: 'multi-turn conversation',
  /** A judge that played both orders and named different sides (FastChat's "inconsistent", arena-hard's two games). */
  gamesDisagree: 'tie (the two orders disagree)',
  judgeError: 'no verdict (judge error)',
  noAnswer: 'no answer from one of the models',
  contextDiffers: 'the two transcripts differ before the last reply',
} as const;
type DropReason = (typeof DROP_REASONS)[keyof typeof DROP_REASONS];

/** Distinct notes listed one by one; a file with more kinds of odd values gets one more line for the rest. */
export const MAX_NOTES = 20;

/**
 * What an import counts besides its pairs: rows left out, by reason, and values read otherwise than written (notes,
 * e.g. a label the paper's authors' code reads as another), each with how often.
 */
export class ImportTally {
  private readonly counts = new Map<DropReason, number>();
  private readonly noted = new Map<string, number>();
  add(reason: DropReason): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
  list(): { reason: string; count: number }[] {
    return Object.values(DROP_REASONS)
      .filter((reason) => this.counts.has(reason))
      .map((reason) => ({ reason, count: this.counts.get(reason)! }));
  }
  note(text: string): void {
    const key = this.noted.has(text) || this.noted.size < MAX_NOTES ? text : OTHER_NOTES;
    this.noted.set(key, (this.noted.get(key) ?? 0) + 1);
  }
  notes(): { note: string; count: number }[] {
    return [...this.noted].map(([note, count]) => ({ note, count }));
  }
}
const OTHER_NOTES = `other values read otherwise than written (only the first ${MAX_NOTES} kinds are listed)`;

/**
 * Whether a pair's sides are swapped from the source's order (chosen/rejected sources): a seeded coin from the
 * pair's content, so a re-import is identical and the chosen side is not always A.
 */
export function seededSwap(parts: string[]): boolean {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return (hash.digest()[0] & 1) === 1;
}

/**
 * A judge's kind from its name, for sources whose rows name a judge (Arena, MT-bench human judgments): GPT-4 style
 * judges (gpt4_pair, gpt-4, claude-v1, ...) are LLMs; people (arena_user_12, expert_0, author_3, human) are human.
 */
export function judgeKindOf(name: string): JudgeKind {
  return /^(gpt|claude|gemini|llama|mistral|mixtral|qwen|palm|bard|command|deepseek|vicuna|auto-?j|pandalm|ultracm|judgelm)/i
    .test(name.trim()) ? 'llm' : 'human';
}

const canonical = (s: string) => s.trim().toLowerCase().replace(/[\s_]+/g, '-');

/**
 * A scenario label (one of the 10 scenarios, or a fine scenario of Table 8) as {scenario, fineScenario};
 * an unknown label is an error that names it.
 */
export function readScenario(f: Fields, name: string): { scenario: Scenario; fineScenario: string | null } {
  const label = f.string(name);
  const scenario = toScenario(label);
  if (!scenario) {
    f.fail(`unknown scenario ${quote(label)}: expected one of ${SCENARIOS.join(', ')}, or a fine scenario of the paper's Table 8 (e.g. code-generation)`, name);
  }
  const fine = canonical(label);
  return { scenario, fineScenario: fine === canonical(scenario) ? null : fine };
}

/** A short hash of a row's parts: its id where the source gives none. */
export function partsKey(parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex').slice(0, 20);
}

/**
 * External ids name one pair within a study. An id given by the source may repeat with the same query and responses
 * (in either order): another judge's vote on that pair, which storage adds to it; with other content it is an error.
 * A content hash (for sources without ids) that repeats gets a suffix, so identical rows stay distinct but
 * re-importing the same file yields the same ids.
 */
export class ExternalIds {
  private readonly seen = new Map<string, number>();
  /** Per given id, 28 bits of its pair's content key: enough to tell another pair; storage compares the full text. */
  private readonly contentOf = new Map<string, number>();
  /** The next suffix to try per hashed id, so that n identical rows cost n look-ups, not n^2 / 2. */
  private readonly nextSuffix = new Map<string, number>();

  /**
   * Without `pair` (importers that gather a pair's judges themselves) a repeated id is an error; with it, a repeat
   * with the same content is another vote on that pair.
   */
  given(f: Fields, name: string, pair?: { query: string; responseA: string; responseB: string }): string {
    const id = f.id(name);
    const content = pair ? Number.parseInt(contentKey(pair.query, pair.responseA, pair.responseB).slice(0, 7), 16) : null;
    const first = this.seen.get(id);
    if (first !== undefined) {
      if (content !== null && this.contentOf.get(id) === content) return id;
      f.fail(`duplicate id ${quote(id)} (first seen at ${f.where.unit} ${first})${content === null ? '' : ' with a different query or responses'}`, name);
    }
    this.seen.set(id, f.where.at);
    if (content !== null) this.contentOf.set(id, content);
    return id;
  }

  hashed(f: Fields, parts: string[]): string {
    const base = partsKey(parts);
    let id = base;
    if (this.seen.has(id)) {
      let n = this.nextSuffix.get(base) ?? 2;
      // A given id may already hold a suffixed form, hence the loop; it only ever moves forward.
      while (this.seen.has(`${base}-${n}`)) n++;
      id = `${base}-${n}`;
      this.nextSuffix.set(base, n + 1);
    }
    this.seen.set(id, f.where.at);
    return id;
  }
}
