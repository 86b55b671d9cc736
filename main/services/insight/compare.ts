// Comparing judges (section 4.2 and the "Style Outweighs Substance" seed paper): effect strengths from stored fits
// and from the paper's published weights side by side, judge similarity, intra/inter-group similarity of judge
// groups, and how much of each judge's preference style properties carry versus substance properties.
import type {
  EffectStrength, JudgeAccuracy, JudgeEffects, JudgeGroup, JudgeKind, JudgeRef, SimilarityJudge, SimilarityResult,
  StyleSubstanceResult,
} from '../../../preload/contract';
import type { Storage } from '../storage';
import { paperReference } from '../data/reference';
import { PROPERTY_NAMES } from '../data/properties';
import { GROUPS, SCENARIOS, UNSAFE_GROUP } from '../data/scenarios';
import { AppFailure } from '../errors';
import type { Table } from '../tables';
import table10 from '../../../resources/paper-accuracy.json';
import { pearson as pearsonOver } from '../../../native-workers';
import { fitFlag, groupFlags } from '../dissect/dissection';
import { groupLabel } from '../../../preload/contract';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The groups that split a study into disjoint parts: each pair is in exactly one (the paper's scenarios). */
export const PARTITION_GROUPS: readonly string[] = [...SCENARIOS, UNSAFE_GROUP];

export const judgeKey = (j: JudgeRef) => `${j.source}:${j.name}`;
export const judgeLabel = (j: JudgeRef) => (j.source === 'paper' ? `${j.name} (paper)` : j.name);

/** The three most and least preferred properties, by degree of preference (ties keep the property order). */
export function topAndLast(properties: EffectStrength[], n = 3): { top: string[]; last: string[] } {
  const byStrength = [...properties].sort((a, b) => b.strength - a.strength);
  return { top: byStrength.slice(0, n).map((p) => p.name), last: byStrength.slice(-n).reverse().map((p) => p.name) };
}

function checkGroups(groups: string[] | undefined): void {
  const unknown = (groups ?? []).filter((g) => !GROUPS.includes(g));
  if (unknown.length) throw new AppFailure('INVALID', `Unknown group: ${unknown.join(', ')}; use one of ${GROUPS.join(', ')}.`);
}

/**
 * Effect strengths of judges on groups, in the order asked: a study judge's latest finished fit per group (a fit
 * still running or failed leaves the previous result in place), a paper judge's published weights.
 */
export function judgeEffects(storage: Storage, studyId: number, judges: JudgeRef[], groups?: string[]): JudgeEffects[] {
  checkGroups(groups);
  const wanted = (g: string) => !groups || groups.includes(g);
  const reference = paperReference();
  const fits = storage.fits.latestFits(studyId, 'done');
  const out: JudgeEffects[] = [];
  for (const judge of judges) {
    if (judge.source === 'study') {
      storage.pairs.judgeId(judge.name);
      for (const fit of fits.filter((f) => f.judge === judge.name && wanted(f.group))) {
        const properties = fit.properties.map((p): EffectStrength => ({
          name: p.name, alpha: p.alphaMean, strength: p.strength, strengthQ5: p.strengthQ5, strengthQ95: p.strengthQ95, rhat: p.rhat,
        }));
        out.push({
          judge, label: judgeLabel(judge), group: fit.group, fitId: fit.id, rows: fit.rows, accuracy: fit.accuracy,
          diagnostics: fit.diagnostics, flag: fitFlag(fit.diagnostics), properties, ...topAndLast(properties),
        });
      }
    } else {
      if (!(judge.name in reference.judgeSizes)) throw new AppFailure('NOT_FOUND', `The paper has no judge named "${judge.name}".`);
      for (const group of reference.groups.filter(wanted)) {
        const alpha = reference.weights[group][judge.name];
        if (!alpha) continue;
        const properties = alpha.map((a, i): EffectStrength => ({
          name: reference.properties[i], alpha: a, strength: sigmoid(a), strengthQ5: null, strengthQ95: null, rhat: null,
        }));
        out.push({
          judge, label: judgeLabel(judge), group, fitId: null, rows: reference.groupSizes[group] ?? null, accuracy: null,
          diagnostics: null, flag: null, properties, ...topAndLast(properties),
        });
      }
    }
  }
  return out;
}

/** Table 10: a judge's held-out accuracy is the mean over scenarios of its fits' accuracy (appendix J). */
export function judgeAccuracies(storage: Storage, studyId: number): JudgeAccuracy[] {
  const fits = storage.fits.latestFits(studyId, 'done').filter((f) => f.accuracy !== null);
  return storage.pairs.judges(studyId).map((j) => {
    const perGroup = fits.filter((f) => f.judge === j.name).map((f) => ({ group: f.group, accuracy: f.accuracy! }));
    const scenario = perGroup.filter((g) => PARTITION_GROUPS.includes(g.group));
    return {
      judge: j.name,
      accuracy: scenario.length ? scenario.reduce((t, g) => t + g.accuracy, 0) / scenario.length : null,
      scenarioGroups: scenario.length,
      perGroup,
      paperAccuracy: j.name in table10.accuracy_percent ? (table10.accuracy_percent as Record<string, number>)[j.name] / 100 : null,
    };
  });
}

// ---------- similarity (section 4.2.1) ----------

/** Pearson's correlation of two weight vectors; null when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const r = pearsonOver(a, b);
  return Number.isNaN(r) ? null : r;
}

/**
 * similarity(M, N) = the mean over groups s of Pearson(alpha_M^s, alpha_N^s). The paper's judges all have every
 * group; a user's judges may not, so each entry averages over the groups both judges have, and says how many.
 */
export function similarityMatrix(weights: Map<string, number[]>[]): { matrix: (number | null)[][]; groupCounts: number[][] } {
  const n = weights.length;
  const matrix: (number | null)[][] = [];
  const groupCounts: number[][] = [];
  for (let i = 0; i < n; i++) {
    matrix.push(new Array(n).fill(null));
    groupCounts.push(new Array(n).fill(0));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      let count = 0;
      for (const [group, a] of weights[i]) {
        const b = weights[j].get(group);
        const r = b ? pearson(a, b) : null;
        if (r === null) continue;
        sum += r;
        count++;
      }
      matrix[i][j] = matrix[j][i] = count ? sum / count : null;
      groupCounts[i][j] = groupCounts[j][i] = count;
    }
  }
  return { matrix, groupCounts };
}

const mean = (values: number[]) => (values.length ? values.reduce((t, v) => t + v, 0) / values.length : null);

/** Intra(A): the mean similarity over the n(n-1)/2 pairs of distinct members. */
export function intraSimilarity(matrix: (number | null)[][], members: number[]): number | null {
  const values: number[] = [];
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) {
      const v = matrix[members[a]][members[b]];
      if (v !== null) values.push(v);
    }
  }
  return mean(values);
}

/** Inter(A, B): the mean similarity over the n*m pairs of a member of A and a member of B. */
export function interSimilarity(matrix: (number | null)[][], a: number[], b: number[]): number | null {
  const values: number[] = [];
  for (const i of a) for (const j of b) if (i !== j && matrix[i][j] !== null) values.push(matrix[i][j]!);
  return mean(values);
}

/**
 * Section 4.2.2's split of the open LLMs by size: "<14B" and ">30B". The paper's figure has 14B models and no group
 * between 14B and 30B, so 14B models count as "<14B" (which also comes closest to the paper's 0.83/0.88/0.74).
 */
export function sizeGroups(judges: SimilarityJudge[]): JudgeGroup[] {
  const llm = judges.filter((j) => j.kind === 'llm' && j.sizeBillion !== null);
  return [
    { name: '<14B', judges: llm.filter((j) => j.sizeBillion! <= 14).map((j) => j.judge) },
    { name: '>30B', judges: llm.filter((j) => j.sizeBillion! > 30).map((j) => j.judge) },
  ];
}

function similarityJudges(storage: Storage, studyId: number, judges: JudgeRef[], effects: JudgeEffects[]): SimilarityJudge[] {
  const sizes = paperReference().judgeSizes;
  const studyJudges = new Map(storage.pairs.judges(studyId).map((j) => [j.name, j]));
  return judges.map((judge): SimilarityJudge => {
    if (judge.source === 'paper') {
      const kind: JudgeKind = judge.name === 'human' ? 'human' : 'llm';
      return { judge, label: judgeLabel(judge), kind, sizeBillion: sizes[judge.name] ?? null, flag: null };
    }
    const j = studyJudges.get(judge.name);
    if (!j) throw new AppFailure('NOT_FOUND', `There is no judge named "${judge.name}" in this study.`);
    return { judge, label: judgeLabel(judge), kind: j.kind, sizeBillion: j.sizeBillion, flag: groupFlags(effects.filter((e) => judgeKey(e.judge) === judgeKey(judge))) };
  });
}

/** Figure 3's order: by model size, small to large; LLMs of unknown size (proprietary) next, humans last. */
export function bySize(a: SimilarityJudge, b: SimilarityJudge): number {
  const rank = (j: SimilarityJudge) => (j.kind === 'human' ? 2 : j.sizeBillion === null ? 1 : 0);
  return rank(a) - rank(b) || (a.sizeBillion ?? 0) - (b.sizeBillion ?? 0) || a.label.localeCompare(b.label);
}

export function judgeSimilarity(
  storage: Storage,
  input: { studyId: number; judges: JudgeRef[]; groups?: string[]; judgeGroups?: JudgeGroup[] },
): SimilarityResult {
  const unique = [...new Map(input.judges.map((j) => [judgeKey(j), j])).values()];
  const effects = judgeEffects(storage, input.studyId, unique, input.groups);
  const all = similarityJudges(storage, input.studyId, unique, effects).sort(bySize);
  const weightsOf = (j: SimilarityJudge) => new Map(effects.filter((e) => judgeKey(e.judge) === judgeKey(j.judge)).map((e) => [e.group, e.properties.map((p) => p.alpha)]));
  const missing = all.filter((j) => weightsOf(j).size === 0);
  const judges = all.filter((j) => weightsOf(j).size > 0);
  const { matrix, groupCounts } = similarityMatrix(judges.map(weightsOf));
  const judgeGroups = input.judgeGroups ?? sizeGroups(judges);
  const index = new Map(judges.map((j, i) => [judgeKey(j.judge), i]));
  const membersOf = (g: JudgeGroup) => [...new Set(g.judges.map((j) => index.get(judgeKey(j))).filter((i): i is number => i !== undefined))];
  const inter: SimilarityResult['inter'] = [];
  judgeGroups.forEach((a, i) => judgeGroups.slice(i + 1).forEach((b) => inter.push({ a: a.name, b: b.name, similarity: interSimilarity(matrix, membersOf(a), membersOf(b)) })));
  return {
    judges, matrix, groupCounts,
    groups: GROUPS.filter((g) => effects.some((e) => e.group === g)),
    judgeGroups,
    intra: judgeGroups.map((g) => ({ group: g.name, judges: membersOf(g).length, similarity: intraSimilarity(matrix, membersOf(g)) })),
    inter,
    missing: missing.map((j) => j.label),
  };
}

// ---------- style vs substance ----------

/**
 * The default split of the 29 properties. Style is how a response says things (tone, wording, form, length);
 * substance is what it says (safety, correctness, information, doing what the query asks), the seed paper's
 * "safety, world knowledge and instruction following". Users can move any property.
 */
export const DEFAULT_STYLE_PROPERTIES: readonly string[] = [
  'grammarly correct', 'friendly', 'polite', 'interactive', 'authoritative', 'funny', 'use rhetorical devices',
  'complex word & sentence', 'well formatted', 'persuasive', 'use informal expressions', 'non-repetitive', 'clear',
  // Empathy is tone: the response's content may be the same with or without it.
  'show empathetic',
  'lengthy',
];

/**
 * A judge's style share on one group is sum_{i in style} |alpha_i| / sum_i |alpha_i|: the part of the total effect
 * strength, liked or disliked alike (hence |alpha|), that style properties carry. The substance share is the rest,
 * since every property is one or the other. Over groups the shares are averaged, so that a group with strong
 * weights does not outweigh the others (as similarity averages over groups).
 */
export function styleShare(alpha: ArrayLike<number>, style: ReadonlySet<string>): number | null {
  let styleSum = 0;
  let total = 0;
  for (let i = 0; i < PROPERTY_NAMES.length; i++) {
    const w = Math.abs(alpha[i]);
    total += w;
    if (style.has(PROPERTY_NAMES[i])) styleSum += w;
  }
  return total > 0 ? styleSum / total : null;
}

export function styleSubstance(storage: Storage, input: { studyId: number; judges: JudgeRef[]; style?: string[] }): StyleSubstanceResult {
  const style = input.style ?? [...DEFAULT_STYLE_PROPERTIES];
  const unknown = style.filter((name) => !PROPERTY_NAMES.includes(name));
  if (unknown.length) throw new AppFailure('INVALID', `Unknown property: ${unknown.join(', ')}.`);
  const styleSet = new Set(style);
  const effects = judgeEffects(storage, input.studyId, input.judges);
  const judges = input.judges.flatMap((judge) => {
    const own = effects.filter((e) => judgeKey(e.judge) === judgeKey(judge));
    const shares = own.map((e) => styleShare(e.properties.map((p) => p.alpha), styleSet)).filter((s): s is number => s !== null);
    const share = mean(shares);
    return share === null ? [] : [{ judge, label: judgeLabel(judge), styleShare: share, substanceShare: 1 - share, groups: shares.length, flag: groupFlags(own) }];
  });
  return {
    style: PROPERTY_NAMES.filter((n) => styleSet.has(n)),
    substance: PROPERTY_NAMES.filter((n) => !styleSet.has(n)),
    defaultStyle: [...DEFAULT_STYLE_PROPERTIES],
    judges,
  };
}

// ---------- tables ----------

const percent = (p: number | null) => (p === null ? null : p * 100);

/** Figure 1 as a table: sigma(alpha) in percent with its 90% interval, one column group per judge. */
export function effectStrengthsTable(effects: JudgeEffects[], group: string): Table {
  const shown = effects.filter((e) => e.group === group);
  return {
    title: `Effect strengths on ${groupLabel(group)}`,
    // A flagged fit says so in its columns' names, so that no format (CSV and JSON have no notes) loses the mark.
    columns: ['property', ...shown.flatMap((e) => {
      const label = e.flag ? `${e.label} [flagged fit: ${e.flag}]` : e.label;
      return [`${label} %`, `${label} 5%`, `${label} 95%`];
    })],
    rows: PROPERTY_NAMES.map((name) => [name, ...shown.flatMap((e) => {
      const p = e.properties.find((x) => x.name === name)!;
      return [percent(p.strength), percent(p.strengthQ5), percent(p.strengthQ95)];
    })]),
    digits: 1,
  };
}

/** Tables 3 and 13: the top and last three properties of each judge on each group. */
export function topLastThreeTable(effects: JudgeEffects[]): Table {
  const order = (e: JudgeEffects) => GROUPS.indexOf(e.group);
  const strength = (e: JudgeEffects, name: string) => `${name} (${percent(e.properties.find((p) => p.name === name)!.strength)!.toFixed(1)})`;
  return {
    title: 'Top and last three preferred properties',
    columns: ['group', 'judge', 'top 1', 'top 2', 'top 3', 'last 1', 'last 2', 'last 3', 'flagged fit'],
    rows: [...effects].sort((a, b) => order(a) - order(b)).map((e) => [
      e.group, e.label, ...e.top.map((n) => strength(e, n)), ...e.last.map((n) => strength(e, n)), e.flag,
    ]),
  };
}

export function accuracyTable(accuracies: JudgeAccuracy[]): Table {
  return {
    title: 'Held-out accuracy of the fitted models',
    columns: ['judge', 'accuracy %', 'scenario groups', 'paper %', ...GROUPS.map((g) => `${g} %`)],
    rows: accuracies.map((a) => [
      a.judge, percent(a.accuracy), a.scenarioGroups, percent(a.paperAccuracy),
      ...GROUPS.map((g) => percent(a.perGroup.find((x) => x.group === g)?.accuracy ?? null)),
    ]),
    digits: 1,
  };
}

export function similarityTable(result: SimilarityResult): Table {
  return {
    title: 'Similarity of judge preferences',
    columns: ['judge', ...result.judges.map((j) => j.label), 'flagged fits'],
    rows: result.judges.map((j, i) => [j.label, ...result.matrix[i], j.flag]),
    digits: 2,
  };
}

export function intraInterTable(result: SimilarityResult): Table {
  return {
    title: 'Intra- and inter-group similarity of judge preferences',
    columns: ['kind', 'groups', 'judges', 'similarity'],
    rows: [
      ...result.intra.map((g) => ['intra', g.group, g.judges, g.similarity]),
      ...result.inter.map((g) => ['inter', `${g.a} / ${g.b}`, null, g.similarity]),
    ],
    digits: 2,
  };
}

export function styleSubstanceTable(result: StyleSubstanceResult): Table {
  return {
    title: 'Share of preference carried by style and substance properties',
    columns: ['judge', 'style %', 'substance %', 'groups', 'flagged fits'],
    rows: result.judges.map((j) => [j.label, percent(j.styleShare), percent(j.substanceShare), j.groups, j.flag]),
    digits: 1,
  };
}
