// How review items, values and verdicts read on screen.
import type { DetectedError, ReviewItem, ReviewSection, Verdict } from '../../../../preload/contract';

export const SECTION_TITLES: Record<ReviewSection, string> = {
  basic: 'Basic properties (response level)',
  prerequisite: 'Query-specific prerequisites (sample level)',
  'query-specific': 'Query-specific properties (response and entity level)',
  error: 'Detected errors (error and response level)',
};

export const SEVERITIES = ['minor', 'moderate', 'severe'] as const;

export function parseDetectedError(json: string | null): DetectedError | null {
  try {
    return JSON.parse(json ?? '') as DetectedError;
  } catch {
    return null;
  }
}

export const describeError = (e: DetectedError | null) => (e ? `${e.severity} · ${e.type}: ${e.description}` : 'an error');

/** A value in an item's own form (rating, yes/no, list, label, error) as text. */
export function formatValue(item: ReviewItem, value: string | null): string {
  if (value === null) return '—';
  switch (item.valueKind) {
    case 'list':
      return value ? value.split('\n').join('; ') : 'none';
    case 'error':
      return describeError(parseDetectedError(value));
    case 'complete':
      return 'nothing missed';
    default:
      return value;
  }
}

/** The value "c" then Enter gives a yes/no item: the other one. */
export const flipped = (item: ReviewItem) => (item.value === 'yes' ? 'no' : 'yes');

/** What an item's label says in the list (the error's text is its value, so its label is its severity). */
export function itemTitle(item: ReviewItem): string {
  if (item.valueKind === 'error') return 'detected error';
  if (item.valueKind === 'complete') return 'no error missed';
  return item.label;
}

export function verdictText(item: ReviewItem, v: Verdict | undefined): string {
  if (!v) return 'not decided';
  if (v.verdict === 'correct') return `corrected to ${formatValue(item, v.correctedValue)}`;
  if (v.verdict === 'reject' && item.valueKind === 'complete') return 'rejected: errors were missed';
  return VERDICT_WORDS[v.verdict];
}

/** A verdict as a past participle ("rejected", never "rejectd"). */
export const VERDICT_WORDS: Record<Verdict['verdict'], string> = { approve: 'approved', reject: 'rejected', correct: 'corrected', add: 'added' };

export const VERDICT_MARK: Record<Verdict['verdict'], string> = { approve: '✓', reject: '✗', correct: '✎', add: '+' };

export const percent = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** A signed number with `digits` decimals; what rounds to zero is shown as 0, never "-0.0". */
export function signed(x: number, digits: number): string {
  const text = Math.abs(x).toFixed(digits);
  return Number(text) === 0 ? text : `${x > 0 ? '+' : '−'}${text}`;
}
