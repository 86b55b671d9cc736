import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cohenKappa, krippendorffAlpha, wilsonInterval } from './agreement';

const near = (actual: number | null | undefined, expected: number, tolerance: number, what: string) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} ± ${tolerance}`);

test('Wilson 95% intervals match Newcombe (1998), Table I, method 3', () => {
  // Worked by hand for 81/263: p = 0.30798, z^2 = 3.84146; centre = (p + z^2/526) / (1 + z^2/263) = 0.310744;
  // half width = z / (1 + z^2/263) * sqrt(p(1-p)/263 + z^2/(4 * 263^2)) = 0.055462.
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, low, high] of cases) {
    const ci = wilsonInterval(x, n)!;
    near(ci.low, low, 5e-5, `${x}/${n} low`);
    near(ci.high, high, 5e-5, `${x}/${n} high`);
  }
});

test('Wilson intervals at the edges: n/n reaches 1 exactly, no trials gives none, bad counts are refused', () => {
  // 95/100 (Table 12's "friendly"), worked by hand: centre = (0.95 + 0.0192073) / 1.0384146 = 0.933353;
  // half = 1.887458 * sqrt(0.000475 + 0.0000960365) = 0.045104.
  const ci = wilsonInterval(95, 100)!;
  near(ci.low, 0.88825, 1e-5, '95/100 low');
  near(ci.high, 0.97846, 1e-5, '95/100 high');
  assert.equal(wilsonInterval(4, 4)!.high, 1);
  assert.equal(wilsonInterval(0, 0), null);
  assert.throws(() => wilsonInterval(5, 4), /successes <= trials/);
  assert.throws(() => wilsonInterval(1.5, 4), /whole numbers/);
});

test("Cohen's kappa of the textbook 2x2 table (20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no) is 0.4", () => {
  // p_o = 35/50 = 0.7; first says yes 25/50, second 30/50; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; (0.7 - 0.5) / 0.5 = 0.4.
  const first = [...Array(20).fill('yes'), ...Array(5).fill('yes'), ...Array(10).fill('no'), ...Array(15).fill('no')];
  const second = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
  const r = cohenKappa(first, second);
  near(r.observed, 0.7, 1e-12, 'p_o');
  near(r.expected, 0.5, 1e-12, 'p_e');
  near(r.kappa, 0.4, 1e-12, 'kappa');
  assert.equal(r.n, 50);
});

test("Cohen's kappa with three categories, worked by hand", () => {
  // 10 units: agreement on 7. First: a 4, b 3, c 3; second: a 5, b 3, c 2.
  // p_e = 0.4*0.5 + 0.3*0.3 + 0.3*0.2 = 0.35; kappa = (0.7 - 0.35) / 0.65 = 0.538462.
  const first = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'];
  const second = ['a', 'a', 'a', 'b', 'b', 'b', 'a', 'c', 'c', 'a'];
  near(cohenKappa(first, second).kappa, 0.35 / 0.65, 1e-12, 'kappa');
});

test("Cohen's kappa is undefined when both raters use one category throughout, and needs matching units", () => {
  assert.equal(cohenKappa(['agree', 'agree'], ['agree', 'agree']).kappa, null);
  assert.equal(cohenKappa([], []).kappa, null);
  assert.throws(() => cohenKappa(['a'], ['a', 'b']), /same units/);
});

test("Krippendorff's alpha: binary data, two observers, ten units (Krippendorff 2011, section A) is 0.095", () => {
  // Coincidences: o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20.
  // alpha = 1 - (n - 1) * (o01 + o10) / (n0 n1 + n1 n0) = 1 - 19 * 8 / 168 = 0.095238.
  const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
  const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
  const r = krippendorffAlpha(a.map((v, i) => [String(v), String(b[i])]));
  near(r.alpha, 1 - 152 / 168, 1e-12, 'alpha');
  assert.equal(r.pairable, 20);
  // The same data by Cohen: p_o = 0.6, p_e = 0.8 * 0.6 + 0.2 * 0.4 = 0.56, kappa = 0.04 / 0.44.
  near(cohenKappa(a.map(String), b.map(String)).kappa, 0.04 / 0.44, 1e-12, 'kappa');
});

test("Krippendorff's alpha: nominal data, four observers, missing values (Krippendorff 2011, section C) is 0.743", () => {
  const _ = null;
  const observers = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ];
  const units = observers[0].map((_v, u) => observers.map((o) => (o[u] === null ? null : String(o[u]))));
  const r = krippendorffAlpha(units);
  near(r.alpha, 0.743, 5e-4, 'alpha');
  // Unit 12 has one value only and is not pairable; the other 11 units hold 3+4+4+4+4+4+4+4+4+3+2 = 40 values.
  assert.equal(r.units, 11);
  assert.equal(r.pairable, 40);
});

test("Krippendorff's alpha is undefined when every value is the same or nothing is pairable", () => {
  assert.equal(krippendorffAlpha([['x', 'x'], ['x', 'x', null]]).alpha, null);
  assert.equal(krippendorffAlpha([['x', null], [null, 'y']]).alpha, null);
});
