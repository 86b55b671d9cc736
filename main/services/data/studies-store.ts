// The data domain's studies and their imports: one batch of pairs, judges, labels and annotations is written in one
// transaction, so a failed import leaves nothing behind.
import type { ColumnMapping, ImportFormat, ImportReport, JudgeKind, StudyDeleteImpact, StudySummary } from '../../../preload/contract';
import { contentKey } from './content-key';
import { AnnotationStore, groupColumns } from './annotations-store';
import { AppFailure } from '../errors';
import { openAnotherConnection, streamingTransaction, transaction, type DB } from '../db/database';
import type { ImportBatch, ImportedPair } from './import/types';

export interface SourceFile { fileName: string; sha256: string }

/** What storage adds to an import's report (the importer adds the format and the dropped rows). */
export type InsertReport = Pick<ImportReport, 'kept' | 'added' | 'matched' | 'merged' | 'matchedSwapped' | 'annotated'
  | 'unassigned' | 'labelsAdded' | 'labelsDropped' | 'judges' | 'warnings'>;

/** Why an imported label was not stored, in the order a report lists them. */
export const LABEL_DROPS = {
  repeated: 'the same vote of one judge on one pair repeated (kept once)',
  conflict: 'votes of one judge on one pair that disagree (the judge is left without a label on that pair)',
  alreadyStored: 'already stored by an earlier import',
  storedDiffers: 'differs from the label an earlier import stored (the stored one is kept)',
} as const;

/** Fewer labels than this all on one side can be chance (2^-9 for ten fair coin flips); more are worth a warning. */
export const ONE_SIDE_WARNING_MIN = 10;

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

  /** The column mapping last used for a file with these columns (headerKey), if any. */
  columnMapping(headerKey: string): ColumnMapping | null {
    const row = this.db.prepare('SELECT mapping_json FROM column_mappings WHERE header_key = ?').get(headerKey) as { mapping_json: string } | undefined;
    return row ? JSON.parse(row.mapping_json) as ColumnMapping : null;
  }

  saveColumnMapping(headerKey: string, mapping: ColumnMapping): void {
    this.db.prepare(`INSERT INTO column_mappings (header_key, mapping_json, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (header_key) DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at`)
      .run(headerKey, JSON.stringify(mapping), new Date().toISOString());
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

  /**
   * Writes an import's rows; the caller holds the transaction. A record whose pair is already in the study (the same
   * id with the same content, or, from an earlier import, the same query and responses in either order) adds its
   * labels to that pair instead of a new one; a swapped pair flips its labels. One judge has at most one label per
   * pair: a vote repeated within one import is kept once, votes of one judge that disagree within one import leave
   * that judge without a label on the pair (undecided, as a tie), and a label stored by an earlier import is kept
   * over a new one. Each of these is counted in the report.
   */
  private batchWriter(study: { name: string; isDemo?: boolean }, source: SourceFile & { format: ImportFormat; judgeSizes?: Record<string, number> }) {
    const db = this.db;
    const insertPair = db.prepare(`INSERT INTO pairs (study_id, external_id, query, response_a, response_b, model_a, model_b,
      scenario, fine_scenario, unsafe, language, simulated, intent_unclear, express_feeling, w_constraints, w_stances,
      w_mistakes, annotated, source_file_id, reference_answer, content_key) VALUES (@studyId, @externalId, @query, @responseA, @responseB, @modelA, @modelB,
      @scenario, @fineScenario, @unsafe, @language, @simulated, @intent_unclear, @express_feeling, @w_constraints, @w_stances,
      @w_mistakes, @annotated, @sourceFileId, @reference, @contentKey)`);
    const findJudge = db.prepare('SELECT id, kind FROM judges WHERE name = ?');
    const insertJudge = db.prepare('INSERT INTO judges (name, kind, size_billion) VALUES (?, ?, ?)');
    const insertLabel = db.prepare('INSERT INTO labels (pair_id, judge_id, preferred, probability_a, source_file_id) VALUES (?, ?, ?, ?, ?)');
    const findLabel = db.prepare('SELECT preferred, source_file_id FROM labels WHERE pair_id = ? AND judge_id = ?');
    const deleteLabel = db.prepare('DELETE FROM labels WHERE pair_id = ? AND judge_id = ?');
    const pairById = db.prepare('SELECT id, query, response_a, response_b, source_file_id FROM pairs WHERE study_id = ? AND external_id = ?');
    // Only pairs of earlier imports are matched by content: identical rows within one file stay distinct pairs.
    const pairByContent = db.prepare(`SELECT id, response_a, response_b FROM pairs WHERE study_id = @studyId
      AND content_key = @contentKey AND query = @query AND source_file_id IS NOT @sourceId
      AND ((response_a = @a AND response_b = @b) OR (response_a = @b AND response_b = @a)) ORDER BY id LIMIT 1`);

    const studyId = this.studyIdByName(study.name) ?? this.createStudy(study.name, study.isDemo);
    const sourceId = Number(db.prepare(`INSERT INTO source_files (study_id, file_name, sha256, format, imported_at, kept, dropped_json)
      VALUES (?, ?, ?, ?, ?, 0, '[]')`).run(studyId, source.fileName, source.sha256, source.format, new Date().toISOString()).lastInsertRowid);
    const judges = new Map<string, { id: number; kind: JudgeKind }>();
    /** The file and, when known, the line or record of a pair, as import errors name them. */
    const placed = (p: ImportedPair) => `${source.fileName}${p.location ? `, ${p.location.unit} ${p.location.at}` : ''}`;
    const judgeFor = (name: string, kind: JudgeKind, where: string): number => {
      const known = judges.get(name);
      if (known && known.kind !== kind) {
        throw new AppFailure('IMPORT_INVALID', `${where}: judge "${name}" comes both as a ${known.kind} judge and as ${kind === 'llm' ? 'an LLM' : 'a human'} judge; nothing was written.`);
      }
      if (known) return known.id;
      const row = findJudge.get(name) as { id: number; kind: JudgeKind } | undefined;
      if (row && row.kind !== kind) {
        throw new AppFailure('IMPORT_INVALID', `${where}: judge "${name}" is already known as ${row.kind === 'llm' ? 'an LLM' : 'a human'} judge, not ${kind === 'llm' ? 'an LLM' : 'a human'} one; nothing was written.`);
      }
      const size = source.judgeSizes && Object.hasOwn(source.judgeSizes, name) ? source.judgeSizes[name] : null;
      const id = row?.id ?? Number(insertJudge.run(name, kind, size).lastInsertRowid);
      judges.set(name, { id, kind });
      return id;
    };
    const counts = { kept: 0, added: 0, matched: 0, merged: 0, swapped: 0, annotated: 0, unassigned: 0, labels: 0, sideA: 0, sideB: 0, annotationsNotTaken: 0 };
    const labelDrops = new Map<string, number>();
    const dropLabel = (reason: string, n = 1) => labelDrops.set(reason, (labelDrops.get(reason) ?? 0) + n);
    // (pair, judge) whose votes disagreed within this import: later votes of that judge on that pair are dropped too.
    const conflicted = new Set<string>();
    let firstPairId: number | null = null;

    const addLabel = (pairId: number, l: ImportedPair['labels'][number], swapped: boolean, where: string) => {
      const judgeId = judgeFor(l.judge, l.kind, where);
      const preferred = swapped ? (l.preferred === 'A' ? 'B' : 'A') : l.preferred;
      const probabilityA = swapped && l.probabilityA !== null ? 1 - l.probabilityA : l.probabilityA;
      const key = `${pairId}:${judgeId}`;
      if (conflicted.has(key)) return dropLabel(LABEL_DROPS.conflict);
      const stored = findLabel.get(pairId, judgeId) as { preferred: string; source_file_id: number | null } | undefined;
      if (!stored) {
        insertLabel.run(pairId, judgeId, preferred, probabilityA, sourceId);
        counts.labels++;
        if (preferred === 'A') counts.sideA++; else counts.sideB++;
        return;
      }
      if (stored.source_file_id !== sourceId) {
        return dropLabel(stored.preferred === preferred ? LABEL_DROPS.alreadyStored : LABEL_DROPS.storedDiffers);
      }
      if (stored.preferred === preferred) return dropLabel(LABEL_DROPS.repeated);
      deleteLabel.run(pairId, judgeId);
      conflicted.add(key);
      counts.labels--;
      if (stored.preferred === 'A') counts.sideA--; else counts.sideB--;
      dropLabel(LABEL_DROPS.conflict, 2);
    };

    return {
      sourceId,
      firstPairId: () => firstPairId,
      add: (pairs: ImportedPair[]) => {
        for (const p of pairs) {
          counts.kept++;
          const key = contentKey(p.query, p.responseA, p.responseB);
          let found: { id: number; swapped: boolean; earlier: boolean } | null = null;
          const byId = pairById.get(studyId, p.externalId) as
            { id: number; query: string; response_a: string; response_b: string; source_file_id: number | null } | undefined;
          if (byId) {
            const straight = byId.response_a === p.responseA && byId.response_b === p.responseB;
            const swapped = !straight && byId.response_a === p.responseB && byId.response_b === p.responseA;
            if (byId.query !== p.query || !(straight || swapped)) {
              throw new AppFailure('IMPORT_DUPLICATE', `${placed(p)}: pair "${p.externalId}" is already in study "${study.name}" with a different query or responses; nothing was written.`);
            }
            found = { id: byId.id, swapped, earlier: byId.source_file_id !== sourceId };
          } else {
            const byContent = pairByContent.get({ studyId, contentKey: key, query: p.query, sourceId, a: p.responseA, b: p.responseB }) as
              { id: number; response_a: string; response_b: string } | undefined;
            if (byContent) found = { id: byContent.id, swapped: byContent.response_a !== p.responseA || byContent.response_b !== p.responseB, earlier: true };
          }
          if (found) {
            if (found.earlier) counts.matched++; else counts.merged++;
            if (found.swapped) counts.swapped++;
            if (p.annotation) counts.annotationsNotTaken++;
            for (const l of p.labels) addLabel(found.id, l, found.swapped, placed(p));
            continue;
          }
          const pairId = Number(insertPair.run({
            studyId, externalId: p.externalId, query: p.query, responseA: p.responseA, responseB: p.responseB,
            modelA: p.modelA, modelB: p.modelB, scenario: p.scenario, fineScenario: p.fineScenario, unsafe: p.unsafe ? 1 : 0,
            language: p.language, simulated: p.simulated ? 1 : 0, annotated: p.annotation ? 1 : 0, sourceFileId: sourceId,
            reference: p.reference ?? null, contentKey: key, ...groupColumns(p.annotation),
          }).lastInsertRowid);
          counts.added++;
          if (p.scenario === null) counts.unassigned++;
          firstPairId ??= pairId;
          for (const l of p.labels) addLabel(pairId, l, false, placed(p));
          if (p.annotation) {
            this.annotations.writeAnnotation(pairId, p.annotation);
            counts.annotated++;
          }
        }
      },
      finish: (dropped: ImportBatch['dropped']): InsertReport & { studyId: number } => {
        db.prepare('UPDATE source_files SET kept = ?, dropped_json = ? WHERE id = ?').run(counts.kept, JSON.stringify(dropped), sourceId);
        const warnings: string[] = [];
        const onOneSide = counts.sideA === 0 ? 'B' : counts.sideB === 0 ? 'A' : null;
        if (onOneSide && counts.labels >= ONE_SIDE_WARNING_MIN) {
          warnings.push(`All ${counts.labels} labels prefer response ${onOneSide}: the sides look unshuffled (the preferred response always put on one side), which a fit would read as position, not content.`);
        }
        if (counts.annotationsNotTaken > 0) {
          warnings.push(`${counts.annotationsNotTaken} record${counts.annotationsNotTaken === 1 ? '' : 's'} matching a pair already in the study carried annotations, which were not taken: the pair keeps its own.`);
        }
        return {
          studyId, kept: counts.kept, added: counts.added, matched: counts.matched, merged: counts.merged,
          matchedSwapped: counts.swapped, annotated: counts.annotated, unassigned: counts.unassigned, labelsAdded: counts.labels,
          labelsDropped: Object.values(LABEL_DROPS).filter((r) => labelDrops.has(r)).map((reason) => ({ reason, count: labelDrops.get(reason)! })),
          judges: [...judges].map(([name, j]) => ({ name, kind: j.kind })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
          warnings,
        };
      },
    };
  }
}
