// Comparison features (section 3.5, Appendix H): for each property, +1 when response A satisfies it better than
// response B, -1 when worse, 0 when equal or when the property does not apply to the pair.
import type { PairAnnotation, Side } from '../../../preload/contract';
import { PROPERTIES, PROPERTY_COUNT, ERROR_PROPERTY_BY_SEVERITY, type ErrorSeverity } from './properties';

/** lengthy differs only when the shorter response has fewer than 70% of the longer one's words. */
export const LENGTHY_RATIO = 0.7;

const sign = (d: number) => (d > 0 ? 1 : d < 0 ? -1 : 0);

function compareRating(name: string, a: number, b: number): number {
  if (name === 'relevant') return a === 0 && b > 0 ? -1 : b === 0 && a > 0 ? 1 : 0;
  if (name === 'lengthy') {
    const shorter = Math.min(a, b);
    const longer = Math.max(a, b);
    return shorter < LENGTHY_RATIO * longer ? sign(a - b) : 0;
  }
  return sign(a - b);
}

function errorCount(annotation: PairAnnotation, side: Side, severity: ErrorSeverity): number {
  return annotation.errors![side].errors.filter((e) => e.severity === severity).length;
}

/** The +1/0/-1 vector in PROPERTIES order. */
export function comparisonFeatures(annotation: PairAnnotation): Int8Array {
  const phi = new Int8Array(PROPERTY_COUNT);
  for (const p of PROPERTIES) {
    if (p.group === 'error-detection') continue;
    const r = annotation.ratings[p.name];
    if (r && Number.isFinite(r.A) && Number.isFinite(r.B)) phi[p.position] = compareRating(p.name, r.A, r.B);
  }
  // A response whose error check is "not applicable" is left out of the error features (section 3.4).
  const errors = annotation.errors;
  if (errors && errors.A.applicable && errors.B.applicable) {
    for (const severity of Object.keys(ERROR_PROPERTY_BY_SEVERITY) as ErrorSeverity[]) {
      const position = PROPERTIES.findIndex((p) => p.name === ERROR_PROPERTY_BY_SEVERITY[severity]);
      // Fewer errors in A is better for A.
      phi[position] = sign(errorCount(annotation, 'B', severity) - errorCount(annotation, 'A', severity));
    }
  }
  return phi;
}

/**
 * Words as the paper counts them for `lengthy` (NLTK's word_tokenize): words and runs of punctuation are tokens,
 * contractions split off ("don't" -> do, n't; "it's" -> it, 's).
 */
export function wordCount(text: string): number {
  const split = text.replace(/(\p{L})n['’]t\b/gu, '$1 n_t').replace(/['’](s|re|ve|ll|d|m)\b/giu, ' _$1');
  // Hyphens and other apostrophes inside a word stay in it ("must-see", "L'Ami"), and so does a colon, comma or
  // period between digits ("12:00pm", "1,000"), as in NLTK's tokenizer.
  const tokens = split.match(/[\p{L}\p{N}_]+(?:[-'’][\p{L}\p{N}_]+|[.,:]\p{N}[\p{L}\p{N}_]*)*|[^\s\p{L}\p{N}_]+/gu);
  return tokens ? tokens.length : 0;
}
