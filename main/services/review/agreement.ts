// Agreement statistics of the human quality check (section 3.4, Table 12): the Wilson score interval of an
// agreement rate, Cohen's kappa between two checkers and Krippendorff's alpha between any number. Pure functions
// of counts and labels; nothing here knows about rounds or storage.

/** The 97.5% quantile of the standard normal: a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface Interval { low: number; high: number }

/**
 * Wilson's score interval for x successes in n trials (Wilson 1927; Newcombe 1998, method 3). Unlike the Wald
 * interval it stays inside [0, 1] and is sensible at 0/n and n/n, which agreement rates near 100% often are.
 * Null when there are no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`a Wilson interval needs 0 <= successes <= trials, whole numbers (got ${successes} of ${trials})`);
  }
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // The exact bounds at 0/n and n/n are 0 and 1; rounding would otherwise leave 1e-17 on them.
  return { low: successes === 0 ? 0 : centre - half, high: successes === trials ? 1 : centre + half };
}

export interface KappaResult {
  /** Null when chance agreement is already perfect (both raters used one and the same category throughout). */
  kappa: number | null;
  /** Observed agreement p_o. */
  observed: number;
  /** Agreement expected by chance from the raters' marginals, p_e. */
  expected: number;
  /** Units both rated. */
  n: number;
}

/** Cohen's kappa (1960) of two raters over the same units: (p_o - p_e) / (1 - p_e). */
export function cohenKappa(first: readonly string[], second: readonly string[]): KappaResult {
  if (first.length !== second.length) throw new RangeError(`Cohen's kappa needs the same units from both raters (${first.length} vs ${second.length})`);
  const n = first.length;
  if (n === 0) return { kappa: null, observed: NaN, expected: NaN, n };
  const counts = (labels: readonly string[]) => {
    const m = new Map<string, number>();
    for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const a = counts(first);
  const b = counts(second);
  let same = 0;
  for (let i = 0; i < n; i++) if (first[i] === second[i]) same++;
  let expected = 0;
  for (const [label, count] of a) expected += (count / n) * ((b.get(label) ?? 0) / n);
  const observed = same / n;
  return { kappa: expected === 1 ? null : (observed - expected) / (1 - expected), observed, expected, n };
}

export interface AlphaResult {
  /** Null when no disagreement is expected by chance (a single value throughout) or nothing is pairable. */
  alpha: number | null;
  /** Observed and expected disagreement. */
  observedDisagreement: number;
  expectedDisagreement: number;
  /** Pairable values: those in units that at least two raters rated (Krippendorff's n). */
  pairable: number;
  /** Units with at least two values. */
  units: number;
}

/**
 * Krippendorff's alpha for nominal data, any number of raters, missing values allowed (Krippendorff 2011,
 * "Computing Krippendorff's alpha-reliability"): units is one row per unit, one entry per rater, null where that
 * rater gave no value. alpha = 1 - D_o / D_e from the coincidence matrix.
 */
export function krippendorffAlpha(units: readonly (readonly (string | null)[])[]): AlphaResult {
  // Coincidences o_ck: each ordered pair of values from different raters in a unit adds 1 / (m_u - 1).
  const coincidence = new Map<string, Map<string, number>>();
  const add = (c: string, k: string, w: number) => {
    const row = coincidence.get(c) ?? new Map<string, number>();
    row.set(k, (row.get(k) ?? 0) + w);
    coincidence.set(c, row);
  };
  let pairableUnits = 0;
  for (const unit of units) {
    const values = unit.filter((v): v is string => v !== null);
    const m = values.length;
    if (m < 2) continue;
    pairableUnits++;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) add(values[i], values[j], 1 / (m - 1));
  }
  const totals = new Map<string, number>();
  let n = 0;
  let disagreeing = 0;
  for (const [c, row] of coincidence) {
    for (const [k, o] of row) {
      totals.set(c, (totals.get(c) ?? 0) + o);
      n += o;
      if (c !== k) disagreeing += o;
    }
  }
  // Round n: it is a count of values, reached by adding fractions.
  n = Math.round(n * 1e9) / 1e9;
  let expectedPairs = 0;
  for (const [c, nc] of totals) for (const [k, nk] of totals) if (c !== k) expectedPairs += nc * nk;
  const observedDisagreement = n > 0 ? disagreeing / n : NaN;
  const expectedDisagreement = n > 1 ? expectedPairs / (n * (n - 1)) : NaN;
  const alpha = n > 1 && expectedPairs > 0 ? 1 - ((n - 1) * disagreeing) / expectedPairs : null;
  return { alpha, observedDisagreement, expectedDisagreement, pairable: n, units: pairableUnits };
}
