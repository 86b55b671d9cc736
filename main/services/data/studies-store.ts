// The data domain's studies and their imports: one batch of pairs, judges, labels and annotations is written in one
// transaction, so a failed import leaves nothing behind.
import type { ImportFormat, JudgeKind, StudyDeleteImpact, StudySummary } from '../../../preload/contract';
import { AnnotationStore, groupColumns } from './annotations-store';
import { AppFailure } from '../errors';
import { openAnotherConnection, streamingTransaction, transaction, type DB } from '../db/database';
import type { ImportBatch, ImportedPair } from './import/types';

export interface SourceFile { fileName: string; sha256: string }

export interface InsertReport { kept: number; annotated: number; judges: string[] }

export class StudyStore {
  constructor(private readonly db: DB, private readonly annotations: AnnotationStore) {}

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

  /** A study's name; cheaper than study(), which counts the study's pairs. */
  studyName(studyId: number): string {
    const row = this.db.prepare('SELECT name FROM studies WHERE id = ?').get(studyId) as { name: string } | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `There is no study with id ${studyId}.`);
    return row.name;
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

  /** What deleting the study removes of the data domain's rows (they cascade from the study); Storage adds the other domains'. */
  deleteImpact(studyId: number): Pick<StudyDeleteImpact, 'pairs' | 'annotated' | 'judges'> {
    this.study(studyId);
    const count = (sql: string) => (this.db.prepare(sql).get(studyId) as { n: number }).n;
    return {
      pairs: count('SELECT COUNT(*) AS n FROM pairs WHERE study_id = ?'),
      annotated: count('SELECT COUNT(*) AS n FROM pairs WHERE study_id = ? AND annotated = 1'),
      judges: count('SELECT COUNT(DISTINCT l.judge_id) AS n FROM labels l JOIN pairs p ON p.id = l.pair_id WHERE p.study_id = ?'),
    };
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

  /**
   * Writes a whole batch in one transaction: the study (created when `studyName` is new), the source file
   * record, pairs, judges, labels and annotations. Throws (and writes nothing) on any conflict.
   */
  insertBatch(study: { name: string; isDemo?: boolean }, batch: ImportBatch, source: SourceFile): InsertReport & { studyId: number } {
    return transaction(this.db, () => {
      const writer = this.batchWriter(study, { ...source, format: batch.format, judgeSizes: batch.judgeSizes });
      writer.add(batch.pairs);
      return writer.finish(batch.dropped);
    });
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
    const db = openAnotherConnection(this.db);
    const own = new StudyStore(db, new AnnotationStore(db));
    try {
      return await streamingTransaction(db, async () => {
        // Indexing the text for search a row at a time (the trigger) costs several times what indexing the import's
        // rows at once does; the trigger is set aside within this transaction and put back as it was.
        const ftsTrigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'pairs_fts_insert'").get() as { sql: string } | undefined;
        if (ftsTrigger) db.exec('DROP TRIGGER pairs_fts_insert');
        const writer = own.batchWriter(study, source);
        for await (const pairs of chunks) writer.add(pairs);
        const report = writer.finish(dropped());
        if (ftsTrigger) {
          // What the trigger inserts, for every pair of this import.
          db.prepare(`INSERT INTO pairs_fts (rowid, query, response_a, response_b)
            SELECT id, query, response_a, response_b FROM pairs WHERE id >= ? AND source_file_id = ?`).run(writer.firstPairId() ?? 0, writer.sourceId);
          db.exec(ftsTrigger.sql);
        }
        return report;
      });
    } finally {
      db.close();
    }
  }

  /** Writes an import's rows; the caller holds the transaction. */
  private batchWriter(study: { name: string; isDemo?: boolean }, source: SourceFile & { format: ImportFormat; judgeSizes?: Record<string, number> }) {
    const db = this.db;
    const insertPair = db.prepare(`INSERT INTO pairs (study_id, external_id, query, response_a, response_b, model_a, model_b,
      scenario, fine_scenario, unsafe, language, simulated, intent_unclear, express_feeling, w_constraints, w_stances,
      w_mistakes, annotated, source_file_id, reference_answer) VALUES (@studyId, @externalId, @query, @responseA, @responseB, @modelA, @modelB,
      @scenario, @fineScenario, @unsafe, @language, @simulated, @intent_unclear, @express_feeling, @w_constraints, @w_stances,
      @w_mistakes, @annotated, @sourceFileId, @reference)`);
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
            reference: p.reference ?? null, ...groupColumns(p.annotation),
          }).lastInsertRowid);
          firstPairId ??= pairId;
          for (const l of p.labels) insertLabel.run(pairId, judgeFor(l.judge, l.kind), l.preferred, l.probabilityA);
          if (p.annotation) {
            this.annotations.writeAnnotation(pairId, p.annotation);
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
}
