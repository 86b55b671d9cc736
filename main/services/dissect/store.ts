// The dissection's fits: one row per fit of a judge on a group, its settings, status and effect strengths.
import type { FitDiagnostics, FitRecord, FitSettings, PropertyEffect } from '../../../preload/contract';
import type { DB } from '../db/database';

import type { PairStore } from '../data/pairs-store';


export class FitStore {
  constructor(private readonly db: DB, private readonly pairs: PairStore) {}

  startFit(studyId: number, judge: string, group: string, settings: FitSettings): number {
    const info = this.db.prepare(`INSERT INTO fits (study_id, judge_id, grp, settings_json, status, started_at)
      VALUES (?, ?, ?, ?, 'running', ?)`).run(studyId, this.pairs.judgeId(judge), group, JSON.stringify(settings), new Date().toISOString());
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
    const rows = this.db.prepare(`SELECT * FROM fits WHERE study_id = @studyId AND id IN (SELECT max(id) FROM fits
      WHERE study_id = @studyId AND (@status IS NULL OR status = @status) GROUP BY judge_id, grp)`).all({ studyId, status: status ?? null }) as {
      id: number; study_id: number; judge_id: number; grp: string; status: FitRecord['status']; settings_json: string;
      started_at: string; finished_at: string | null; n_rows: number | null; accuracy: number | null;
      summary_json: string | null; diagnostics_json: string | null; error: string | null;
    }[];
    const judges = this.pairs.judgeNames([...new Set(rows.map((r) => r.judge_id))]);
    // By judge, then group, in plain string order as SQLite's ORDER BY gave them (not the locale's).
    return rows.map((r) => ({
      id: r.id, studyId: r.study_id, judge: judges.get(r.judge_id)!, group: r.grp, status: r.status, settings: JSON.parse(r.settings_json),
      startedAt: r.started_at, finishedAt: r.finished_at, rows: r.n_rows, accuracy: r.accuracy,
      properties: r.summary_json ? JSON.parse(r.summary_json) : [], diagnostics: r.diagnostics_json ? JSON.parse(r.diagnostics_json) : null,
      error: r.error,
    })).sort((a, b) => inOrder(a.judge, b.judge) || inOrder(a.group, b.group));
  }

  /** How many fits a study has (what its deletion takes with it). */
  fitCount(studyId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM fits WHERE study_id = ?').get(studyId) as { n: number }).n;
  }

  /** Fits left 'running' by a process that died are marked as such when the app starts again. */
  abandonRunningFits(): void {
    this.db.prepare(`UPDATE fits SET status = 'failed', error = 'The app stopped while this fit was running.', finished_at = ?
      WHERE status = 'running'`).run(new Date().toISOString());
  }
}

const inOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
