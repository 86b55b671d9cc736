// The one module that reaches the database. WAL, foreign keys, migrations by user_version; every multi-row
// write runs in one synchronous transaction so a crash leaves either all of it or none.
import Database from 'better-sqlite3';
import type {
  ErrorCheck, FitDiagnostics, FitRecord, FitSettings, Judge, PropertyEffect, JudgeKind, PairAnnotation, PairDetail, PairFacets, PairLabel, PairPage, PairQuery, PairRow,
  QueryItem, QueryItemKind, Severity, Side, StudySummary,
} from '../../preload/contract';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { PROPERTIES, propertyByName } from './properties';
import type { ImportBatch } from './import/types';
import { AppFailure } from './errors';
import { GROUPS, QUERY_SPECIFIC_GROUPS, SCENARIOS, UNSAFE_GROUP } from './scenarios';

type DB = Database.Database;

export interface SourceFile { fileName: string; sha256: string }

export interface InsertReport { kept: number; annotated: number; judges: string[] }

const QUERY_PREVIEW_CHARS = 240;
const SIDES: Side[] = ['A', 'B'];

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

export function openDatabase(path: string): DB {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new AppFailure('DB_TOO_NEW', `This database was written by a newer Preference Studio (schema ${current}, this one knows up to ${SCHEMA_VERSION}); it was not opened.`);
  }
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) m.up(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** FTS5 query from free text: every word must appear, as a prefix. */
function ftsQuery(search: string): string | null {
  const words = search.match(/[\p{L}\p{N}_]+/gu);
  if (!words) return null;
  return words.map((w) => `"${w}"*`).join(' AND ');
}

export class Storage {
  readonly db: DB;

  constructor(path: string) {
    this.db = openDatabase(path);
  }

  close(): void {
    this.db.close();
  }

  // ---------- studies ----------

  listStudies(): StudySummary[] {
    const rows = this.db.prepare(`
      SELECT s.id, s.name, s.is_demo, s.created_at,
        (SELECT count(*) FROM pairs p WHERE p.study_id = s.id) AS pair_count,
        (SELECT count(*) FROM pairs p WHERE p.study_id = s.id AND p.annotated = 1) AS annotated_count,
        (SELECT count(*) FROM pairs p WHERE p.study_id = s.id AND p.simulated = 1) AS simulated_count,
        (SELECT count(DISTINCT l.judge_id) FROM labels l JOIN pairs p ON p.id = l.pair_id WHERE p.study_id = s.id) AS judge_count
      FROM studies s ORDER BY s.is_demo DESC, s.name`).all() as {
      id: number; name: string; is_demo: number; created_at: string; pair_count: number; annotated_count: number;
      simulated_count: number; judge_count: number;
    }[];
    return rows.map((r) => ({
      id: r.id, name: r.name, isDemo: r.is_demo === 1, createdAt: r.created_at, pairCount: r.pair_count,
      annotatedCount: r.annotated_count, simulatedCount: r.simulated_count, judgeCount: r.judge_count,
    }));
  }

  study(studyId: number): StudySummary {
    const s = this.listStudies().find((x) => x.id === studyId);
    if (!s) throw new AppFailure('NOT_FOUND', `There is no study with id ${studyId}.`);
    return s;
  }

  studyIdByName(name: string): number | null {
    const row = this.db.prepare('SELECT id FROM studies WHERE name = ?').get(name) as { id: number } | undefined;
    return row?.id ?? null;
  }

  createStudy(name: string, isDemo = false): number {
    const trimmed = name.trim();
    if (!trimmed) throw new AppFailure('INVALID', 'A study needs a name.');
    if (this.studyIdByName(trimmed) !== null) throw new AppFailure('EXISTS', `A study named "${trimmed}" already exists.`);
    const info = this.db.prepare('INSERT INTO studies (name, is_demo, created_at) VALUES (?, ?, ?)')
      .run(trimmed, isDemo ? 1 : 0, new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  renameStudy(studyId: number, name: string): void {
    const trimmed = name.trim();
    if (!trimmed) throw new AppFailure('INVALID', 'A study needs a name.');
    const other = this.studyIdByName(trimmed);
    if (other !== null && other !== studyId) throw new AppFailure('EXISTS', `A study named "${trimmed}" already exists.`);
    const info = this.db.prepare('UPDATE studies SET name = ? WHERE id = ?').run(trimmed, studyId);
    if (info.changes === 0) throw new AppFailure('NOT_FOUND', `There is no study with id ${studyId}.`);
  }

  deleteStudy(studyId: number): void {
    const info = this.db.prepare('DELETE FROM studies WHERE id = ?').run(studyId);
    if (info.changes === 0) throw new AppFailure('NOT_FOUND', `There is no study with id ${studyId}.`);
  }

  /** The earlier import of the same bytes into this study, if any. */
  findSourceFile(studyId: number, sha256: string): { fileName: string; importedAt: string } | null {
    const row = this.db.prepare('SELECT file_name, imported_at FROM source_files WHERE study_id = ? AND sha256 = ?')
      .get(studyId, sha256) as { file_name: string; imported_at: string } | undefined;
    return row ? { fileName: row.file_name, importedAt: row.imported_at } : null;
  }

  // ---------- import ----------

  /**
   * Writes a whole batch in one transaction: the study (created when `studyName` is new), the source file
   * record, pairs, judges, labels and annotations. Throws (and writes nothing) on any conflict.
   */
  insertBatch(study: { name: string; isDemo?: boolean }, batch: ImportBatch, source: SourceFile): InsertReport & { studyId: number } {
    const db = this.db;
    const insertSource = db.prepare(`INSERT INTO source_files (study_id, file_name, sha256, format, imported_at, kept, dropped_json)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const insertPair = db.prepare(`INSERT INTO pairs (study_id, external_id, query, response_a, response_b, model_a, model_b,
      scenario, fine_scenario, unsafe, language, simulated, intent_unclear, express_feeling, w_constraints, w_stances,
      w_mistakes, annotated, source_file_id) VALUES (@studyId, @externalId, @query, @responseA, @responseB, @modelA, @modelB,
      @scenario, @fineScenario, @unsafe, @language, @simulated, @intent_unclear, @express_feeling, @w_constraints, @w_stances,
      @w_mistakes, @annotated, @sourceFileId)`);
    const findJudge = db.prepare('SELECT id, kind FROM judges WHERE name = ?');
    const insertJudge = db.prepare('INSERT INTO judges (name, kind, size_billion) VALUES (?, ?, ?)');
    const insertLabel = db.prepare('INSERT INTO labels (pair_id, judge_id, preferred, probability_a) VALUES (?, ?, ?, ?)');
    const existingPair = db.prepare('SELECT 1 FROM pairs WHERE study_id = ? AND external_id = ?');

    const run = db.transaction(() => {
      const studyId = this.studyIdByName(study.name) ?? this.createStudy(study.name, study.isDemo);
      const now = new Date().toISOString();
      const sourceId = Number(insertSource.run(studyId, source.fileName, source.sha256, batch.format, now, batch.pairs.length,
        JSON.stringify(batch.dropped)).lastInsertRowid);
      const judgeIds = new Map<string, number>();
      const judgeFor = (name: string, kind: JudgeKind): number => {
        let id = judgeIds.get(name);
        if (id !== undefined) return id;
        const row = findJudge.get(name) as { id: number; kind: JudgeKind } | undefined;
        if (row && row.kind !== kind) {
          throw new AppFailure('IMPORT_INVALID', `${source.fileName}: judge "${name}" is already known as a ${row.kind} judge, not ${kind}.`);
        }
        id = row?.id ?? Number(insertJudge.run(name, kind, batch.judgeSizes?.[name] ?? null).lastInsertRowid);
        judgeIds.set(name, id);
        return id;
      };
      let annotated = 0;
      for (const [index, p] of batch.pairs.entries()) {
        if (existingPair.get(studyId, p.externalId)) {
          throw new AppFailure('IMPORT_DUPLICATE', `${source.fileName}: pair "${p.externalId}" (record ${index + 1}) is already in study "${study.name}".`);
        }
        const pairId = Number(insertPair.run({
          studyId, externalId: p.externalId, query: p.query, responseA: p.responseA, responseB: p.responseB,
          modelA: p.modelA, modelB: p.modelB, scenario: p.scenario, fineScenario: p.fineScenario, unsafe: p.unsafe ? 1 : 0,
          language: p.language, simulated: p.simulated ? 1 : 0, annotated: p.annotation ? 1 : 0, sourceFileId: sourceId,
          ...boolsToInts(queryGroupsOf(p.annotation)),
        }).lastInsertRowid);
        for (const l of p.labels) insertLabel.run(pairId, judgeFor(l.judge, l.kind), l.preferred, l.probabilityA);
        if (p.annotation) {
          this.writeAnnotation(pairId, p.annotation);
          annotated++;
        }
      }
      return { studyId, kept: batch.pairs.length, annotated, judges: [...judgeIds.keys()].sort() };
    });
    return run();
  }

  /** Replaces a pair's whole annotation. Callers wrap it in their transaction. */
  private writeAnnotation(pairId: number, a: PairAnnotation): void {
    const db = this.db;
    const now = new Date().toISOString();
    const call = db.prepare('INSERT INTO annotation_calls (pair_id, kind, model, prompt_version, raw_output, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(pairId, 'import', a.model, a.promptVersion, null, now);
    const callId = Number(call.lastInsertRowid);
    const insertRating = db.prepare('INSERT OR REPLACE INTO annotations (pair_id, side, property_id, rating, call_id) VALUES (?, ?, ?, ?, ?)');
    for (const [name, bySide] of Object.entries(a.ratings)) {
      const property = propertyByName(name);
      for (const side of SIDES) insertRating.run(pairId, side, property.position, bySide[side], callId);
    }
    if (a.prerequisites) {
      db.prepare('INSERT OR REPLACE INTO query_prerequisites (pair_id, clear_intent, express_feelings, call_id) VALUES (?, ?, ?, ?)')
        .run(pairId, a.prerequisites.clearIntent ? 1 : 0, a.prerequisites.expressFeelings ? 1 : 0, callId);
      const insertItem = db.prepare(`INSERT INTO query_items (pair_id, kind, position, text, label_a, label_b, score_a, score_b, call_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const kinds: [QueryItemKind, string[]][] = [
        ['constraint', a.prerequisites.constraints], ['stance', a.prerequisites.stances], ['mistake', a.prerequisites.mistakes],
      ];
      for (const [kind, texts] of kinds) {
        texts.forEach((text, position) => {
          const item = a.items.find((i) => i.kind === kind && i.text === text);
          insertItem.run(pairId, kind, position, text, item?.labels.A ?? null, item?.labels.B ?? null,
            item?.scores.A ?? null, item?.scores.B ?? null, callId);
        });
      }
    }
    if (a.errors) {
      const insertCheck = db.prepare('INSERT OR REPLACE INTO error_checks (pair_id, side, applicable, call_id) VALUES (?, ?, ?, ?)');
      const insertError = db.prepare(`INSERT INTO detected_errors (pair_id, side, position, description, type, severity, call_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const side of SIDES) {
        const check = a.errors[side];
        insertCheck.run(pairId, side, check.applicable ? 1 : 0, callId);
        check.errors.forEach((e, position) => insertError.run(pairId, side, position, e.description, e.type, e.severity, callId));
      }
    }
  }

  // ---------- reading pairs ----------

  queryPairs(q: PairQuery): PairPage {
    const where: string[] = ['p.study_id = @studyId'];
    const params: Record<string, unknown> = { studyId: q.studyId };
    const match = q.search ? ftsQuery(q.search) : null;
    if (match) {
      where.push('p.id IN (SELECT rowid FROM pairs_fts WHERE pairs_fts MATCH @match)');
      params.match = match;
    }
    if (q.scenario) {
      if (q.scenario === 'Unsafe Queries') where.push('p.unsafe = 1');
      else { where.push('p.scenario = @scenario'); params.scenario = q.scenario; }
    }
    if (q.sourceModel) { where.push('(p.model_a = @model OR p.model_b = @model)'); params.model = q.sourceModel; }
    if (q.annotated !== undefined) { where.push('p.annotated = @annotated'); params.annotated = q.annotated ? 1 : 0; }
    if (q.judge) {
      where.push('EXISTS (SELECT 1 FROM labels l JOIN judges j ON j.id = l.judge_id WHERE l.pair_id = p.id AND j.name = @judge)');
      params.judge = q.judge;
    }
    const clause = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS n FROM pairs p WHERE ${clause}`).get(params) as { n: number }).n;
    const limit = Math.max(0, Math.min(500, Math.floor(q.limit)));
    const offset = Math.max(0, Math.floor(q.offset));
    const rows = this.db.prepare(`
      SELECT p.id, p.external_id, substr(p.query, 1, ${QUERY_PREVIEW_CHARS}) AS query_preview, p.scenario, p.unsafe,
        p.model_a, p.model_b, p.language, p.simulated, p.annotated,
        (SELECT group_concat(j.name || '=' || l.preferred, char(31)) FROM labels l JOIN judges j ON j.id = l.judge_id
          WHERE l.pair_id = p.id) AS labels
      FROM pairs p WHERE ${clause} ORDER BY p.id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as {
      id: number; external_id: string; query_preview: string; scenario: string; unsafe: number; model_a: string;
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
    const scenarios = (this.db.prepare('SELECT DISTINCT scenario FROM pairs WHERE study_id = ? ORDER BY scenario').all(studyId) as { scenario: string }[])
      .map((r) => r.scenario);
    const hasUnsafe = this.db.prepare('SELECT 1 FROM pairs WHERE study_id = ? AND unsafe = 1 LIMIT 1').get(studyId);
    const sourceModels = (this.db.prepare(`SELECT model FROM (SELECT model_a AS model FROM pairs WHERE study_id = ?
      UNION SELECT model_b FROM pairs WHERE study_id = ?) ORDER BY model`).all(studyId, studyId) as { model: string }[]).map((r) => r.model);
    return {
      scenarios: hasUnsafe ? [...scenarios, 'Unsafe Queries'] : scenarios,
      judges: this.judges(studyId).map((j) => j.name),
      sourceModels,
    };
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
      scenario: p.scenario as string, fineScenario: p.fine_scenario as string | null, unsafe: p.unsafe === 1,
      language: p.language as string | null, simulated: p.simulated === 1, groups, labels,
      annotation: p.annotated === 1 ? this.annotation(pairId) : null,
    };
  }

  // ---------- dissection ----------

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

  startFit(studyId: number, judge: string, group: string, settings: FitSettings): number {
    const info = this.db.prepare(`INSERT INTO fits (study_id, judge_id, grp, settings_json, status, started_at)
      VALUES (?, ?, ?, ?, 'running', ?)`).run(studyId, this.judgeId(judge), group, JSON.stringify(settings), new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  finishFit(fitId: number, outcome:
    | { status: 'done'; rows: number; accuracy: number | null; properties: PropertyEffect[]; diagnostics: FitDiagnostics }
    | { status: 'failed' | 'cancelled'; error: string }): void {
    const now = new Date().toISOString();
    if (outcome.status === 'done') {
      this.db.prepare(`UPDATE fits SET status = 'done', finished_at = ?, n_rows = ?, accuracy = ?, summary_json = ?,
        diagnostics_json = ? WHERE id = ?`).run(now, outcome.rows, outcome.accuracy, JSON.stringify(outcome.properties),
        JSON.stringify(outcome.diagnostics), fitId);
    } else {
      this.db.prepare('UPDATE fits SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(outcome.status, now, outcome.error, fitId);
    }
  }

  /** The newest fit of each judge and group in a study. */
  latestFits(studyId: number): FitRecord[] {
    const rows = this.db.prepare(`SELECT f.*, j.name AS judge FROM fits f JOIN judges j ON j.id = f.judge_id
      WHERE f.study_id = ? AND f.id IN (SELECT max(id) FROM fits WHERE study_id = ? GROUP BY judge_id, grp)
      ORDER BY j.name, f.grp`).all(studyId, studyId) as {
      id: number; study_id: number; judge: string; grp: string; status: FitRecord['status']; settings_json: string;
      started_at: string; finished_at: string | null; n_rows: number | null; accuracy: number | null;
      summary_json: string | null; diagnostics_json: string | null; error: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id, studyId: r.study_id, judge: r.judge, group: r.grp, status: r.status, settings: JSON.parse(r.settings_json),
      startedAt: r.started_at, finishedAt: r.finished_at, rows: r.n_rows, accuracy: r.accuracy,
      properties: r.summary_json ? JSON.parse(r.summary_json) : [], diagnostics: r.diagnostics_json ? JSON.parse(r.diagnostics_json) : null,
      error: r.error,
    }));
  }

  /** Fits left 'running' by a process that died are marked as such when the app starts again. */
  abandonRunningFits(): void {
    this.db.prepare(`UPDATE fits SET status = 'failed', error = 'The app stopped while this fit was running.', finished_at = ?
      WHERE status = 'running'`).run(new Date().toISOString());
  }

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
}

/** SQL condition for the pairs of a group (section 3.5): a scenario holds its safe pairs only, as the paper set
 *  the unsafe queries apart before classifying the rest; query-specific groups overlap the scenarios. */
export function groupCondition(group: string): { sql: string; params: Record<string, unknown> } {
  if (group === UNSAFE_GROUP) return { sql: 'p.unsafe = 1', params: {} };
  if ((QUERY_SPECIFIC_GROUPS as readonly string[]).includes(group)) return { sql: `p.${group} = 1`, params: {} };
  if ((SCENARIOS as readonly string[]).includes(group)) return { sql: 'p.scenario = @group AND p.unsafe = 0', params: { group } };
  throw new AppFailure('INVALID', `"${group}" is not a group: use one of ${GROUPS.join(', ')}.`);
}

function boolsToInts<T extends Record<string, boolean>>(o: T): Record<keyof T, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v ? 1 : 0])) as Record<keyof T, number>;
}
