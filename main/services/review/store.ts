// The review's rounds, checkers, verdicts with their undo history, and adjudications.
import type { Adjudication, ReviewCursor, ReviewStrategy, Verdict, VerdictChange, VerdictKind } from '../../../preload/contract';
import { AppFailure } from '../errors';

import { transaction, type DB } from '../db/database';

/** The longest write id a page may give (its own ids are about 60 characters). */
export const WRITE_ID_MAX = 128;
/** Write ids remembered per checker. A page sends a write again only while it heads the page's queue, before any
 *  later write of it; the rest covers other pages of the same checker writing meanwhile. */
const REMEMBERED_WRITES = 1000;

export class ReviewStore {
  constructor(private readonly db: DB) {}

  /** A round with its pairs in review order and its checkers, all or nothing. */
  createReviewRound(round: {
    studyId: number; name: string; seed: number; strategy: ReviewStrategy; blind: boolean; pairIds: number[]; checkers: string[];
    /** Each pair's probability of having been drawn (absent for a round opened from a package: the coordinator's round has them). */
    probabilities?: number[];
    /** Per checker (same order), the round positions of their share; absent: every checker reviews every pair. */
    shares?: number[][]; perPair?: number | null; notes?: string; origin?: unknown;
  }): number {
    const db = this.db;
    return transaction(db, () => {
      const roundId = Number(db.prepare(`INSERT INTO review_rounds (study_id, name, seed, strategy, blind, created_at, per_pair, notes, origin_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(round.studyId, round.name, round.seed, round.strategy, round.blind ? 1 : 0, new Date().toISOString(),
        round.perPair ?? null, round.notes ?? '', round.origin === undefined ? null : JSON.stringify(round.origin)).lastInsertRowid);
      const insertPair = db.prepare('INSERT INTO review_round_pairs (round_id, position, pair_id, probability) VALUES (?, ?, ?, ?)');
      round.pairIds.forEach((pairId, position) => insertPair.run(roundId, position, pairId, round.probabilities?.[position] ?? null));
      const insertShare = db.prepare('INSERT INTO review_shares (checker_id, position) VALUES (?, ?)');
      round.checkers.forEach((name, i) => {
        const checkerId = this.addChecker(roundId, name, round.blind);
        for (const position of round.shares?.[i] ?? []) insertShare.run(checkerId, position);
      });
      return roundId;
    });
  }

  /** The round positions of a checker's share in review order, or null when the checker reviews every pair. */
  checkerShare(checkerId: number): number[] | null {
    const rows = this.db.prepare('SELECT position FROM review_shares WHERE checker_id = ? ORDER BY position').all(checkerId) as { position: number }[];
    return rows.length === 0 ? null : rows.map((r) => r.position);
  }

  setRoundNotes(roundId: number, notes: string): void {
    if (this.db.prepare('UPDATE review_rounds SET notes = ? WHERE id = ?').run(notes, roundId).changes === 0) {
      throw new AppFailure('NOT_FOUND', `There is no review round with id ${roundId}.`);
    }
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

  /** Every checker of the coordinator's rounds (not of rounds opened from a package), for their links. */
  teamCheckers(): { checkerId: number; name: string; roundName: string; study: string }[] {
    return (this.db.prepare(`SELECT c.id AS checkerId, c.name, r.name AS roundName, s.name AS study FROM checkers c
      JOIN review_rounds r ON r.id = c.round_id JOIN studies s ON s.id = r.study_id WHERE r.origin_json IS NULL ORDER BY r.id, c.id`).all()) as
      { checkerId: number; name: string; roundName: string; study: string }[];
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

  /** Each pair's recorded probability of having been drawn, by pair id; null for rounds drawn before they were recorded. */
  roundProbabilities(roundId: number): Map<number, number | null> {
    const rows = this.db.prepare('SELECT pair_id, probability FROM review_round_pairs WHERE round_id = ?').all(roundId) as { pair_id: number; probability: number | null }[];
    return new Map(rows.map((r) => [r.pair_id, r.probability]));
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
      if (cursor) this.saveCursor(checkerId, cursor);
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

  /** Gives the round the uid that names it across data folders; returns it. */
  setRoundUid(roundId: number, uid: string): string {
    this.db.prepare('UPDATE review_rounds SET uid = ? WHERE id = ? AND uid IS NULL').run(uid, roundId);
    return (this.db.prepare('SELECT uid FROM review_rounds WHERE id = ?').get(roundId) as { uid: string }).uid;
  }

  /** The coordinator's round with this uid (not a round opened from one of its packages). */
  roundByUid(uid: string): number | null {
    const row = this.db.prepare('SELECT id FROM review_rounds WHERE uid = ? AND origin_json IS NULL').get(uid) as { id: number } | undefined;
    return row?.id ?? null;
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

export interface ReviewRoundRow {
  id: number; studyId: number; name: string; seed: number; strategy: ReviewStrategy; blind: boolean; createdAt: string; pairCount: number;
  perPair: number | null; notes: string; uid: string | null; origin: unknown;
}
interface RawRoundRow {
  id: number; study_id: number; name: string; seed: number; strategy: ReviewStrategy; blind: number; created_at: string; pair_count: number;
  per_pair: number | null; notes: string; uid: string | null; origin_json: string | null;
}
const roundRow = (r: RawRoundRow): ReviewRoundRow => ({
  id: r.id, studyId: r.study_id, name: r.name, seed: r.seed, strategy: r.strategy, blind: r.blind === 1, createdAt: r.created_at, pairCount: r.pair_count,
  perPair: r.per_pair, notes: r.notes, uid: r.uid, origin: r.origin_json === null ? null : JSON.parse(r.origin_json),
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
