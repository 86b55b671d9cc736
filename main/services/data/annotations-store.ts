// The data domain's annotations of pairs: the tables of ratings, prerequisites, query items and errors, and the
// model calls behind them. Import writes them; the annotation pipeline replaces them; every domain reads them here.
import type { ErrorCheck, PairAnnotation, QueryItem, QueryItemKind, Severity, Side } from '../../../preload/contract';
import type { DB } from '../db/database';
import { PROPERTIES, propertyByName } from './properties';

/** One model call behind an annotation: which part of it (the prompt), the raw answer and its request's hash. */
export interface AnnotationCallRecord {
  part: 'basic' | 'basic-query' | 'prerequisites' | 'query-specific' | 'reference' | 'errors';
  rawOutput: string;
  requestHash: string;
}

export const SIDES: Side[] = ['A', 'B'];

/** The query-specific groups a pair belongs to, from its round-one prerequisites. */
export function queryGroupsOf(annotation: PairAnnotation | null) {
  const pre = annotation?.prerequisites;
  return {
    intent_unclear: pre ? !pre.clearIntent : false,
    express_feeling: pre ? pre.expressFeelings : false,
    w_constraints: pre ? pre.constraints.length > 0 : false,
    w_stances: pre ? pre.stances.length > 0 : false,
    w_mistakes: pre ? pre.mistakes.length > 0 : false,
  };
}

/** The pairs table's query-specific group columns (0 or 1) for an annotation. */
export function groupColumns(annotation: PairAnnotation | null): Record<keyof ReturnType<typeof queryGroupsOf>, number> {
  return boolsToInts(queryGroupsOf(annotation));
}

function boolsToInts<T extends Record<string, boolean>>(o: T): Record<keyof T, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v ? 1 : 0])) as Record<keyof T, number>;
}

export class AnnotationStore {
  constructor(private readonly db: DB) {}

  annotation(pairId: number): PairAnnotation {
    const db = this.db;
    const ratings: PairAnnotation['ratings'] = {};
    for (const r of db.prepare('SELECT side, property_id, rating FROM annotations WHERE pair_id = ?').all(pairId) as { side: Side; property_id: number; rating: number }[]) {
      const name = PROPERTIES[r.property_id].name;
      (ratings[name] ??= { A: NaN, B: NaN })[r.side] = r.rating;
    }
    const pre = db.prepare('SELECT clear_intent, express_feelings FROM query_prerequisites WHERE pair_id = ?').get(pairId) as
      { clear_intent: number; express_feelings: number } | undefined;
    const itemRows = db.prepare('SELECT kind, text, label_a, label_b, score_a, score_b FROM query_items WHERE pair_id = ? ORDER BY kind, position')
      .all(pairId) as { kind: QueryItemKind; text: string; label_a: string | null; label_b: string | null; score_a: number | null; score_b: number | null }[];
    const items: QueryItem[] = itemRows.filter((i) => i.label_a !== null && i.label_b !== null).map((i) => ({
      kind: i.kind, text: i.text, labels: { A: i.label_a!, B: i.label_b! }, scores: { A: i.score_a ?? NaN, B: i.score_b ?? NaN },
    }));
    const textsOf = (kind: QueryItemKind) => itemRows.filter((i) => i.kind === kind).map((i) => i.text);
    const checks = db.prepare('SELECT side, applicable FROM error_checks WHERE pair_id = ?').all(pairId) as { side: Side; applicable: number }[];
    const errorRows = db.prepare('SELECT side, description, type, severity FROM detected_errors WHERE pair_id = ? ORDER BY side, position')
      .all(pairId) as { side: Side; description: string; type: string; severity: Severity }[];
    let errors: Record<Side, ErrorCheck> | null = null;
    if (checks.length === 2) {
      errors = { A: { applicable: false, errors: [] }, B: { applicable: false, errors: [] } };
      for (const c of checks) errors[c.side].applicable = c.applicable === 1;
      for (const e of errorRows) errors[e.side].errors.push({ description: e.description, type: e.type, severity: e.severity });
    }
    const call = db.prepare('SELECT model, prompt_version FROM annotation_calls WHERE pair_id = ? ORDER BY id DESC LIMIT 1').get(pairId) as
      { model: string | null; prompt_version: string | null } | undefined;
    return {
      ratings,
      prerequisites: pre ? {
        clearIntent: pre.clear_intent === 1, expressFeelings: pre.express_feelings === 1,
        constraints: textsOf('constraint'), stances: textsOf('stance'), mistakes: textsOf('mistake'),
      } : null,
      items,
      errors,
      model: call?.model ?? null,
      promptVersion: call?.prompt_version ?? null,
    };
  }

  /**
   * Writes a pair's annotation. An import records one 'import' call; the annotation pipeline passes its calls, one
   * per prompt with the raw output, and every row is linked to the call that produced it (lengthy, a word count,
   * to none). Callers wrap it in their transaction.
   */
  writeAnnotation(pairId: number, a: PairAnnotation, calls?: AnnotationCallRecord[]): void {
    const db = this.db;
    const now = new Date().toISOString();
    const insertCall = db.prepare(`INSERT INTO annotation_calls (pair_id, kind, model, prompt_version, raw_output, created_at, request_hash)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const callIds = new Map<string, number>();
    for (const c of calls ?? [{ part: 'import', rawOutput: null, requestHash: null }]) {
      callIds.set(c.part, Number(insertCall.run(pairId, c.part, a.model, a.promptVersion, c.rawOutput, now, c.requestHash).lastInsertRowid));
    }
    const callOf = (part: string): number | null => callIds.get(part) ?? callIds.get('import') ?? null;
    const partOf = (name: string) => {
      const p = propertyByName(name);
      return p.group === 'query-specific' ? 'query-specific' : p.name === 'lengthy' ? 'lengthy' : p.queryAware ? 'basic-query' : 'basic';
    };
    const insertRating = db.prepare('INSERT OR REPLACE INTO annotations (pair_id, side, property_id, rating, call_id) VALUES (?, ?, ?, ?, ?)');
    for (const [name, bySide] of Object.entries(a.ratings)) {
      const property = propertyByName(name);
      for (const side of SIDES) insertRating.run(pairId, side, property.position, bySide[side], callOf(partOf(name)));
    }
    if (a.prerequisites) {
      db.prepare('INSERT OR REPLACE INTO query_prerequisites (pair_id, clear_intent, express_feelings, call_id) VALUES (?, ?, ?, ?)')
        .run(pairId, a.prerequisites.clearIntent ? 1 : 0, a.prerequisites.expressFeelings ? 1 : 0, callOf('prerequisites'));
      const insertItem = db.prepare(`INSERT INTO query_items (pair_id, kind, position, text, label_a, label_b, score_a, score_b, call_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const kinds: [QueryItemKind, string[]][] = [
        ['constraint', a.prerequisites.constraints], ['stance', a.prerequisites.stances], ['mistake', a.prerequisites.mistakes],
      ];
      for (const [kind, texts] of kinds) {
        texts.forEach((text, position) => {
          const item = a.items.find((i) => i.kind === kind && i.text === text);
          insertItem.run(pairId, kind, position, text, item?.labels.A ?? null, item?.labels.B ?? null,
            item?.scores.A ?? null, item?.scores.B ?? null, item ? callOf('query-specific') : callOf('prerequisites'));
        });
      }
    }
    if (a.errors) {
      const insertCheck = db.prepare('INSERT OR REPLACE INTO error_checks (pair_id, side, applicable, reference_answer, call_id) VALUES (?, ?, ?, ?, ?)');
      const insertError = db.prepare(`INSERT INTO detected_errors (pair_id, side, position, description, type, severity, call_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)`);
      // The model's reference answer, or the one the pair came with (then no call asked for one).
      const reference = calls?.find((c) => c.part === 'reference')?.rawOutput
        ?? (db.prepare('SELECT reference_answer AS reference FROM pairs WHERE id = ?').get(pairId) as { reference: string | null } | undefined)?.reference ?? null;
      for (const side of SIDES) {
        const check = a.errors[side];
        insertCheck.run(pairId, side, check.applicable ? 1 : 0, reference, callOf('errors'));
        check.errors.forEach((e, position) => insertError.run(pairId, side, position, e.description, e.type, e.severity, callOf('errors')));
      }
    }
  }

  /** The pipeline's annotation of a pair replaces whatever the pair had; callers wrap it in their transaction. */
  replaceAnnotation(pairId: number, annotation: PairAnnotation, calls: AnnotationCallRecord[]): void {
    const db = this.db;
    // Each table named in full, so that the check of which domain's SQL names which table (db/owners.test.ts) reads it.
    for (const sql of ['DELETE FROM annotations WHERE pair_id = ?', 'DELETE FROM query_prerequisites WHERE pair_id = ?',
      'DELETE FROM query_items WHERE pair_id = ?', 'DELETE FROM error_checks WHERE pair_id = ?',
      'DELETE FROM detected_errors WHERE pair_id = ?', 'DELETE FROM annotation_calls WHERE pair_id = ?']) {
      db.prepare(sql).run(pairId);
    }
    this.writeAnnotation(pairId, annotation, calls);
    db.prepare(`UPDATE pairs SET annotated = 1, intent_unclear = @intent_unclear, express_feeling = @express_feeling,
      w_constraints = @w_constraints, w_stances = @w_stances, w_mistakes = @w_mistakes WHERE id = @pairId`)
      .run({ pairId, ...groupColumns(annotation) });
  }
}
