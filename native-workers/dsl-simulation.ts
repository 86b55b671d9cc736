// The simulated check shared by dsl.test.ts and scripts/bench-dsl.ts: comparison features at the paper's rates
// for one group, labels from a judge's published weights, an annotator with systematic errors, and a check
// drawn either at random or by the design (checkPriority from an earlier round's error table).
import { annotationErrorTable, checkingProbabilities, checkPriority, fitDsl, type DslFit } from './dsl';
import { Rng } from './rng';
import { annotateWithErrors, drawChecks, groupNonzeroRates, simulateComparisons, type AnnotatorErrors } from './simulate';

export interface CheckScenario {
  /** the judge's published weights (log-odds) */
  truth: readonly number[];
  group: string;
  pairs: number;
  errors: AnnotatorErrors;
}

export interface SimulatedCheck {
  fit: DslFit;
  truth: readonly number[];
}

export interface PaperWeights {
  properties: string[];
  group_sizes: Record<string, number>;
  groups: Record<string, Record<string, number[]>>;
}

/**
 * The scenario of the tests and the bench: Knowledge-aware at the paper's size (820 pairs), labels from the
 * human judge's published weights. Those are posterior means of alpha, the log-odds weights (sigma(alpha) is
 * only the "degree of preference" shown in the app), so they are the truth on the scale DSL estimates. The
 * annotator makes GPT-4-Turbo-like systematic errors: "clear" reported the other way round in a quarter of the
 * pairs where it differs, half of the severe-error differences missed, and a halo: in 40% of pairs "contain
 * rich info" is reported as whichever response is longer.
 */
export function paperCheckScenario(paper: PaperWeights): CheckScenario {
  const at = (name: string) => paper.properties.indexOf(name);
  const group = 'Knowledge-aware';
  return {
    truth: paper.groups[group].human,
    group,
    pairs: paper.group_sizes[group],
    errors: { flip: { [at('clear')]: 0.25 }, zero: { [at('no severe errors')]: 0.5 }, copy: [{ from: at('lengthy'), to: at('contain rich info'), rate: 0.4 }] },
  };
}

/** One replication: a fresh data set (seed) checked at random, budget / N per pair, or by the design. */
export function simulateCheck(s: CheckScenario, budget: number, seed: number, errorTable?: Float64Array): SimulatedCheck {
  const K = s.truth.length;
  const { X, y } = simulateComparisons(s.pairs, groupNonzeroRates(s.group), s.truth, seed);
  const rng = new Rng(seed, 1);
  const annotated = annotateWithErrors(X, K, s.errors, rng);
  const probability = errorTable
    ? checkingProbabilities(checkPriority(annotated, y, K, errorTable), budget)
    : new Float64Array(s.pairs).fill(budget / s.pairs);
  const isChecked = drawChecks(probability, rng);
  return { fit: fitDsl({ K, y, annotated, checked: X, isChecked, probability }), truth: s.truth };
}

/** The error table of an earlier round: `budget` pairs checked at random on a data set of its own. */
export function pilotErrorTable(s: CheckScenario, budget: number, seed: number): Float64Array {
  const K = s.truth.length;
  const { X, y } = simulateComparisons(s.pairs, groupNonzeroRates(s.group), s.truth, seed);
  const rng = new Rng(seed, 1);
  const annotated = annotateWithErrors(X, K, s.errors, rng);
  const probability = new Float64Array(s.pairs).fill(budget / s.pairs);
  return annotationErrorTable({ K, y, annotated, checked: X, isChecked: drawChecks(probability, rng), probability });
}

/** Mean width of the corrected 95% intervals over the estimable properties and `reps` replications. */
export function meanCorrectedWidth(s: CheckScenario, budget: number, reps: number, firstSeed: number, errorTable?: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let r = 0; r < reps; r++) {
    const { fit } = simulateCheck(s, budget, firstSeed + r, errorTable);
    for (let k = 0; k < fit.K; k++) {
      if (!fit.corrected.estimable[k]) continue;
      sum += fit.corrected.high[k] - fit.corrected.low[k];
      count++;
    }
  }
  return sum / count;
}
