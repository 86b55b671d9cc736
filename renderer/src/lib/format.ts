// Number and text formatting shared by the views (en-US grouping so "1,234 pairs" reads the same everywhere).
const integer = new Intl.NumberFormat('en-US');

export const formatCount = (n: number): string => integer.format(n);

export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

export function formatProbability(p: number | null): string {
  return p === null || !Number.isFinite(p) ? '—' : p.toFixed(2);
}

/** Words as the services count them for `lengthy` (words and punctuation runs are tokens, NLTK-like). */
export function wordCount(text: string): number {
  // Counted match by match: a 4.8 MB response has a million tokens, and collecting them first took a second.
  const token = /[\p{L}\p{N}_]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{N}_]+/gu;
  let count = 0;
  while (token.exec(text)) count++;
  return count;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
