// Refit with the corrections: a judge and group, the whole group (reviewed pairs corrected) or the reviewed pairs
// only, the sampler settings; the job's progress with ETA and cancel; original and corrected effect strengths side
// by side per property with the shift and whether it leaves the original's 90% credible interval.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RefitRecord } from '../../../../preload/contract';
import { call } from '../../api';
import { JudgeGroupFields } from './JudgeGroupFields';
import { useStudio } from '../../store';
import { SETTING_FIELDS, PAPER_SETTINGS } from '../../store/dissectSlice';
import { ChartFrame } from '../../components/ChartFrame';
import { formatEta, QUICK_SETTINGS, SETTING_LABELS } from '../dissect/FitPanel';
import { IntervalBars, intervalChartHeight, seriesValues, type IntervalSeries } from '../dissect/IntervalBars';
import { percentTick, preferenceAxis } from '../../lib/ticks';
import { ReviewTableExport } from './ReviewTableExport';
import { percent, signed } from './format';

const signedPoints = (x: number) => signed(x * 100, 1);

export function RefitPanel() {
  const { round, studyId, judges, draft, setDraft, start, refits, load, selectedId, select, progress } = useStudio(useShallow((s) => ({
    round: s.reviewRounds?.find((r) => r.id === s.reviewRoundId) ?? null, studyId: s.selectedStudyId, judges: s.reviewJudges,
    draft: s.reviewRefitDraft, setDraft: s.setReviewRefitDraft, start: s.startReviewRefit, refits: s.reviewRefits, load: s.loadReviewRefits,
    selectedId: s.reviewSelectedRefitId, select: s.selectReviewRefit, progress: s.reviewRefitProgress,
  })));
  const [groups, setGroups] = useState<{ group: string; rows: number }[]>([]);
  const reportError = useStudio((s) => s.reportError);
  const roundId = round?.id;
  useEffect(() => {
    if (roundId !== undefined) void load();
  }, [roundId, load]);
  useEffect(() => {
    if (studyId === null || !draft.judge) return;
    call('dissect.groups', { studyId, judge: draft.judge }).then(setGroups, (err: unknown) => reportError('review', err));
  }, [studyId, draft.judge, reportError]);
  if (!round) return null;
  const selected = refits?.find((r) => r.id === selectedId) ?? null;
  return (
    <div className="review-panel refit" data-testid="refit-panel">
      <section className="panel">
        <h2>Refit {round.name}&rsquo;s corrections</h2>
        <p className="muted small">
          The corrected annotations keep approved items, replace corrected ones and leave rejected ones out of their property; disagreements
          between checkers count only once settled. The original side reuses a finished dissection with the same settings when there is one.
        </p>
        <form className="refit-form" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          <JudgeGroupFields judges={judges} groups={groups} judge={draft.judge} group={draft.group} onChange={setDraft} testIdPrefix="refit" />
          <fieldset className="side-choice">
            <legend>Pairs</legend>
            <label className="check"><input type="radio" checked={draft.scope === 'group'} onChange={() => setDraft({ scope: 'group' })} /> the whole group, reviewed ones corrected</label>
            <label className="check"><input type="radio" checked={draft.scope === 'reviewed'} onChange={() => setDraft({ scope: 'reviewed' })} data-testid="refit-scope-reviewed" /> the reviewed pairs only</label>
          </fieldset>
          <fieldset className="settings inline">
            <legend>Sampler settings</legend>
            {SETTING_FIELDS.map((field) => (
              <label key={field} className="setting"><span>{SETTING_LABELS[field]}</span>
                <input value={draft.settings[field]} onChange={(e) => setDraft({ settings: { ...draft.settings, [field]: e.target.value } })} data-testid={`refit-setting-${field}`} /></label>
            ))}
            <span className="setting-presets">
              <button type="button" className="button small" onClick={() => setDraft({ settings: PAPER_SETTINGS })}>The paper&rsquo;s</button>
              <button type="button" className="button small" onClick={() => setDraft({ settings: QUICK_SETTINGS })}>Quick look</button>
            </span>
          </fieldset>
          <button type="submit" className="button primary" data-testid="start-refit" disabled={!draft.judge || !draft.group}>Refit</button>
        </form>
      </section>

      {refits && refits.length > 0 && (
        <section className="panel">
          <h3>Refits of this round</h3>
          <ul className="refit-list">
            {refits.map((r) => <RefitLine key={r.id} refit={r} selected={r.id === selectedId} onSelect={() => select(r.id)} progress={r.jobId ? progress[r.jobId] : undefined} />)}
          </ul>
        </section>
      )}
      {selected?.status === 'done' && <RefitResult refit={selected} roundName={round.name} />}
    </div>
  );
}

function RefitLine({ refit, selected, onSelect, progress }: { refit: RefitRecord; selected: boolean; onSelect: () => void; progress?: { done: number; total: number; etaSeconds: number | null; message: string } }) {
  return (
    <li className={`refit-line ${selected ? 'selected' : ''}`} data-testid="refit-line" data-state={refit.status}>
      <button type="button" className="link-button" onClick={onSelect}>{refit.judge} on {refit.group}</button>
      <span className="muted small">
        {refit.scope === 'group' ? 'whole group' : 'reviewed pairs'} · {refit.originalRows} → {refit.correctedRows} pairs, {refit.changedRows} changed
        {refit.unsettled ? ` · ${refit.unsettled} unsettled disagreement${refit.unsettled === 1 ? '' : 's'} kept as annotated` : ''}
        {refit.reusedFitId !== null ? ` · original: stored fit #${refit.reusedFitId}` : ''}
      </span>
      {refit.status === 'running' ? (
        <>
          <progress max={progress?.total ?? 1} value={progress?.done ?? 0} />
          <span className="muted small">{progress ? `${progress.message} · ${formatEta(progress.etaSeconds)}` : 'Queued'}</span>
          <button type="button" className="button small danger" data-testid="cancel-refit"
            onClick={() => void call('jobs.cancel', { jobId: refit.jobId! }).catch((err: unknown) => useStudio.getState().reportError('review', err))}>Cancel</button>
        </>
      ) : <span className={`refit-status ${refit.status}`}>{refit.status}{refit.error ? `: ${refit.error}` : ''}</span>}
    </li>
  );
}

function RefitResult({ refit, roundName }: { refit: RefitRecord; roundName: string }) {
  const moved = refit.properties.filter((p) => p.exceedsUncertainty).length;
  const rows = refit.properties.map((p) => p.name);
  const point = (e: RefitRecord['properties'][number]['original']) => ({ value: e.strength, low: e.strengthQ5, high: e.strengthQ95 });
  const series: IntervalSeries[] = [
    { label: 'as annotated', color: '#5d6978', dashed: true, points: Object.fromEntries(refit.properties.map((p) => [p.name, point(p.original)])) },
    { label: 'as corrected', color: '#2c6bb0', points: Object.fromEntries(refit.properties.map((p) => [p.name, point(p.corrected)])) },
  ];
  const axis = preferenceAxis(seriesValues(series));
  return (
    <section className="panel refit-result" data-testid="refit-result">
      <h3>{refit.judge} on {refit.group}: as annotated and as corrected <ReviewTableExport table="refit" refitId={refit.id} testId="export-refit" /></h3>
      <p className={moved ? 'refit-verdict moved' : 'refit-verdict'} data-testid="refit-summary">
        {moved === 0 ? 'No property’s corrected effect strength leaves the original 90% credible interval: the annotation errors found do not change the conclusions.'
          : `${moved} propert${moved === 1 ? 'y’s' : 'ies’'} corrected effect strength leaves the original 90% credible interval.`}
      </p>
      <ChartFrame title="Effect strength σ(α), as annotated and as corrected, with 90% intervals" nameParts={['refit', roundName, refit.judge, refit.group]}
        testId="refit-chart" height={intervalChartHeight(rows.length, 2)}>
        <IntervalBars rows={rows} baseline={0.5} domain={axis.domain} ticks={axis.ticks} format={percentTick} series={series} />
      </ChartFrame>
      <div className="table-scroll">
        <table className="data-table refit-table">
          <thead><tr><th scope="col">Property</th><th scope="col" className="num">As annotated</th><th scope="col" className="num">As corrected</th>
            <th scope="col" className="num">Shift (points)</th><th scope="col" className="num">α shift</th><th scope="col">Beyond the uncertainty?</th></tr></thead>
          <tbody>
            {refit.properties.map((p) => (
              <tr key={p.name} className={p.exceedsUncertainty ? 'moved' : undefined} data-property={p.name}>
                <th scope="row">{p.name}</th>
                <td className="num">{percent(p.original.strength)} <span className="muted">[{percent(p.original.strengthQ5)}, {percent(p.original.strengthQ95)}]</span></td>
                <td className="num">{percent(p.corrected.strength)} <span className="muted">[{percent(p.corrected.strengthQ5)}, {percent(p.corrected.strengthQ95)}]</span></td>
                <td className="num">{signedPoints(p.strengthShift)}</td>
                <td className="num">{signed(p.alphaShift, 3)}</td>
                <td>{p.exceedsUncertainty ? 'yes: outside the original 90% interval' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
