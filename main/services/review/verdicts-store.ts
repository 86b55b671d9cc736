// The review's verdicts: each checker's, with their undo history and write ids, the returns merged from checkers'
// packages, and the adjudications of disagreements.
import type { Adjudication, ReviewCursor, Verdict, VerdictChange, VerdictKind } from '../../../preload/contract';
import { AppFailure } from '../errors';
import { transaction, type DB } from '../db/database';
import type { ReviewStore } from './store';

/** The longest write id a page may give (its own ids are about 60 characters). */
export const WRITE_ID_MAX = 128;
/** Write ids remembered per checker. A page sends a write again only while it heads the page's queue, before any
 *  later write of it; the rest covers other pages of the same checker writing meanwhile. */
const REMEMBERED_WRITES = 1000;

export class VerdictStore {
  /** `rounds` keeps each checker's place, which a verdict moves. */
  constructor(private readonly db: DB, private readonly rounds: ReviewStore) {}


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
    return transaction(db, () => {
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
      if (cursor) this.rounds.saveCursor(checkerId, cursor);
      return applied;
    });
  }

  /**
   * One review write (`write` reads what it needs and writes), applied once per write id: it runs in one
   * transaction with the record of its id and its answer, so the same write sent again (its answer was lost) gets
   * the stored answer and changes nothing. Without an id, just the write in one transaction.
   */
  writeOnce<T>(writeId: string | undefined, checkerId: number, channel: string, write: () => T): T {
    if (writeId === undefined) return transaction(this.db, write);
    if (typeof writeId !== 'string' || writeId.length === 0 || writeId.length > WRITE_ID_MAX) {
      throw new AppFailure('INVALID', `A write id is text of 1 to ${WRITE_ID_MAX} characters, not ${JSON.stringify(writeId).slice(0, 40)}.`);
    }
    const db = this.db;
    return transaction(db, () => {
      const done = db.prepare('SELECT checker_id, channel, result_json FROM review_writes WHERE write_id = ?').get(writeId) as
        { checker_id: number; channel: string; result_json: string } | undefined;
      if (done) {
        if (done.checker_id !== checkerId || done.channel !== channel) {
          throw new AppFailure('INVALID', `The write id "${writeId}" was already given to another write; give each write its own id.`);
        }
        return JSON.parse(done.result_json) as T;
      }
      const result = write();
      db.prepare('INSERT INTO review_writes (write_id, checker_id, channel, result_json) VALUES (?, ?, ?, ?)').run(writeId, checkerId, channel, JSON.stringify(result));
      db.prepare(`DELETE FROM review_writes WHERE checker_id = ? AND rowid <= (SELECT rowid FROM review_writes WHERE checker_id = ?
        ORDER BY rowid DESC LIMIT 1 OFFSET ?)`).run(checkerId, checkerId, REMEMBERED_WRITES);
      return result;
    });
  }

  /** Takes back the checker's latest action (or with `redo`, gives back the earliest one taken back). */
  undoVerdicts(checkerId: number, redo = false): VerdictChange[] {
    const db = this.db;
    return transaction(db, () => {
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
    });
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

  /** Records a checker's return and applies its verdicts (outside the undo history: they are not an action here), at once. */
  recordReturn(r: { roundId: number; checkerId: number; sha256: string; status: 'merged' | 'conflict'; stale: StaleReturn[]; body: string; apply: VerdictWrite[] }): number {
    return transaction(this.db, () => {
      const applied = this.applyVerdicts(r.checkerId, r.apply);
      return Number(this.db.prepare(`INSERT INTO review_returns (round_id, checker_id, sha256, received_at, status, applied, stale_json, body_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(r.roundId, r.checkerId, r.sha256, new Date().toISOString(), r.status, applied, JSON.stringify(r.stale), r.body).lastInsertRowid);
    });
  }

  settleReturn(returnId: number, status: 'merged' | 'kept', apply: VerdictWrite[]): void {
    transaction(this.db, () => {
      const row = this.returnRow(returnId);
      const applied = this.applyVerdicts(row.checkerId, apply);
      this.db.prepare('UPDATE review_returns SET status = ?, applied = ? WHERE id = ?').run(status, applied, returnId);
    });
  }

  returns(roundId: number): ReturnRow[] {
    return (this.db.prepare('SELECT * FROM review_returns WHERE round_id = ? ORDER BY id').all(roundId) as RawReturnRow[]).map(returnRow);
  }

  returnRow(returnId: number): ReturnRow {
    const row = this.db.prepare('SELECT * FROM review_returns WHERE id = ?').get(returnId) as RawReturnRow | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', `There is no merged return with id ${returnId}.`);
    return returnRow(row);
  }

  private applyVerdicts(checkerId: number, writes: VerdictWrite[]): number {
    let applied = 0;
    for (const w of writes) {
      if (sameVerdict(this.storedVerdict(checkerId, w.pairId, w.itemKey), w.after)) continue;
      this.putVerdict(checkerId, w.pairId, w.itemKey, w.after);
      applied++;
    }
    return applied;
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
}

export interface VerdictWrite { pairId: number; itemKey: string; after: StoredVerdict }
export interface StaleReturn { pairId: number; externalId: string; verdicts: number }
export interface ReturnRow {
  id: number; roundId: number; checkerId: number; sha256: string; receivedAt: string; status: 'merged' | 'conflict' | 'kept'; applied: number;
  stale: StaleReturn[]; body: string;
}
interface RawReturnRow {
  id: number; round_id: number; checker_id: number; sha256: string; received_at: string; status: ReturnRow['status']; applied: number; stale_json: string; body_json: string;
}
const returnRow = (r: RawReturnRow): ReturnRow => ({
  id: r.id, roundId: r.round_id, checkerId: r.checker_id, sha256: r.sha256, receivedAt: r.received_at, status: r.status, applied: r.applied,
  stale: JSON.parse(r.stale_json) as StaleReturn[], body: r.body_json,
});

/** A verdict as stored for one checker and item. */
export type StoredVerdict = Pick<Verdict, 'verdict' | 'correctedValue' | 'comment' | 'givenAt'>;

interface RawVerdictRow {
  checker_id: number; pair_id: number; item_key: string; verdict: VerdictKind; corrected_value: string | null; comment: string | null; given_at: string;
}
const verdictRow = (r: RawVerdictRow): Verdict => ({
  pairId: r.pair_id, itemKey: r.item_key, verdict: r.verdict, correctedValue: r.corrected_value, comment: r.comment, givenAt: r.given_at,
});

/** Same decision and comment (when it was given does not make a change). */
const sameVerdict = (a: StoredVerdict | null, b: StoredVerdict | null) =>
  a === b || (a !== null && b !== null && a.verdict === b.verdict && a.correctedValue === b.correctedValue && a.comment === b.comment);
