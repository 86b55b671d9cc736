// The review's rounds, their pairs and checkers (each checker's share and place). The verdicts given in a round are
// verdicts-store.ts's.
import type { InformativeDesign, ReviewCursor, ReviewStrategy } from '../../../preload/contract';
import { AppFailure } from '../errors';

import { transaction, type DB } from '../db/database';

export class ReviewStore {
  constructor(private readonly db: DB) {}

  /** A round with its pairs in review order and its checkers, all or nothing. */
  createReviewRound(round: {
    studyId: number; name: string; seed: number; strategy: ReviewStrategy; blind: boolean; pairIds: number[]; checkers: string[];
    /** Each pair's probability of having been drawn (absent for a round opened from a package: the coordinator's round has them). */
    probabilities?: number[];
    /** Per checker (same order), the round positions of their share; absent: every checker reviews every pair. */
    shares?: number[][]; perPair?: number | null; notes?: string; origin?: unknown;
    /** An informative round's judge and group, whose pairs alone could be drawn. */
    design?: InformativeDesign | null;
  }): number {
    const db = this.db;
    return transaction(db, () => {
      const roundId = Number(db.prepare(`INSERT INTO review_rounds (study_id, name, seed, strategy, blind, created_at, per_pair, notes, origin_json, design_judge, design_group)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(round.studyId, round.name, round.seed, round.strategy, round.blind ? 1 : 0, new Date().toISOString(),
        round.perPair ?? null, round.notes ?? '', round.origin === undefined ? null : JSON.stringify(round.origin),
        round.design?.judge ?? null, round.design?.group ?? null).lastInsertRowid);
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

  /** A study's rounds and their checkers' verdicts, counted (what the study's deletion takes with it). */
  studyCounts(studyId: number): { rounds: number; verdicts: number } {
    return this.db.prepare(`SELECT (SELECT COUNT(*) FROM review_rounds WHERE study_id = @studyId) AS rounds,
      (SELECT COUNT(*) FROM verdicts v JOIN checkers c ON c.id = v.checker_id JOIN review_rounds r ON r.id = c.round_id
        WHERE r.study_id = @studyId) AS verdicts`).get({ studyId }) as { rounds: number; verdicts: number };
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
  teamCheckers(): { checkerId: number; name: string; roundName: string; studyId: number }[] {
    return (this.db.prepare(`SELECT c.id AS checkerId, c.name, r.name AS roundName, r.study_id AS studyId FROM checkers c
      JOIN review_rounds r ON r.id = c.round_id WHERE r.origin_json IS NULL ORDER BY r.id, c.id`).all()) as
      { checkerId: number; name: string; roundName: string; studyId: number }[];
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
}

export interface ReviewRoundRow {
  id: number; studyId: number; name: string; seed: number; strategy: ReviewStrategy; blind: boolean; createdAt: string; pairCount: number;
  perPair: number | null; notes: string; uid: string | null; origin: unknown;
  /** An informative round's judge and group; null for the other strategies and for informative rounds drawn before it was recorded. */
  design: InformativeDesign | null;
}
interface RawRoundRow {
  id: number; study_id: number; name: string; seed: number; strategy: ReviewStrategy; blind: number; created_at: string; pair_count: number;
  per_pair: number | null; notes: string; uid: string | null; origin_json: string | null; design_judge: string | null; design_group: string | null;
}
const roundRow = (r: RawRoundRow): ReviewRoundRow => ({
  id: r.id, studyId: r.study_id, name: r.name, seed: r.seed, strategy: r.strategy, blind: r.blind === 1, createdAt: r.created_at, pairCount: r.pair_count,
  perPair: r.per_pair, notes: r.notes, uid: r.uid, origin: r.origin_json === null ? null : JSON.parse(r.origin_json),
  design: r.design_judge === null || r.design_group === null ? null : { judge: r.design_judge, group: r.design_group },
});

export interface CheckerRow { id: number; roundId: number; name: string; blind: boolean; cursor: ReviewCursor }
interface RawCheckerRow { id: number; round_id: number; name: string; blind: number; cursor_position: number; cursor_item: string | null }
const checkerRow = (r: RawCheckerRow): CheckerRow => ({
  id: r.id, roundId: r.round_id, name: r.name, blind: r.blind === 1, cursor: { position: r.cursor_position, itemKey: r.cursor_item },
});
