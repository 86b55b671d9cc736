// The review's refits: a judge refitted on a group with the round's corrections, beside the original fit.
import type { RefitProperty, RefitRecord, RefitScope } from '../../../preload/contract';

import type { DB } from '../db/database';


export class RefitStore {
  constructor(private readonly db: DB) {}

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
