// The one module that reaches the database. WAL, foreign keys, migrations by user_version; every multi-row
// write runs in one synchronous transaction so a crash leaves either all of it or none.
import Database from 'better-sqlite3';
import type {
  ErrorCheck, FitDiagnostics, FitRecord, FitSettings, ImportFormat, Judge, PropertyEffect, JudgeKind, PairAnnotation, PairDetail, PairFacets, PairLabel, PairPage, PairQuery, PairRow,
  QueryItem, QueryItemKind, Severity, Side, StudySummary,
} from '../../preload/contract';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { PROPERTIES, propertyByName } from './properties';
import type { ImportBatch, ImportedPair } from './import/types';
import type {
  Adjudication, RefitProperty, RefitRecord, RefitScope, ReviewCursor, ReviewStrategy, Verdict, VerdictChange, VerdictKind,
} from '../../preload/contract';
import type {
  AnnotationJob, AnnotationJobItem, AnnotationJobKind, AnnotationJobStatus, AnnotationMode, EndpointSettings, ModelPrice,
} from '../../preload/contract';
import { AppFailure } from './errors';
import { GROUPS, QUERY_SPECIFIC_GROUPS, SCENARIOS, UNSAFE_GROUP } from './scenarios';

type DB = Database.Database;

export interface SourceFile { fileName: string; sha256: string }

export interface InsertReport { kept: number; annotated: number; judges: string[] }

/** One model call behind an annotation: which part of it (the prompt), the raw answer and its request's hash. */
export interface AnnotationCallRecord {
  part: 'basic' | 'basic-query' | 'prerequisites' | 'query-specific' | 'reference' | 'errors';
  rawOutput: string;
  requestHash: string;
}

/** A job as stored, with the endpoint settings it runs with and its Batch API job in flight. */
export interface StoredAnnotationJob extends AnnotationJob { judgeId: number | null; endpoint: EndpointSettings; batch: unknown }

/** A job item with what the pipeline needs of its pair. */
export interface WorkItem {
  pairId: number;
  externalId: string;
  query: string;
  responseA: string;
  responseB: string;
  attempts: number;
  /** The job judge's label (reasons explain it). */
  preferred: Side | null;
  humanPreferred: Side | null;
}

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
    return this.db.transaction(() => {
      const writer = this.batchWriter(study, { ...source, format: batch.format, judgeSizes: batch.judgeSizes });
      writer.add(batch.pairs);
      return writer.finish(batch.dropped);
    })();
  }

  /**
   * insertBatch for an import read as it streams: pairs arrive in chunks and are written in one write transaction
   * on a connection of its own, so that the app's other calls, which go on meanwhile, neither see a half import nor
   * have their own writes rolled back with it. An error anywhere (in the file or here) leaves nothing written.
   * `dropped` is asked once the last chunk is in.
   */
  async insertStream(
    study: { name: string },
    source: SourceFile & { format: ImportFormat; judgeSizes?: Record<string, number> },
    chunks: AsyncIterable<ImportedPair[]>,
    dropped: () => ImportBatch['dropped'],
  ): Promise<InsertReport & { studyId: number }> {
    const own = new Storage(this.db.name);
    try {
      own.db.exec('BEGIN IMMEDIATE');
      try {
        // Indexing the text for search a row at a time (the trigger) costs several times what indexing the import's
        // rows at once does; the trigger is set aside within this transaction and put back as it was.
        const ftsTrigger = own.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'pairs_fts_insert'").get() as { sql: string } | undefined;
        if (ftsTrigger) own.db.exec('DROP TRIGGER pairs_fts_insert');
        const writer = own.batchWriter(study, source);
        for await (const pairs of chunks) writer.add(pairs);
        const report = writer.finish(dropped());
        if (ftsTrigger) {
          // What the trigger inserts, for every pair of this import.
          own.db.prepare(`INSERT INTO pairs_fts (rowid, query, response_a, response_b)
            SELECT id, query, response_a, response_b FROM pairs WHERE id >= ? AND source_file_id = ?`).run(writer.firstPairId() ?? 0, writer.sourceId);
          own.db.exec(ftsTrigger.sql);
        }
        own.db.exec('COMMIT');
        return report;
      } catch (err) {
        if (own.db.inTransaction) own.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      own.close();
    }
  }

  /** Writes an import's rows; the caller holds the transaction. */
  private batchWriter(study: { name: string; isDemo?: boolean }, source: SourceFile & { format: ImportFormat; judgeSizes?: Record<string, number> }) {
    const db = this.db;
    const insertPair = db.prepare(`INSERT INTO pairs (study_id, external_id, query, response_a, response_b, model_a, model_b,
      scenario, fine_scenario, unsafe, language, simulated, intent_unclear, express_feeling, w_constraints, w_stances,
      w_mistakes, annotated, source_file_id) VALUES (@studyId, @externalId, @query, @responseA, @responseB, @modelA, @modelB,
      @scenario, @fineScenario, @unsafe, @language, @simulated, @intent_unclear, @express_feeling, @w_constraints, @w_stances,
      @w_mistakes, @annotated, @sourceFileId)`);
    const findJudge = db.prepare('SELECT id, kind FROM judges WHERE name = ?');
    const insertJudge = db.prepare('INSERT INTO judges (name, kind, size_billion) VALUES (?, ?, ?)');
    const insertLabel = db.prepare('INSERT INTO labels (pair_id, judge_id, preferred, probability_a) VALUES (?, ?, ?, ?)');
    const existingPair = db.prepare('SELECT 1 FROM pairs WHERE study_id = ? AND external_id = ?');

    const studyId = this.studyIdByName(study.name) ?? this.createStudy(study.name, study.isDemo);
    const sourceId = Number(db.prepare(`INSERT INTO source_files (study_id, file_name, sha256, format, imported_at, kept, dropped_json)
      VALUES (?, ?, ?, ?, ?, 0, '[]')`).run(studyId, source.fileName, source.sha256, source.format, new Date().toISOString()).lastInsertRowid);
    const judgeIds = new Map<string, number>();
    const judgeFor = (name: string, kind: JudgeKind): number => {
      let id = judgeIds.get(name);
      if (id !== undefined) return id;
      const row = findJudge.get(name) as { id: number; kind: JudgeKind } | undefined;
      if (row && row.kind !== kind) {
        throw new AppFailure('IMPORT_INVALID', `${source.fileName}: judge "${name}" is already known as a ${row.kind} judge, not ${kind}.`);
      }
      const size = source.judgeSizes && Object.hasOwn(source.judgeSizes, name) ? source.judgeSizes[name] : null;
      id = row?.id ?? Number(insertJudge.run(name, kind, size).lastInsertRowid);
      judgeIds.set(name, id);
      return id;
    };
    let kept = 0;
    let annotated = 0;
    let firstPairId: number | null = null;
    return {
      sourceId,
      firstPairId: () => firstPairId,
      add: (pairs: ImportedPair[]) => {
        for (const p of pairs) {
          kept++;
          if (existingPair.get(studyId, p.externalId)) {
            throw new AppFailure('IMPORT_DUPLICATE', `${source.fileName}: pair "${p.externalId}" (record ${kept}) is already in study "${study.name}".`);
          }
          const pairId = Number(insertPair.run({
            studyId, externalId: p.externalId, query: p.query, responseA: p.responseA, responseB: p.responseB,
            modelA: p.modelA, modelB: p.modelB, scenario: p.scenario, fineScenario: p.fineScenario, unsafe: p.unsafe ? 1 : 0,
            language: p.language, simulated: p.simulated ? 1 : 0, annotated: p.annotation ? 1 : 0, sourceFileId: sourceId,
            ...boolsToInts(queryGroupsOf(p.annotation)),
          }).lastInsertRowid);
          firstPairId ??= pairId;
          for (const l of p.labels) insertLabel.run(pairId, judgeFor(l.judge, l.kind), l.preferred, l.probabilityA);
          if (p.annotation) {
            this.writeAnnotation(pairId, p.annotation);
            annotated++;
          }
        }
      },
      finish: (dropped: ImportBatch['dropped']): InsertReport & { studyId: number } => {
        db.prepare('UPDATE source_files SET kept = ?, dropped_json = ? WHERE id = ?').run(kept, JSON.stringify(dropped), sourceId);
        return { studyId, kept, annotated, judges: [...judgeIds.keys()].sort() };
      },
    };
  }

  /**
   * Writes a pair's annotation. An import records one 'import' call; the annotation pipeline passes its calls, one
   * per prompt with the raw output, and every row is linked to the call that produced it (lengthy, a word count,
   * to none). Callers wrap it in their transaction.
   */
  private writeAnnotation(pairId: number, a: PairAnnotation, calls?: AnnotationCallRecord[]): void {
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
      const reference = calls?.find((c) => c.part === 'reference')?.rawOutput ?? null;
      for (const side of SIDES) {
        const check = a.errors[side];
        insertCheck.run(pairId, side, check.applicable ? 1 : 0, reference, callOf('errors'));
        check.errors.forEach((e, position) => insertError.run(pairId, side, position, e.description, e.type, e.severity, callOf('errors')));
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
    if (q.sourceModel) {
      // Two index lookups joined, rather than an OR that makes SQLite scan the study.
      where.push(`p.id IN (SELECT id FROM pairs WHERE study_id = @studyId AND model_a = @model
        UNION SELECT id FROM pairs WHERE study_id = @studyId AND model_b = @model)`);
      params.model = q.sourceModel;
    }
    if (q.annotated !== undefined) { where.push('p.annotated = @annotated'); params.annotated = q.annotated ? 1 : 0; }
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

  /** The newest fit of each judge and group in a study; with `status`, the newest of that status (e.g. the last
   *  finished fit while a new one runs). */
  latestFits(studyId: number, status?: FitRecord['status']): FitRecord[] {
    const rows = this.db.prepare(`SELECT f.*, j.name AS judge FROM fits f JOIN judges j ON j.id = f.judge_id
      WHERE f.study_id = @studyId AND f.id IN (SELECT max(id) FROM fits WHERE study_id = @studyId
        AND (@status IS NULL OR status = @status) GROUP BY judge_id, grp)
      ORDER BY j.name, f.grp`).all({ studyId, status: status ?? null }) as {
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

  // ---------- insight ----------

  /** The annotated pairs of a group with their texts, whoever labelled them (a fitted model relabels them). */
  groupPairs(studyId: number, group: string): { pairId: number; query: string; responseA: string; responseB: string }[] {
    const { sql, params } = groupCondition(group);
    return this.db.prepare(`SELECT p.id AS pairId, p.query, p.response_a AS responseA, p.response_b AS responseB FROM pairs p
      WHERE p.study_id = @studyId AND p.annotated = 1 AND ${sql} ORDER BY p.id`)
      .all({ studyId, ...params }) as { pairId: number; query: string; responseA: string; responseB: string }[];
  }

  /** Every pair a judge labelled, as a match between its two source models. */
  judgedMatches(studyId: number, judge: string): { pairId: number; modelA: string; modelB: string; preferred: Side; annotated: boolean }[] {
    const rows = this.db.prepare(`SELECT p.id AS pairId, p.model_a AS modelA, p.model_b AS modelB, l.preferred, p.annotated
      FROM pairs p JOIN labels l ON l.pair_id = p.id JOIN judges j ON j.id = l.judge_id
      WHERE p.study_id = ? AND j.name = ? ORDER BY p.id`).all(studyId, judge) as
      { pairId: number; modelA: string; modelB: string; preferred: Side; annotated: number }[];
    return rows.map((r) => ({ ...r, annotated: r.annotated === 1 }));
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

  // ---------- annotation ----------

  endpointSettings(): EndpointSettings | null {
    const r = this.db.prepare('SELECT * FROM endpoint_settings WHERE id = 1').get() as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      model: r.model as string, baseUrl: r.base_url as string, concurrency: r.concurrency as number,
      requestsPerMinute: r.requests_per_minute as number, tokensPerMinute: r.tokens_per_minute as number,
      timeoutSeconds: r.timeout_seconds as number, maxAttempts: r.max_attempts as number, jsonMode: r.json_mode === 1,
      batchPollSeconds: r.batch_poll_seconds as number,
    };
  }

  saveEndpointSettings(e: EndpointSettings): void {
    this.db.prepare(`INSERT OR REPLACE INTO endpoint_settings (id, model, base_url, concurrency, requests_per_minute,
      tokens_per_minute, timeout_seconds, max_attempts, json_mode, batch_poll_seconds) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(e.model, e.baseUrl, e.concurrency, e.requestsPerMinute, e.tokensPerMinute, e.timeoutSeconds, e.maxAttempts, e.jsonMode ? 1 : 0, e.batchPollSeconds);
  }

  modelPrices(): ModelPrice[] {
    return this.db.prepare('SELECT model, input_per_million AS inputPerMillion, output_per_million AS outputPerMillion FROM model_prices ORDER BY model')
      .all() as ModelPrice[];
  }

  /** The whole price table at once. */
  replaceModelPrices(prices: ModelPrice[]): void {
    const insert = this.db.prepare('INSERT INTO model_prices (model, input_per_million, output_per_million) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM model_prices').run();
      for (const p of prices) insert.run(p.model, p.inputPerMillion, p.outputPerMillion);
    })();
  }

  /** Pairs a new job would work on, in pair order. */
  pairsForAnnotationJob(q: { studyId: number; kind: AnnotationJobKind; scope: 'missing' | 'all'; judgeId: number | null; limit?: number }): number[] {
    const where = ['p.study_id = @studyId'];
    const labelled = 'EXISTS (SELECT 1 FROM labels l WHERE l.pair_id = p.id AND l.judge_id = @judgeId)';
    if (q.kind === 'annotate' && q.scope === 'missing') where.push('p.annotated = 0');
    if (q.kind === 'judge' && q.scope === 'missing') where.push(`NOT ${labelled}`);
    if (q.kind === 'reasons') {
      where.push(labelled);
      if (q.scope === 'missing') {
        where.push(`NOT EXISTS (SELECT 1 FROM reasons r JOIN annotation_jobs j ON j.id = r.job_id
          WHERE r.pair_id = p.id AND j.judge_id = @judgeId)`);
      }
    }
    const limit = q.limit === undefined ? -1 : q.limit;
    return (this.db.prepare(`SELECT p.id FROM pairs p WHERE ${where.join(' AND ')} ORDER BY p.id LIMIT @limit`)
      .all({ studyId: q.studyId, judgeId: q.judgeId, limit }) as { id: number }[]).map((r) => r.id);
  }

  /** The pairs' texts, for the cost estimate. */
  pairTexts(pairIds: number[]): { pairId: number; query: string; responseA: string; responseB: string }[] {
    const get = this.db.prepare('SELECT id AS pairId, query, response_a AS responseA, response_b AS responseB FROM pairs WHERE id = ?');
    return pairIds.map((id) => get.get(id) as { pairId: number; query: string; responseA: string; responseB: string });
  }

  /** An LLM judge by name, created when new; a human judge of that name is refused. */
  llmJudgeId(name: string): number {
    const row = this.db.prepare('SELECT id, kind FROM judges WHERE name = ?').get(name) as { id: number; kind: JudgeKind } | undefined;
    if (row && row.kind !== 'llm') throw new AppFailure('INVALID', `"${name}" is a human judge; give the LLM judge another name.`);
    return row?.id ?? Number(this.db.prepare("INSERT INTO judges (name, kind, size_billion) VALUES (?, 'llm', NULL)").run(name).lastInsertRowid);
  }

  /** A job with its items, all or nothing. */
  createAnnotationJob(job: {
    studyId: number; kind: AnnotationJobKind; mode: AnnotationMode; endpoint: EndpointSettings; promptVersion: string;
    judgeId: number | null; costCap: number | null; estimate: number | null; pairIds: number[];
  }): number {
    const db = this.db;
    return db.transaction(() => {
      const id = Number(db.prepare(`INSERT INTO annotation_jobs (study_id, kind, mode, status, endpoint_json, model, base_url,
        prompt_version, judge_id, cost_cap, estimate, created_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(job.studyId, job.kind, job.mode, JSON.stringify(job.endpoint), job.endpoint.model, job.endpoint.baseUrl,
          job.promptVersion, job.judgeId, job.costCap, job.estimate, new Date().toISOString()).lastInsertRowid);
      const insert = db.prepare("INSERT INTO annotation_job_items (job_id, pair_id, status) VALUES (?, ?, 'pending')");
      for (const pairId of job.pairIds) insert.run(id, pairId);
      return id;
    })();
  }

  private annotationJobRows(where: string, param: number): StoredAnnotationJob[] {
    const rows = this.db.prepare(`SELECT j.*, jd.name AS judge,
        (SELECT count(*) FROM annotation_job_items i WHERE i.job_id = j.id) AS total,
        (SELECT count(*) FROM annotation_job_items i WHERE i.job_id = j.id AND i.status = 'done') AS done,
        (SELECT count(*) FROM annotation_job_items i WHERE i.job_id = j.id AND i.status = 'failed') AS failed
      FROM annotation_jobs j LEFT JOIN judges jd ON jd.id = j.judge_id WHERE ${where} ORDER BY j.id DESC`).all(param) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number, studyId: r.study_id as number, kind: r.kind as AnnotationJobKind, status: r.status as AnnotationJobStatus,
      mode: r.mode as AnnotationMode, model: r.model as string, baseUrl: r.base_url as string, promptVersion: r.prompt_version as string,
      judge: r.judge as string | null, judgeId: r.judge_id as number | null, createdAt: r.created_at as string,
      startedAt: r.started_at as string | null, finishedAt: r.finished_at as string | null, total: r.total as number,
      done: r.done as number, failed: r.failed as number, pending: (r.total as number) - (r.done as number) - (r.failed as number),
      spent: r.spent as number, costCap: r.cost_cap as number | null, estimate: r.estimate as number | null,
      requests: r.requests as number, cacheHits: r.cache_hits as number, retries: r.retries as number,
      message: r.message as string | null, etaSeconds: null, endpoint: JSON.parse(r.endpoint_json as string) as EndpointSettings,
      batch: r.batch_json ? JSON.parse(r.batch_json as string) as unknown : null,
    }));
  }

  annotationJob(jobId: number): StoredAnnotationJob {
    const job = this.annotationJobRows('j.id = ?', jobId)[0];
    if (!job) throw new AppFailure('NOT_FOUND', `There is no annotation job with id ${jobId}.`);
    return job;
  }

  annotationJobs(studyId: number): StoredAnnotationJob[] {
    return this.annotationJobRows('j.study_id = ?', studyId);
  }

  /** A job's status, and the sentence that says why it stopped (null clears it). */
  setAnnotationJobStatus(jobId: number, status: AnnotationJobStatus, message: string | null = null): void {
    const now = new Date().toISOString();
    const ended = status === 'done' || status === 'failed' || status === 'cancelled';
    this.db.prepare(`UPDATE annotation_jobs SET status = ?, message = ?,
      started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, ?) ELSE started_at END,
      finished_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?`).run(status, message, status, now, ended ? 1 : 0, now, jobId);
  }

  setAnnotationJobEndpoint(jobId: number, endpoint: EndpointSettings): void {
    this.db.prepare('UPDATE annotation_jobs SET endpoint_json = ? WHERE id = ?').run(JSON.stringify(endpoint), jobId);
  }

  setAnnotationJobCap(jobId: number, costCap: number | null): void {
    this.db.prepare('UPDATE annotation_jobs SET cost_cap = ? WHERE id = ?').run(costCap, jobId);
  }

  countAnnotationJob(jobId: number, delta: { requests?: number; cacheHits?: number; retries?: number }): void {
    this.db.prepare('UPDATE annotation_jobs SET requests = requests + ?, cache_hits = cache_hits + ?, retries = retries + ? WHERE id = ?')
      .run(delta.requests ?? 0, delta.cacheHits ?? 0, delta.retries ?? 0, jobId);
  }

  /** Jobs left running or queued by a process that stopped are paused, to be resumed by the user. */
  interruptAnnotationJobs(): number {
    return this.db.prepare(`UPDATE annotation_jobs SET status = 'paused', message = 'The app stopped while this job was running; resume it to go on (answers already received are kept).'
      WHERE status IN ('running', 'queued')`).run().changes;
  }

  /** The Batch API job in flight (null when none), kept so that a restart polls it rather than paying again. */
  setAnnotationBatch(jobId: number, batch: unknown): void {
    this.db.prepare('UPDATE annotation_jobs SET batch_json = ? WHERE id = ?').run(batch === null ? null : JSON.stringify(batch), jobId);
  }

  /** Items of a job with their pairs' texts and the job judge's label (reasons explain it). */
  annotationWork(jobId: number, status: 'pending' | 'failed', limit = -1): WorkItem[] {
    return this.db.prepare(`SELECT p.id AS pairId, p.external_id AS externalId, p.query, p.response_a AS responseA,
        p.response_b AS responseB, i.attempts,
        (SELECT l.preferred FROM labels l WHERE l.pair_id = p.id AND l.judge_id = j.judge_id) AS preferred,
        (SELECT l.preferred FROM labels l JOIN judges h ON h.id = l.judge_id WHERE l.pair_id = p.id AND h.name = 'human') AS humanPreferred
      FROM annotation_job_items i JOIN pairs p ON p.id = i.pair_id JOIN annotation_jobs j ON j.id = i.job_id
      WHERE i.job_id = ? AND i.status = ? ORDER BY p.id LIMIT ?`).all(jobId, status, limit) as WorkItem[];
  }

  annotationItems(q: { jobId: number; status?: AnnotationJobItem['status']; offset: number; limit: number }): { total: number; rows: AnnotationJobItem[] } {
    const where = `i.job_id = @jobId${q.status ? ' AND i.status = @status' : ''}`;
    const params = { jobId: q.jobId, status: q.status ?? null };
    const total = (this.db.prepare(`SELECT count(*) AS n FROM annotation_job_items i WHERE ${where}`).get(params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT i.pair_id AS pairId, p.external_id AS externalId, substr(p.query, 1, ${QUERY_PREVIEW_CHARS}) AS queryPreview,
        i.status, i.error, i.attempts FROM annotation_job_items i JOIN pairs p ON p.id = i.pair_id
      WHERE ${where} ORDER BY i.pair_id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: Math.max(0, Math.min(500, Math.floor(q.limit))), offset: Math.max(0, Math.floor(q.offset)) }) as AnnotationJobItem[];
    return { total, rows };
  }

  private finishItem(jobId: number, pairId: number): void {
    this.db.prepare(`UPDATE annotation_job_items SET status = 'done', error = NULL, attempts = attempts + 1, updated_at = ?
      WHERE job_id = ? AND pair_id = ?`).run(new Date().toISOString(), jobId, pairId);
  }

  failAnnotationItem(jobId: number, pairId: number, reason: string): void {
    this.db.prepare(`UPDATE annotation_job_items SET status = 'failed', error = ?, attempts = attempts + 1, updated_at = ?
      WHERE job_id = ? AND pair_id = ?`).run(reason, new Date().toISOString(), jobId, pairId);
  }

  /** Failed items (all, or the given pairs) become pending again; returns how many. */
  retryAnnotationItems(jobId: number, pairIds?: number[]): number {
    const retry = this.db.prepare("UPDATE annotation_job_items SET status = 'pending' WHERE job_id = ? AND status = 'failed' AND (? IS NULL OR pair_id = ?)");
    return this.db.transaction(() => (pairIds ? pairIds.reduce((n, id) => n + retry.run(jobId, id, id).changes, 0) : retry.run(jobId, null, null).changes))();
  }

  /** The pipeline's annotation of a pair replaces whatever the pair had, and its job item is done, in one step. */
  finishAnnotatedPair(jobId: number, pairId: number, annotation: PairAnnotation, calls: AnnotationCallRecord[]): void {
    const db = this.db;
    db.transaction(() => {
      for (const table of ['annotations', 'query_prerequisites', 'query_items', 'error_checks', 'detected_errors', 'annotation_calls']) {
        db.prepare(`DELETE FROM ${table} WHERE pair_id = ?`).run(pairId);
      }
      this.writeAnnotation(pairId, annotation, calls);
      db.prepare(`UPDATE pairs SET annotated = 1, intent_unclear = @intent_unclear, express_feeling = @express_feeling,
        w_constraints = @w_constraints, w_stances = @w_stances, w_mistakes = @w_mistakes WHERE id = @pairId`)
        .run({ pairId, ...boolsToInts(queryGroupsOf(annotation)) });
      this.finishItem(jobId, pairId);
    })();
  }

  /** A cached answer by its request's hash. */
  cachedAnswer(hash: string): unknown {
    const row = this.db.prepare('SELECT response_json FROM request_cache WHERE hash = ?').get(hash) as { response_json: string } | undefined;
    return row ? JSON.parse(row.response_json) : null;
  }

  /** Which of these hashes are answered in the cache. */
  cachedHashes(hashes: string[]): Set<string> {
    const has = this.db.prepare('SELECT 1 FROM request_cache WHERE hash = ?');
    return new Set(hashes.filter((h) => has.get(h)));
  }

  /** Fresh answers: cached, and put on the job's bill, together. A Batch API job's output clears its batch too. */
  cacheAnswers(jobId: number, answers: { hash: string; model: string; answer: { usage: { input: number; output: number } }; cost: number }[], batchDone = false): void {
    const insert = this.db.prepare(`INSERT OR REPLACE INTO request_cache (hash, model, response_json, prompt_tokens, completion_tokens, cost, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const bill = this.db.prepare('UPDATE annotation_jobs SET spent = spent + ?, requests = requests + 1 WHERE id = ?');
    this.db.transaction(() => {
      const now = new Date().toISOString();
      for (const a of answers) {
        insert.run(a.hash, a.model, JSON.stringify(a.answer), a.answer.usage.input, a.answer.usage.output, a.cost, now);
        bill.run(a.cost, jobId);
      }
      if (batchDone) this.db.prepare('UPDATE annotation_jobs SET batch_json = NULL WHERE id = ?').run(jobId);
    })();
  }

  cacheAnswer(a: { hash: string; model: string; answer: { usage: { input: number; output: number } }; cost: number; jobId: number }): void {
    this.cacheAnswers(a.jobId, [a]);
  }

  /** A judge label from both orders (section 3.3), with the orders kept for the positional bias. */
  finishJudgedPair(jobId: number, pairId: number, judgeId: number, label: { preferred: Side; probabilityA: number },
    orders: { shownFirst: Side; logprobFirst: number; logprobSecond: number }[]): void {
    const db = this.db;
    const order = db.prepare(`INSERT OR REPLACE INTO judge_label_orders (job_id, pair_id, shown_first, logprob_first, logprob_second)
      VALUES (?, ?, ?, ?, ?)`);
    db.transaction(() => {
      db.prepare('INSERT OR REPLACE INTO labels (pair_id, judge_id, preferred, probability_a) VALUES (?, ?, ?, ?)')
        .run(pairId, judgeId, label.preferred, label.probabilityA);
      for (const o of orders) order.run(jobId, pairId, o.shownFirst, o.logprobFirst, o.logprobSecond);
      this.finishItem(jobId, pairId);
    })();
  }

  /** Both orders of every pair a judge job labelled, with the pair's human label where there is one. */
  judgeOrders(jobId: number): { pairId: number; shownFirst: Side; logprobFirst: number; logprobSecond: number; human: Side | null }[] {
    return this.db.prepare(`SELECT o.pair_id AS pairId, o.shown_first AS shownFirst, o.logprob_first AS logprobFirst,
        o.logprob_second AS logprobSecond,
        (SELECT l.preferred FROM labels l JOIN judges h ON h.id = l.judge_id WHERE l.pair_id = o.pair_id AND h.name = 'human') AS human
      FROM judge_label_orders o WHERE o.job_id = ? ORDER BY o.pair_id, o.shown_first`).all(jobId) as
      { pairId: number; shownFirst: Side; logprobFirst: number; logprobSecond: number; human: Side | null }[];
  }

  finishReasonedPair(jobId: number, pairId: number, r: { preferred: Side; preferences: unknown; topics: string[]; persona: string | null; rawOutput: string }): void {
    this.db.transaction(() => {
      this.db.prepare(`INSERT OR REPLACE INTO reasons (job_id, pair_id, preferred, preferences_json, topics_json, persona, raw_output)
        VALUES (?, ?, ?, ?, ?, ?, ?)`).run(jobId, pairId, r.preferred, JSON.stringify(r.preferences), JSON.stringify(r.topics), r.persona, r.rawOutput);
      this.finishItem(jobId, pairId);
    })();
  }

  /** Each explained pair's reasons (the "preference" of every entry). */
  reasonsOf(jobId: number): { pairId: number; reasons: string[] }[] {
    const rows = this.db.prepare('SELECT pair_id AS pairId, preferences_json FROM reasons WHERE job_id = ? ORDER BY pair_id').all(jobId) as { pairId: number; preferences_json: string }[];
    return rows.map((r) => ({ pairId: r.pairId, reasons: (JSON.parse(r.preferences_json) as { preference: string }[]).map((p) => p.preference) }));
  }

  saveReasonCategories(jobId: number, categories: { reason: string; category: string | null; error: string | null }[]): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO reason_categories (job_id, reason, category, error) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const c of categories) insert.run(jobId, c.reason, c.category, c.error);
    })();
  }

  reasonCategories(jobId: number): { reason: string; category: string | null; error: string | null }[] {
    return this.db.prepare('SELECT reason, category, error FROM reason_categories WHERE job_id = ? ORDER BY reason').all(jobId) as
      { reason: string; category: string | null; error: string | null }[];
  }

  // ---------- review ----------

  /** A study's name; cheaper than study(), which counts the study's pairs. */
  reviewStudyName(studyId: number): string {
    const row = this.db.prepare('SELECT name FROM studies WHERE id = ?').get(studyId) as { name: string } | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `There is no study with id ${studyId}.`);
    return row.name;
  }

  /** Annotated pairs of a study with the stratum a stratified round draws from: the scenario, or Unsafe Queries. */
  reviewCandidates(studyId: number): { pairId: number; stratum: string }[] {
    return this.db.prepare(`SELECT id AS pairId, CASE WHEN unsafe = 1 THEN @unsafe ELSE scenario END AS stratum
      FROM pairs WHERE study_id = @studyId AND annotated = 1 ORDER BY id`).all({ studyId, unsafe: UNSAFE_GROUP }) as { pairId: number; stratum: string }[];
  }

  /** A round with its pairs in review order and its checkers, all or nothing. */
  createReviewRound(round: { studyId: number; name: string; seed: number; strategy: ReviewStrategy; blind: boolean; pairIds: number[]; checkers: string[] }): number {
    const db = this.db;
    return db.transaction(() => {
      const roundId = Number(db.prepare(`INSERT INTO review_rounds (study_id, name, seed, strategy, blind, created_at)
        VALUES (?, ?, ?, ?, ?, ?)`).run(round.studyId, round.name, round.seed, round.strategy, round.blind ? 1 : 0, new Date().toISOString()).lastInsertRowid);
      const insertPair = db.prepare('INSERT INTO review_round_pairs (round_id, position, pair_id) VALUES (?, ?, ?)');
      round.pairIds.forEach((pairId, position) => insertPair.run(roundId, position, pairId));
      for (const name of round.checkers) this.addChecker(roundId, name, round.blind);
      return roundId;
    })();
  }

  reviewRounds(studyId: number): ReviewRoundRow[] {
    return (this.db.prepare(`SELECT r.*, (SELECT count(*) FROM review_round_pairs rp WHERE rp.round_id = r.id) AS pair_count
      FROM review_rounds r WHERE r.study_id = ? ORDER BY r.id`).all(studyId) as RawRoundRow[]).map(roundRow);
  }

  reviewRound(roundId: number): ReviewRoundRow {
    const row = this.db.prepare(`SELECT r.*, (SELECT count(*) FROM review_round_pairs rp WHERE rp.round_id = r.id) AS pair_count
      FROM review_rounds r WHERE r.id = ?`).get(roundId) as RawRoundRow | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `There is no review round with id ${roundId}.`);
    return roundRow(row);
  }

  deleteReviewRound(roundId: number): void {
    if (this.db.prepare('DELETE FROM review_rounds WHERE id = ?').run(roundId).changes === 0) {
      throw new AppFailure('NOT_FOUND', `There is no review round with id ${roundId}.`);
    }
  }

  addChecker(roundId: number, name: string, blind: boolean): number {
    if (this.db.prepare('SELECT 1 FROM checkers WHERE round_id = ? AND name = ?').get(roundId, name)) {
      throw new AppFailure('EXISTS', `This round already has a checker named "${name}".`);
    }
    return Number(this.db.prepare('INSERT INTO checkers (round_id, name, blind) VALUES (?, ?, ?)').run(roundId, name, blind ? 1 : 0).lastInsertRowid);
  }

  checkers(roundId: number): CheckerRow[] {
    return (this.db.prepare('SELECT * FROM checkers WHERE round_id = ? ORDER BY id').all(roundId) as RawCheckerRow[]).map(checkerRow);
  }

  checker(checkerId: number): CheckerRow {
    const row = this.db.prepare('SELECT * FROM checkers WHERE id = ?').get(checkerId) as RawCheckerRow | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `There is no checker with id ${checkerId}.`);
    return checkerRow(row);
  }

  /** The round's pair ids in review order (index = round position). */
  roundPairIds(roundId: number): number[] {
    return (this.db.prepare('SELECT pair_id FROM review_round_pairs WHERE round_id = ? ORDER BY position').all(roundId) as { pair_id: number }[])
      .map((r) => r.pair_id);
  }

  roundPosition(roundId: number, pairId: number): number {
    const row = this.db.prepare('SELECT position FROM review_round_pairs WHERE round_id = ? AND pair_id = ?').get(roundId, pairId) as { position: number } | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `Pair ${pairId} is not in review round ${roundId}.`);
    return row.position;
  }

  roundPairAt(roundId: number, position: number): number {
    const row = this.db.prepare('SELECT pair_id FROM review_round_pairs WHERE round_id = ? AND position = ?').get(roundId, position) as { pair_id: number } | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `Review round ${roundId} has no pair at position ${position + 1}.`);
    return row.pair_id;
  }

  saveCursor(checkerId: number, cursor: ReviewCursor): void {
    this.db.prepare('UPDATE checkers SET cursor_position = ?, cursor_item = ? WHERE id = ?').run(cursor.position, cursor.itemKey, checkerId);
  }

  /** A checker's verdicts, on one pair or on the whole round. */
  checkerVerdicts(checkerId: number, pairId?: number): Verdict[] {
    const rows = pairId === undefined
      ? this.db.prepare('SELECT * FROM verdicts WHERE checker_id = ? ORDER BY id').all(checkerId)
      : this.db.prepare('SELECT * FROM verdicts WHERE checker_id = ? AND pair_id = ? ORDER BY id').all(checkerId, pairId);
    return (rows as RawVerdictRow[]).map(verdictRow);
  }

  /** Every checker's verdicts in a round. */
  roundVerdicts(roundId: number): (Verdict & { checkerId: number })[] {
    return (this.db.prepare(`SELECT v.* FROM verdicts v JOIN checkers c ON c.id = v.checker_id WHERE c.round_id = ? ORDER BY v.id`)
      .all(roundId) as RawVerdictRow[]).map((r) => ({ ...verdictRow(r), checkerId: r.checker_id }));
  }

  /** Items decided by a checker: every verdict but the missed errors added. */
  decidedCount(checkerId: number): number {
    return (this.db.prepare("SELECT count(*) AS n FROM verdicts WHERE checker_id = ? AND verdict <> 'add'").get(checkerId) as { n: number }).n;
  }

  /**
   * One user action: sets (or with null, removes) verdicts, records them as one undo step (dropping what could be
   * redone) and moves the checker's resume point, in one transaction. Changes to what is already stored are skipped.
   */
  writeVerdicts(checkerId: number, changes: { pairId: number; itemKey: string; after: StoredVerdict | null }[], cursor?: ReviewCursor): VerdictChange[] {
    const db = this.db;
    return db.transaction(() => {
      const applied: VerdictChange[] = [];
      const history: { pairId: number; itemKey: string; before: StoredVerdict | null; after: StoredVerdict | null }[] = [];
      for (const c of changes) {
        const before = this.storedVerdict(checkerId, c.pairId, c.itemKey);
        if (sameVerdict(before, c.after)) continue;
        this.putVerdict(checkerId, c.pairId, c.itemKey, c.after);
        history.push({ ...c, before });
        applied.push({ pairId: c.pairId, itemKey: c.itemKey, verdict: c.after && { pairId: c.pairId, itemKey: c.itemKey, ...c.after } });
      }
      if (history.length > 0) {
        db.prepare('DELETE FROM verdict_history WHERE checker_id = ? AND undone = 1').run(checkerId);
        const batch = (db.prepare('SELECT coalesce(max(batch), 0) + 1 AS b FROM verdict_history WHERE checker_id = ?').get(checkerId) as { b: number }).b;
        const insert = db.prepare('INSERT INTO verdict_history (checker_id, batch, pair_id, item_key, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)');
        for (const h of history) insert.run(checkerId, batch, h.pairId, h.itemKey, h.before && JSON.stringify(h.before), h.after && JSON.stringify(h.after));
      }
      if (cursor) this.saveCursor(checkerId, cursor);
      return applied;
    })();
  }

  /** Takes back the checker's latest action (or with `redo`, gives back the earliest one taken back). */
  undoVerdicts(checkerId: number, redo = false): VerdictChange[] {
    const db = this.db;
    return db.transaction(() => {
      const { batch } = db.prepare(`SELECT ${redo ? 'min' : 'max'}(batch) AS batch FROM verdict_history WHERE checker_id = ? AND undone = ?`)
        .get(checkerId, redo ? 1 : 0) as { batch: number | null };
      if (batch === null) return [];
      const rows = db.prepare(`SELECT pair_id, item_key, before_json, after_json FROM verdict_history WHERE checker_id = ? AND batch = ?
        ORDER BY id ${redo ? 'ASC' : 'DESC'}`).all(checkerId, batch) as { pair_id: number; item_key: string; before_json: string | null; after_json: string | null }[];
      const applied = rows.map((r): VerdictChange => {
        const json = redo ? r.after_json : r.before_json;
        const state = json === null ? null : (JSON.parse(json) as StoredVerdict);
        this.putVerdict(checkerId, r.pair_id, r.item_key, state);
        return { pairId: r.pair_id, itemKey: r.item_key, verdict: state && { pairId: r.pair_id, itemKey: r.item_key, ...state } };
      });
      db.prepare('UPDATE verdict_history SET undone = ? WHERE checker_id = ? AND batch = ?').run(redo ? 0 : 1, checkerId, batch);
      return applied;
    })();
  }

  undoState(checkerId: number): { canUndo: boolean; canRedo: boolean } {
    const has = (undone: number) => Boolean(this.db.prepare('SELECT 1 FROM verdict_history WHERE checker_id = ? AND undone = ? LIMIT 1').get(checkerId, undone));
    return { canUndo: has(0), canRedo: has(1) };
  }

  private storedVerdict(checkerId: number, pairId: number, itemKey: string): StoredVerdict | null {
    const row = this.db.prepare('SELECT * FROM verdicts WHERE checker_id = ? AND pair_id = ? AND item_key = ?').get(checkerId, pairId, itemKey) as RawVerdictRow | undefined;
    if (!row) return null;
    const { verdict, correctedValue, comment, givenAt } = verdictRow(row);
    return { verdict, correctedValue, comment, givenAt };
  }

  private putVerdict(checkerId: number, pairId: number, itemKey: string, v: StoredVerdict | null): void {
    if (v === null) {
      this.db.prepare('DELETE FROM verdicts WHERE checker_id = ? AND pair_id = ? AND item_key = ?').run(checkerId, pairId, itemKey);
      return;
    }
    this.db.prepare(`INSERT INTO verdicts (checker_id, pair_id, item_key, verdict, corrected_value, comment, given_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (checker_id, pair_id, item_key) DO UPDATE SET verdict = excluded.verdict, corrected_value = excluded.corrected_value,
        comment = excluded.comment, given_at = excluded.given_at`).run(checkerId, pairId, itemKey, v.verdict, v.correctedValue, v.comment, v.givenAt);
  }

  adjudications(roundId: number): (Adjudication & { pairId: number; itemKey: string })[] {
    return (this.db.prepare('SELECT * FROM adjudications WHERE round_id = ?').all(roundId) as {
      pair_id: number; item_key: string; verdict: VerdictKind; corrected_value: string | null; comment: string | null; decided_at: string;
    }[]).map((r) => ({ pairId: r.pair_id, itemKey: r.item_key, verdict: r.verdict, correctedValue: r.corrected_value, comment: r.comment, decidedAt: r.decided_at }));
  }

  setAdjudication(roundId: number, pairId: number, itemKey: string, a: Adjudication | null): void {
    if (a === null) {
      this.db.prepare('DELETE FROM adjudications WHERE round_id = ? AND pair_id = ? AND item_key = ?').run(roundId, pairId, itemKey);
      return;
    }
    this.db.prepare(`INSERT OR REPLACE INTO adjudications (round_id, pair_id, item_key, verdict, corrected_value, comment, decided_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(roundId, pairId, itemKey, a.verdict, a.correctedValue, a.comment, a.decidedAt);
  }

  /** A judge's labels on some pairs (pairs it did not label are absent). */
  judgeLabels(judge: string, pairIds: number[]): Map<number, Side> {
    const select = this.db.prepare('SELECT l.preferred FROM labels l JOIN judges j ON j.id = l.judge_id WHERE j.name = ? AND l.pair_id = ?');
    const out = new Map<number, Side>();
    for (const pairId of pairIds) {
      const row = select.get(judge, pairId) as { preferred: Side } | undefined;
      if (row) out.set(pairId, row.preferred);
    }
    return out;
  }

  startRefit(r: Omit<RefitRecord, 'id' | 'status' | 'startedAt' | 'finishedAt' | 'properties' | 'error'>): number {
    return Number(this.db.prepare(`INSERT INTO review_refits (round_id, judge, grp, scope, settings_json, status, started_at, job_id, original_rows,
      corrected_rows, changed_rows, unsettled, reused_fit_id) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`).run(
      r.roundId, r.judge, r.group, r.scope, JSON.stringify(r.settings), new Date().toISOString(), r.jobId, r.originalRows, r.correctedRows,
      r.changedRows, r.unsettled, r.reusedFitId).lastInsertRowid);
  }

  setRefitJob(refitId: number, jobId: string): void {
    this.db.prepare('UPDATE review_refits SET job_id = ? WHERE id = ?').run(jobId, refitId);
  }

  finishRefit(refitId: number, outcome: { status: 'done'; properties: RefitProperty[] } | { status: 'failed' | 'cancelled'; error: string }): void {
    const now = new Date().toISOString();
    if (outcome.status === 'done') {
      this.db.prepare("UPDATE review_refits SET status = 'done', finished_at = ?, properties_json = ? WHERE id = ?").run(now, JSON.stringify(outcome.properties), refitId);
    } else {
      this.db.prepare('UPDATE review_refits SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(outcome.status, now, outcome.error, refitId);
    }
  }

  refits(roundId: number): RefitRecord[] {
    const rows = this.db.prepare('SELECT * FROM review_refits WHERE round_id = ? ORDER BY id DESC').all(roundId) as {
      id: number; round_id: number; judge: string; grp: string; scope: RefitScope; settings_json: string; status: RefitRecord['status'];
      started_at: string; finished_at: string | null; job_id: string | null; original_rows: number; corrected_rows: number; changed_rows: number;
      unsettled: number; reused_fit_id: number | null; properties_json: string | null; error: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id, roundId: r.round_id, judge: r.judge, group: r.grp, scope: r.scope, settings: JSON.parse(r.settings_json), status: r.status,
      startedAt: r.started_at, finishedAt: r.finished_at, jobId: r.job_id, originalRows: r.original_rows, correctedRows: r.corrected_rows,
      changedRows: r.changed_rows, unsettled: r.unsettled, reusedFitId: r.reused_fit_id,
      properties: r.properties_json ? JSON.parse(r.properties_json) : [], error: r.error,
    }));
  }

  /** Refits left running by a process that died are marked as such when the app starts again. */
  abandonRunningRefits(): void {
    this.db.prepare(`UPDATE review_refits SET status = 'failed', error = 'The app stopped while this refit was running.', finished_at = ?
      WHERE status = 'running'`).run(new Date().toISOString());
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

// ---------- review rows ----------

/** A verdict as stored for one checker and item. */
export type StoredVerdict = Pick<Verdict, 'verdict' | 'correctedValue' | 'comment' | 'givenAt'>;

export interface ReviewRoundRow { id: number; studyId: number; name: string; seed: number; strategy: ReviewStrategy; blind: boolean; createdAt: string; pairCount: number }
interface RawRoundRow { id: number; study_id: number; name: string; seed: number; strategy: ReviewStrategy; blind: number; created_at: string; pair_count: number }
const roundRow = (r: RawRoundRow): ReviewRoundRow => ({
  id: r.id, studyId: r.study_id, name: r.name, seed: r.seed, strategy: r.strategy, blind: r.blind === 1, createdAt: r.created_at, pairCount: r.pair_count,
});

export interface CheckerRow { id: number; roundId: number; name: string; blind: boolean; cursor: ReviewCursor }
interface RawCheckerRow { id: number; round_id: number; name: string; blind: number; cursor_position: number; cursor_item: string | null }
const checkerRow = (r: RawCheckerRow): CheckerRow => ({
  id: r.id, roundId: r.round_id, name: r.name, blind: r.blind === 1, cursor: { position: r.cursor_position, itemKey: r.cursor_item },
});

interface RawVerdictRow {
  checker_id: number; pair_id: number; item_key: string; verdict: VerdictKind; corrected_value: string | null; comment: string | null; given_at: string;
}
const verdictRow = (r: RawVerdictRow): Verdict => ({
  pairId: r.pair_id, itemKey: r.item_key, verdict: r.verdict, correctedValue: r.corrected_value, comment: r.comment, givenAt: r.given_at,
});

/** Same decision and comment (when it was given does not make a change). */
const sameVerdict = (a: StoredVerdict | null, b: StoredVerdict | null) =>
  a === b || (a !== null && b !== null && a.verdict === b.verdict && a.correctedValue === b.correctedValue && a.comment === b.comment);
