// The data domain's pairs, judges and labels: the pair list with its filters, a pair with its annotation, the pairs of
// a group, and a judge's labels, for every domain that reads them.
import type { Judge, JudgeKind, PairDetail, PairFacets, PairLabel, PairPage, PairQuery, PairRow, ScenarioCorrection, Side, StudyGroups } from '../../../preload/contract';
import type { AnnotationStore } from './annotations-store';
import { AppFailure } from '../errors';
import type { DB } from '../db/database';
import { GROUPS, QUERY_SPECIFIC_GROUPS, SCENARIOS, UNSAFE_GROUP, normalise, toScenario } from './scenarios';

export const QUERY_PREVIEW_CHARS = 240;

/** FTS5 query from free text: every word must appear, as a prefix. */
function ftsQuery(search: string): string | null {
  const words = search.match(/[\p{L}\p{N}_]+/gu);
  if (!words) return null;
  return words.map((w) => `"${w}"*`).join(' AND ');
}

/** SQL condition for the pairs of a group (section 3.5): a scenario holds its safe pairs only, as the paper set
 *  the unsafe queries apart before classifying the rest; query-specific groups overlap the scenarios. */
export function groupCondition(group: string): { sql: string; params: Record<string, unknown> } {
  if (group === UNSAFE_GROUP) return { sql: 'p.unsafe = 1', params: {} };
  if ((QUERY_SPECIFIC_GROUPS as readonly string[]).includes(group)) return { sql: `p.${group} = 1`, params: {} };
  if ((SCENARIOS as readonly string[]).includes(group)) return { sql: 'p.scenario = @group AND p.unsafe = 0', params: { group } };
  throw new AppFailure('INVALID', `"${group}" is not a group: use one of ${GROUPS.join(', ')}.`);
}

/** One pair as exported: the fields of the exported-pairs layout, labels as their JSON text. */
export interface ExportedPairRow {
  id: string; query: string; response_a: string; response_b: string; model_a: string; model_b: string;
  scenario: string | null; fine_scenario: string | null; unsafe: boolean; language: string | null; reference: string | null;
  labels: string;
}

export class PairStore {
  constructor(private readonly db: DB, private readonly annotations: AnnotationStore) {}

  /**
   * Every pair of a study as `export pairs` writes it, in id order, read as it goes. The reference answer comes from
   * the pairs' reference column where the schema has one.
   */
  *exportRows(studyId: number): Generator<ExportedPairRow> {
    const rows = this.db.prepare(`
      SELECT p.external_id AS id, p.query, p.response_a, p.response_b, p.model_a, p.model_b, p.scenario, p.fine_scenario,
        p.unsafe, p.language, p.reference_answer AS reference,
        (SELECT json_group_array(json_object('judge', name, 'kind', kind, 'preferred', preferred, 'probability_a', probability_a))
          FROM (SELECT j.name, j.kind, l.preferred, l.probability_a FROM labels l JOIN judges j ON j.id = l.judge_id
            WHERE l.pair_id = p.id ORDER BY j.name)) AS labels
      FROM pairs p WHERE p.study_id = ? ORDER BY p.id`).iterate(studyId) as IterableIterator<Omit<ExportedPairRow, 'unsafe'> & { unsafe: number }>;
    for (const r of rows) yield { ...r, unsafe: r.unsafe === 1 };
  }

  queryPairs(q: PairQuery): PairPage {
    const where: string[] = ['p.study_id = @studyId'];
    const params: Record<string, unknown> = { studyId: q.studyId };
    const match = q.search ? ftsQuery(q.search) : null;
    if (match) {
      where.push('p.id IN (SELECT rowid FROM pairs_fts WHERE pairs_fts MATCH @match)');
      params.match = match;
    }
    if (q.scenario) {
      if (q.scenario === UNSAFE_GROUP) where.push('p.unsafe = 1');
      else { where.push('p.scenario = @scenario'); params.scenario = q.scenario; }
    }
    if (q.group) {
      const group = groupCondition(q.group);
      where.push(group.sql);
      Object.assign(params, group.params);
      // A group as a fit counts it: pairs with a response error detection found not applicable are left out (the
      // fits' default, as the paper does).
      where.push('NOT EXISTS (SELECT 1 FROM error_checks e WHERE e.pair_id = p.id AND e.applicable = 0)');
    }
    if (q.unassigned) where.push('p.scenario IS NULL');
    if (q.sourceModel) {
      // Two index lookups joined, rather than an OR that makes SQLite scan the study.
      where.push(`p.id IN (SELECT id FROM pairs WHERE study_id = @studyId AND model_a = @model
        UNION SELECT id FROM pairs WHERE study_id = @studyId AND model_b = @model)`);
      params.model = q.sourceModel;
    }
    if (q.annotated !== undefined) { where.push('p.annotated = @annotated'); params.annotated = q.annotated ? 1 : 0; }
    if (q.simulated !== undefined) { where.push('p.simulated = @simulated'); params.simulated = q.simulated ? 1 : 0; }
    if (q.judge) {
      where.push('EXISTS (SELECT 1 FROM labels l JOIN judges j ON j.id = l.judge_id WHERE l.pair_id = p.id AND j.name = @judge)');
      params.judge = q.judge;
    }
    const clause = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM pairs p WHERE ${clause}`).get(params) as { n: number }).n;
    const limit = Math.max(0, Math.min(500, Math.floor(q.limit)));
    const offset = Math.max(0, Math.floor(q.offset));
    // The page's ids first: SQLite computes every selected column of the rows an OFFSET skips, labels included.
    const rows = this.db.prepare(`
      SELECT p.id, p.external_id, substr(p.query, 1, ${QUERY_PREVIEW_CHARS}) AS query_preview, p.scenario, p.unsafe,
        p.model_a, p.model_b, p.language, p.simulated, p.annotated,
        (SELECT group_concat(j.name || '=' || l.preferred, char(31)) FROM labels l JOIN judges j ON j.id = l.judge_id
          WHERE l.pair_id = p.id) AS labels
      FROM pairs p WHERE p.id IN (SELECT p.id FROM pairs p WHERE ${clause} ORDER BY p.id LIMIT @limit OFFSET @offset)
      ORDER BY p.id`)
      .all({ ...params, limit, offset }) as {
      id: number; external_id: string; query_preview: string; scenario: string | null; unsafe: number; model_a: string;
      model_b: string; language: string | null; simulated: number; annotated: number; labels: string | null;
    }[];
    return {
      total,
      offset,
      rows: rows.map((r): PairRow => ({
        id: r.id, externalId: r.external_id, queryPreview: r.query_preview, scenario: r.scenario, unsafe: r.unsafe === 1,
        modelA: r.model_a, modelB: r.model_b, language: r.language, simulated: r.simulated === 1, annotated: r.annotated === 1,
        labels: Object.fromEntries((r.labels ? r.labels.split('\u001f') : []).map((kv) => {
          const at = kv.lastIndexOf('=');
          return [kv.slice(0, at), kv.slice(at + 1) as Side];
        })),
      })),
    };
  }

  facets(studyId: number): PairFacets {
    const scenarios = (this.db.prepare('SELECT DISTINCT scenario FROM pairs WHERE study_id = ? AND scenario IS NOT NULL ORDER BY scenario').all(studyId) as { scenario: string }[])
      .map((r) => r.scenario);
    const unassigned = (this.db.prepare('SELECT count(*) AS n FROM pairs WHERE study_id = ? AND scenario IS NULL').get(studyId) as { n: number }).n;
    const hasUnsafe = this.db.prepare('SELECT 1 FROM pairs WHERE study_id = ? AND unsafe = 1 LIMIT 1').get(studyId);
    const sourceModels = (this.db.prepare(`SELECT model FROM (SELECT model_a AS model FROM pairs WHERE study_id = ?
      UNION SELECT model_b FROM pairs WHERE study_id = ?) ORDER BY model`).all(studyId, studyId) as { model: string }[]).map((r) => r.model);
    return {
      scenarios: hasUnsafe ? [...scenarios, UNSAFE_GROUP] : scenarios,
      judges: this.judges(studyId).map((j) => j.name),
      sourceModels,
      unassigned,
    };
  }

  /** The groups a fit can be run on, with their pairs; a safe pair without a scenario is in none of the scenarios. */
  groups(studyId: number): StudyGroups {
    const groups = GROUPS.map((group) => {
      const { sql, params } = groupCondition(group);
      const row = this.db.prepare(`SELECT count(*) AS pairs, coalesce(sum(p.annotated), 0) AS annotated FROM pairs p
        WHERE p.study_id = @studyId AND ${sql}`).get({ studyId, ...params }) as { pairs: number; annotated: number };
      return { group, ...row };
    }).filter((g) => g.pairs > 0);
    const unassigned = (this.db.prepare('SELECT count(*) AS n FROM pairs WHERE study_id = ? AND scenario IS NULL AND unsafe = 0').get(studyId) as { n: number }).n;
    return { groups, unassigned };
  }

  /** A person's scenario and unsafe flag for a pair, marked so that scenario jobs keep it. */
  setScenario(c: ScenarioCorrection): void {
    let scenario: string | null = null;
    let fine: string | null = null;
    if (c.scenario !== null) {
      scenario = toScenario(c.scenario) ?? null;
      if (!scenario) throw new AppFailure('INVALID', `"${c.scenario}" is not a scenario: use one of ${SCENARIOS.join(', ')}, or a fine scenario of Table 8.`);
      const key = normalise(c.scenario);
      fine = key === normalise(scenario) ? null : key;
    }
    const changed = this.db.prepare(`UPDATE pairs SET scenario = ?, fine_scenario = ?, unsafe = ?, scenario_by_hand = 1,
      moderation_json = CASE WHEN ? = unsafe THEN moderation_json ELSE NULL END WHERE id = ?`)
      .run(scenario, fine, c.unsafe ? 1 : 0, c.unsafe ? 1 : 0, c.pairId).changes;
    if (changed === 0) throw new AppFailure('NOT_FOUND', `There is no pair with id ${c.pairId}.`);
  }

  judges(studyId: number): Judge[] {
    const rows = this.db.prepare(`SELECT j.id, j.name, j.kind, j.size_billion FROM judges j
      WHERE j.id IN (SELECT l.judge_id FROM labels l JOIN pairs p ON p.id = l.pair_id WHERE p.study_id = ?)
      ORDER BY j.kind = 'human' DESC, j.size_billion IS NULL, j.size_billion, j.name`).all(studyId) as {
      id: number; name: string; kind: JudgeKind; size_billion: number | null;
    }[];
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, sizeBillion: r.size_billion }));
  }

  pair(pairId: number): Omit<PairDetail, 'comparisonFeatures'> {
    const p = this.db.prepare('SELECT * FROM pairs WHERE id = ?').get(pairId) as Record<string, unknown> | undefined;
    if (!p) throw new AppFailure('NOT_FOUND', `There is no pair with id ${pairId}.`);
    const labels = (this.db.prepare(`SELECT j.name, j.kind, l.preferred, l.probability_a FROM labels l JOIN judges j ON j.id = l.judge_id
      WHERE l.pair_id = ? ORDER BY j.kind = 'human' DESC, j.name`).all(pairId) as { name: string; kind: JudgeKind; preferred: Side; probability_a: number | null }[])
      .map((l): PairLabel => ({ judge: l.name, kind: l.kind, preferred: l.preferred, probabilityA: l.probability_a }));
    const groups = (['intent_unclear', 'express_feeling', 'w_constraints', 'w_stances', 'w_mistakes'] as const).filter((g) => p[g] === 1);
    return {
      id: p.id as number, studyId: p.study_id as number, externalId: p.external_id as string, query: p.query as string,
      responseA: p.response_a as string, responseB: p.response_b as string, modelA: p.model_a as string, modelB: p.model_b as string,
      scenario: p.scenario as string | null, fineScenario: p.fine_scenario as string | null, scenarioByHand: p.scenario_by_hand === 1,
      unsafe: p.unsafe === 1, moderationCategories: p.moderation_json ? JSON.parse(p.moderation_json as string) as string[] : null,
      referenceAnswer: p.reference_answer as string | null,
      language: p.language as string | null, simulated: p.simulated === 1, groups, labels,
      annotation: p.annotated === 1 ? this.annotations.annotation(pairId) : null,
    };
  }

  /** Annotated pairs of a group that a judge labelled, in id order, with the preferred side. */
  labelledPairs(studyId: number, judge: string, group: string): { pairId: number; preferred: Side }[] {
    const { sql, params } = groupCondition(group);
    return (this.db.prepare(`SELECT p.id AS pairId, l.preferred FROM pairs p
      JOIN labels l ON l.pair_id = p.id JOIN judges j ON j.id = l.judge_id
      WHERE p.study_id = @studyId AND j.name = @judge AND p.annotated = 1 AND ${sql} ORDER BY p.id`)
      .all({ studyId, judge, ...params }) as { pairId: number; preferred: Side }[]);
  }

  judgeId(name: string): number {
    const row = this.db.prepare('SELECT id FROM judges WHERE name = ?').get(name) as { id: number } | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `There is no judge named "${name}".`);
    return row.id;
  }

  /** An LLM judge by name, created when new; a human judge of that name is refused. */
  llmJudgeId(name: string): number {
    const row = this.db.prepare('SELECT id, kind FROM judges WHERE name = ?').get(name) as { id: number; kind: JudgeKind } | undefined;
    if (row && row.kind !== 'llm') throw new AppFailure('INVALID', `"${name}" is a human judge; give the LLM judge another name.`);
    return row?.id ?? Number(this.db.prepare("INSERT INTO judges (name, kind, size_billion) VALUES (?, 'llm', NULL)").run(name).lastInsertRowid);
  }

  /** A judge's label of a pair, set or replaced. */
  putLabel(pairId: number, judgeId: number, preferred: Side, probabilityA: number | null): void {
    this.db.prepare('INSERT OR REPLACE INTO labels (pair_id, judge_id, preferred, probability_a) VALUES (?, ?, ?, ?)')
      .run(pairId, judgeId, preferred, probabilityA);
  }

  /** A judge's label of a pair removed (a tie: the paper drops ties). */
  removeLabel(pairId: number, judgeId: number): void {
    this.db.prepare('DELETE FROM labels WHERE pair_id = ? AND judge_id = ?').run(pairId, judgeId);
  }

  /** A judge's labels (the judge by name or id) on some pairs; pairs it did not label are absent. One query. */
  judgeLabels(judge: string | number, pairIds: number[]): Map<number, Side> {
    const judgeId = typeof judge === 'number' ? '?' : '(SELECT id FROM judges WHERE name = ?)';
    const rows = this.db.prepare(`SELECT pair_id AS pairId, preferred FROM labels
      WHERE judge_id = ${judgeId} AND pair_id IN (SELECT value FROM json_each(?))`).all(judge, JSON.stringify(pairIds)) as { pairId: number; preferred: Side }[];
    return new Map(rows.map((r) => [r.pairId, r.preferred]));
  }

  /** Judges' names by id (ids of no judge are absent). */
  judgeNames(judgeIds: number[]): Map<number, string> {
    const rows = this.db.prepare('SELECT id, name FROM judges WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(judgeIds)) as { id: number; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * A study's pair ids in id order that a job would work on, each condition optional: annotated or not, labelled by
   * a judge or not, and a scenario a job may set (a person's choice is never replaced; 'missing': none yet either).
   */
  pairIds(studyId: number, only: PairSelection, limit = -1): number[] {
    const where = ['p.study_id = @studyId'];
    if (only.annotated !== undefined) where.push(`p.annotated = ${only.annotated ? 1 : 0}`);
    if (only.labelledBy) {
      where.push(`${only.labelledBy.labelled ? '' : 'NOT '}EXISTS (SELECT 1 FROM labels l WHERE l.pair_id = p.id AND l.judge_id = @judgeId)`);
    }
    if (only.scenarioForJob) where.push(only.scenarioForJob === 'missing' ? 'p.scenario IS NULL AND p.scenario_by_hand = 0' : 'p.scenario_by_hand = 0');
    return (this.db.prepare(`SELECT p.id FROM pairs p WHERE ${where.join(' AND ')} ORDER BY p.id LIMIT @limit`)
      .all({ studyId, judgeId: only.labelledBy?.judgeId ?? null, limit }) as { id: number }[]).map((r) => r.id);
  }

  /** The annotated pairs of a group with their texts, whoever labelled them (a fitted model relabels them). */
  groupPairs(studyId: number, group: string): { pairId: number; query: string; responseA: string; responseB: string; simulated: boolean }[] {
    const { sql, params } = groupCondition(group);
    const rows = this.db.prepare(`SELECT p.id AS pairId, p.query, p.response_a AS responseA, p.response_b AS responseB, p.simulated FROM pairs p
      WHERE p.study_id = @studyId AND p.annotated = 1 AND ${sql} ORDER BY p.id`)
      .all({ studyId, ...params }) as { pairId: number; query: string; responseA: string; responseB: string; simulated: number }[];
    return rows.map((r) => ({ ...r, simulated: r.simulated === 1 }));
  }

  /** Every pair a judge labelled, as a match between its two source models. */
  judgedMatches(studyId: number, judge: string): { pairId: number; modelA: string; modelB: string; preferred: Side; annotated: boolean }[] {
    const rows = this.db.prepare(`SELECT p.id AS pairId, p.model_a AS modelA, p.model_b AS modelB, l.preferred, p.annotated
      FROM pairs p JOIN labels l ON l.pair_id = p.id JOIN judges j ON j.id = l.judge_id
      WHERE p.study_id = ? AND j.name = ? ORDER BY p.id`).all(studyId, judge) as
      { pairId: number; modelA: string; modelB: string; preferred: Side; annotated: number }[];
    return rows.map((r) => ({ ...r, annotated: r.annotated === 1 }));
  }

  /** The pairs' texts in the order asked (ids of no pair are absent), for the cost estimate and a job's work. One query. */
  pairTexts(pairIds: number[]): PairTexts[] {
    const rows = this.db.prepare(`SELECT id AS pairId, external_id AS externalId, query, response_a AS responseA, response_b AS responseB,
      reference_answer AS referenceAnswer FROM pairs WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(pairIds)) as PairTexts[];
    const byId = new Map(rows.map((r) => [r.pairId, r]));
    return pairIds.flatMap((id) => byId.get(id) ?? []);
  }

  /** The pairs' source ids and the start of their queries, as the pair list shows them (ids of no pair are absent). */
  pairPreviews(pairIds: number[]): Map<number, { externalId: string; queryPreview: string }> {
    const rows = this.db.prepare(`SELECT id, external_id AS externalId, substr(query, 1, ${QUERY_PREVIEW_CHARS}) AS queryPreview FROM pairs
      WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(pairIds)) as { id: number; externalId: string; queryPreview: string }[];
    return new Map(rows.map(({ id, ...preview }) => [id, preview]));
  }

  /** A reference answer an annotation job wrote becomes the pair's own; one the pair already had is kept. */
  keepReferenceAnswer(pairId: number, reference: string): void {
    this.db.prepare('UPDATE pairs SET reference_answer = coalesce(reference_answer, ?) WHERE id = ?').run(reference, pairId);
  }

  /** A pair's scenario and safety from a scenario job; a pair a person set (also while the job ran) keeps theirs. */
  setJobScenario(pairId: number, r: { scenario: string; fineScenario: string; unsafe: boolean; moderationCategories: string[] | null }): void {
    this.db.prepare(`UPDATE pairs SET scenario = ?, fine_scenario = ?, unsafe = ?, moderation_json = ?
      WHERE id = ? AND scenario_by_hand = 0`).run(r.scenario, r.fineScenario, r.unsafe ? 1 : 0,
      r.moderationCategories ? JSON.stringify(r.moderationCategories) : null, pairId);
  }

  /** Annotated pairs of a study with the stratum a stratified round draws from: the scenario, or Unsafe Queries. */
  annotatedStrata(studyId: number, includeSimulated = true): { pairId: number; stratum: string }[] {
    return this.db.prepare(`SELECT id AS pairId, CASE WHEN unsafe = 1 THEN @unsafe ELSE coalesce(scenario, 'Unassigned') END AS stratum
      FROM pairs WHERE study_id = @studyId AND annotated = 1 AND (@simulated = 1 OR simulated = 0) ORDER BY id`)
      .all({ studyId, unsafe: UNSAFE_GROUP, simulated: includeSimulated ? 1 : 0 }) as { pairId: number; stratum: string }[];
  }
}

/** Which of a study's pairs a job works on (PairStore.pairIds); every condition is optional. */
export interface PairSelection {
  annotated?: boolean;
  labelledBy?: { judgeId: number | null; labelled: boolean };
  scenarioForJob?: 'missing' | 'all';
}

export interface PairTexts { pairId: number; externalId: string; query: string; responseA: string; responseB: string; referenceAnswer: string | null }
