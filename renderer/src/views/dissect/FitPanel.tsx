// Choosing what to fit and how: judges, groups (with their pair counts), the sampler settings; queued fits with
// progress, ETA and cancel.
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { fittableGroups, groupsToFit, isRunning, SETTING_FIELDS, PAPER_SETTINGS, type SettingField } from '../../store/dissectSlice';
import { groupLabel, isQuerySpecific } from '../../../../preload/contract';
import { JudgeChecklist } from './JudgeChecklist';
import { formatCount } from '../../lib/format';

export const SETTING_LABELS: Record<SettingField, string> = {
  chains: 'Chains', warmup: 'Warmup', draws: 'Draws', folds: 'Folds', priorScale: 'Prior scale b', seed: 'Seed',
};

/** The settings the e2e tests and a quick look use: enough to see the shape, minutes less than the paper's. */
export const QUICK_SETTINGS = { chains: '2', warmup: '150', draws: '200', folds: '2', priorScale: '0.1', seed: '1' };

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating…';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s left`;
}

export function FitPanel() {
  const s = useStudio(useShallow((st) => ({
    studyJudges: st.studyJudges, dissectJudges: st.dissectJudges, setDissectJudges: st.setDissectJudges,
    paper: st.paper, dissectPaperJudges: st.dissectPaperJudges, setDissectPaperJudges: st.setDissectPaperJudges,
    groupRows: st.groupRows, studyGroups: st.studyGroups, fitGroups: st.fitGroups, setFitGroups: st.setFitGroups, settingsDraft: st.settingsDraft,
    setSettingsDraft: st.setSettingsDraft, startFits: st.startFits, fitJobs: st.fitJobs, cancelFit: st.cancelFit,
  })));
  const rows = s.groupRows[s.dissectJudges[0]] ?? [];
  const fittable = fittableGroups(rows);
  const toFit = groupsToFit(s);
  const running = s.fitJobs.filter(isRunning);
  const paperJudges = Object.keys(s.paper?.judgeSizes ?? {});
  const sizeOf = (size: number | null | undefined) => (size == null ? '' : `${size}B`);

  return (
    <section className="panel fit-panel" aria-labelledby="fit-title">
      <div className="panel-head">
        <h2 id="fit-title">Judges, groups and fits</h2>
        <span className="keys-hint"><kbd>f</kbd> fit the chosen groups · <kbd>x</kbd> cancel the running fit</span>
      </div>
      <div className="fit-grid">
        <div>
          <JudgeChecklist title="Study judges" testId="dissect-judges" options={s.studyJudges.map((j) => j.name)} chosen={s.dissectJudges}
            onChange={s.setDissectJudges} describe={(n) => sizeOf(s.studyJudges.find((j) => j.name === n)?.sizeBillion)} open />
          <JudgeChecklist title="The paper's judges beside them" testId="dissect-paper-judges" options={paperJudges}
            chosen={s.dissectPaperJudges} onChange={s.setDissectPaperJudges} describe={(n) => sizeOf(s.paper?.judgeSizes[n])} />
        </div>
        <fieldset className="group-choice">
          <legend>Groups to fit <span className="muted small">(pairs {s.dissectJudges[0] ?? ''} labelled)</span></legend>
          <div className="checklist-actions">
            <button type="button" className="button small subtle" onClick={() => s.setFitGroups(fittable)}>All</button>
            <button type="button" className="button small subtle" onClick={() => s.setFitGroups([])}>None</button>
          </div>
          {/* Scenarios and query-specific groups side by side, every group on one line: read and checked without an inner scroll. */}
          <div className="group-columns">
            {[
              { title: 'Scenarios', groups: rows.filter((r) => !isQuerySpecific(r.group)) },
              { title: 'Query-specific', groups: rows.filter((r) => isQuerySpecific(r.group)) },
            ].filter((column) => column.groups.length > 0).map((column) => (
              <div key={column.title}>
                <span className="group-column-title">{column.title}</span>
                <ul className="group-list">
                  {column.groups.map((r) => (
                    <li key={r.group}>
                      <label title={fittable.includes(r.group) ? undefined : 'Fewer than two labelled, annotated pairs: nothing to fit'}>
                        <input type="checkbox" data-testid="fit-group" data-group={r.group} disabled={!fittable.includes(r.group)}
                          checked={toFit.includes(r.group)}
                          onChange={(e) => s.setFitGroups(rows.map((x) => x.group).filter((g) => (g === r.group ? e.target.checked : s.fitGroups.includes(g))))} />
                        <span className="group-name">{groupLabel(r.group)}</span>
                        <span className="muted small group-count" data-testid="group-count">{formatCount(r.rows)}
                          {' '}of {formatCount(s.studyGroups?.groups.find((g) => g.group === r.group)?.pairs ?? 0)} pairs</span>
                      </label>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
          {(s.studyGroups?.unassigned ?? 0) > 0 && (
            <p className="muted small" data-testid="unassigned-note" role="note">
              {formatCount(s.studyGroups!.unassigned)} pairs have no scenario yet and are in no scenario's group: assign them with the
              scenario job (Annotate) or by hand (Data).
            </p>
          )}
        </fieldset>
        <fieldset className="settings">
          <legend>Sampler settings</legend>
          {SETTING_FIELDS.map((field) => (
            <label key={field} className="setting">
              <span>{SETTING_LABELS[field]}</span>
              <input data-testid={`setting-${field}`} value={s.settingsDraft[field]} inputMode={field === 'priorScale' ? 'text' : 'numeric'}
                onChange={(e) => s.setSettingsDraft({ [field]: e.target.value })} />
            </label>
          ))}
          <label className="setting wide">
            <span>Integrator</span>
            <select data-testid="setting-integrator" value={s.settingsDraft.integrator ?? 'split'}
              onChange={(e) => s.setSettingsDraft({ integrator: e.target.value === 'leapfrog' ? 'leapfrog' : 'split' })}>
              <option value="split">split (exact prior, ~4x faster)</option>
              <option value="leapfrog">leapfrog (Stan's, numpyro's)</option>
            </select>
          </label>
          <div className="setting-presets">
            <button type="button" className="button small" onClick={() => s.setSettingsDraft(PAPER_SETTINGS)}>The paper's</button>
            <button type="button" className="button small" onClick={() => s.setSettingsDraft(QUICK_SETTINGS)}>Quick look</button>
          </div>
          <p className="muted small">The paper: 4 chains of 500 warmup + 1,500 draws, averaged over 10 folds, b = 0.1. Prior scale "auto" picks b per fold. Both integrators sample the same posterior.</p>
          <button type="button" className="button primary" data-testid="start-fit" onClick={() => void s.startFits()}
            disabled={s.dissectJudges.length === 0 || toFit.length === 0}>
            Fit {s.dissectJudges.length} judge{s.dissectJudges.length === 1 ? '' : 's'} on {toFit.length} group{toFit.length === 1 ? '' : 's'} <kbd>f</kbd>
          </button>
        </fieldset>
      </div>
      {s.fitJobs.length > 0 && (
        <ul className="fit-jobs" aria-live="polite">
          {s.fitJobs.map((job) => (
            <li key={job.jobId} data-testid="fit-job" data-state={job.progress.state}>
              <span className="job-what">{job.judge} on {job.groups.map(groupLabel).join(', ')}</span>
              <progress max={job.progress.total} value={job.progress.done} />
              <span className="muted small">
                {job.progress.state === 'running' ? `${job.progress.message} · ${formatEta(job.progress.etaSeconds)}` : job.progress.message}
              </span>
              {isRunning(job) && (
                <button type="button" className="button small danger" data-testid="cancel-fit" onClick={() => void s.cancelFit(job.jobId)}>
                  Cancel{running[0]?.jobId === job.jobId ? <> <kbd>x</kbd></> : null}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
