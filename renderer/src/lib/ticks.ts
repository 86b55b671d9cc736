// Axis ticks for charts centred on a reference value (50% for degrees of preference, 1000 for Elo ratings): evenly
// spaced round steps on both sides, the reference itself always labelled, and at most three ticks per side so
// that the labels never crowd; and category axes wide enough for their labels.

const MAX_PER_SIDE = 3;

/** The smallest step of the form {1, 2.5, 5} x 10^k that covers `reach` in at most three steps. */
function niceStep(reach: number): number {
  const exponent = Math.floor(Math.log10(reach / MAX_PER_SIDE));
  for (let e = exponent; ; e++) {
    for (const m of [1, 2.5, 5]) {
      const step = m * 10 ** e;
      if (Math.ceil(reach / step - 1e-9) <= MAX_PER_SIDE) return step;
    }
  }
}

/**
 * The domain and ticks for values reaching up to `reach` away from `center`, optionally clamped to [min, max]
 * (a probability axis stops at 0 and 1).
 */
export function centredTicks(center: number, reach: number, bounds?: [number, number]): { domain: [number, number]; ticks: number[] } {
  const step = niceStep(Math.max(reach, Number.EPSILON));
  const sides = Math.max(1, Math.ceil(reach / step - 1e-9));
  const ticks: number[] = [];
  for (let i = -sides; i <= sides; i++) {
    // Rounded so that 0.1 * 3 prints as 0.3, not 0.30000000000000004.
    const tick = Number((center + i * step).toPrecision(12));
    if (!bounds || (tick >= bounds[0] - 1e-12 && tick <= bounds[1] + 1e-12)) ticks.push(tick);
  }
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks };
}

/**
 * The axis of a chart of degrees of preference (σ of a weight, Dissect's figure 1 and Review's refits): centred on
 * the 50% line, reaching the farthest value or interval end (at least 5 points), never past 0% or 100%.
 */
export function preferenceAxis(values: number[]): { domain: [number, number]; ticks: number[] } {
  return centredTicks(0.5, Math.min(0.5, Math.max(0.05, ...values.map((v) => Math.abs(v - 0.5)))), [0, 1]);
}

/** A share as an axis label: 47.5% keeps its half point, 50% has none. */
export const percentTick = (v: number) => `${Number((v * 100).toFixed(1))}%`;

/**
 * A category axis wide enough for its longest label on one line (recharts wraps a label wider than the axis, and
 * two-line labels run into their neighbours in a dense chart): about 0.7 em per character (DejaVu Sans, digits and lower case) plus the tick, bounded.
 */
export function categoryAxisWidth(labels: readonly string[], fontSize: number, least = 120, most = 320): number {
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 0);
  return Math.min(most, Math.max(least, Math.ceil(longest * fontSize * 0.7) + 24));
}
