// "Corrected by the check": a judge's effect strengths on a group as annotated beside the ones corrected by a
// round's checked pairs (design-based supervised learning), each with a 95% interval; which properties change
// direction, their place among the three strongest or weakest, or leave the other's interval; a plain sentence of
// what the check changed; and how many more checked pairs bring each interval to the width the user chooses.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CorrectedEstimate, CorrectedReport } from '../../../../preload/contract';
import { call } from '../../api';
import { JudgeGroupFields } from './JudgeGroupFields';
import { useStudio } from '../../store';
import { sameRequest, type CorrectedRequest } from '../../store/correctedSlice';
import { Busy } from '../../components/Busy';
import { ChartFrame } from '../../components/ChartFrame';
import { TableExport } from '../../components/TableExport';
import { IntervalBars, intervalChartHeight, seriesValues } from '../dissect/IntervalBars';
import { percentTick, preferenceAxis } from '../../lib/ticks';
import { percent } from './format';

/** The width typed, as a number the planning can aim at, or null. */
export const widthOf = (typed: string) => {
  const w = Number(typed);
  return typed.trim() !== '' && w > 0 && Number.isFinite(w) ? w : null;
};

export function CorrectedPanel() {
  const { round, studyId, judges, draft, setDraft } = useStudio(useShallow((s) => ({
    round: s.reviewRounds?.find((r) => r.id === s.reviewRoundId) ?? null, studyId: s.selectedStudyId, judges: s.reviewJudges,
    draft: s.correctedDraft, setDraft: s.setCorrectedDraft,
  })));
  const reportError = useStudio((s) => s.reportError);
  const [groups, setGroups] = useState<{ group: string; rows: number }[]>([]);
  useEffect(() => {
    if (studyId === null || !draft.judge) return;
    call('dissect.groups', { studyId, judge: draft.judge }).then((g) => {
      setGroups(g);
      if (g.length > 0 && !g.some((x) => x.group === useStudio.getState().correctedDraft.group)) setDraft({ group: g[0].group });
    }, (err: unknown) => reportError('review', err));
  }, [studyId, draft.judge, reportError, setDraft]);
  useEffect(() => {
    if (judges.length > 0 && !judges.some((j) => j.name === draft.judge)) setDraft({ judge: judges[0].name });
  }, [judges, draft.judge, setDraft]);
  // A round drawn where checking helps most corrects its own judge and group: start there.
  const designJudge = round?.design?.judge;
  const designGroup = round?.design?.group;
  useEffect(() => {
    if (designJudge && designGroup) setDraft({ judge: designJudge, group: designGroup });
  }, [designJudge, designGroup, setDraft]);
  if (!round) return null;
  return (
    <div className="review-panel corrected" data-testid="corrected-panel">
      <section className="panel">
        <h2>Corrected by the check of {round.name}</h2>
        <p className="muted small">
          A pair counts as checked once every one of its items has a verdict all its checkers agree on, or a settled disagreement; its checked
          annotation is the one &ldquo;Refit with corrections&rdquo; uses. Each checked pair is weighed by how likely it was to be drawn, so the
          corrected effect strengths estimate what checking every pair would give (design-based supervised learning, Egami et al. 2023).
        </p>
        <div className="refit-form">
          <JudgeGroupFields judges={judges} groups={groups} judge={draft.judge} group={draft.group} onChange={setDraft} testIdPrefix="corrected" />
        </div>
      </section>
      {draft.judge && draft.group && <CorrectedResult roundId={round.id} judge={draft.judge} group={draft.group} />}
    </div>
  );
}

/** The report for a round, judge and group: asks for it when it is not the one in the store. */
export function CorrectedResult({ roundId, judge, group }: { roundId: number; judge: string; group: string }) {
  const { typedWidth, setDraft, request, report, error, loading, load } = useStudio(useShallow((s) => ({
    typedWidth: s.correctedDraft.targetWidth, setDraft: s.setCorrectedDraft, request: s.correctedRequest, report: s.correctedReport,
    error: s.correctedError, loading: s.correctedLoading, load: s.loadCorrected,
  })));
  const targetWidth = widthOf(typedWidth);
  const wanted: CorrectedRequest | null = targetWidth === null ? null : { roundId, judge, group, targetWidth };
  const current = sameRequest(request, wanted);
  useEffect(() => {
    if (wanted && !sameRequest(useStudio.getState().correctedRequest, wanted)) void load(wanted);
    // wanted is rebuilt each render; its fields are the dependencies
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roundId, judge, group, targetWidth, load]);
  return (
    <section className="panel corrected-result" data-testid="corrected-result">
      <label className="field short"><span className="field-label">Plan the checks for a 95% interval (log-odds) of width</span>
        <input value={typedWidth} onChange={(e) => setDraft({ targetWidth: e.target.value })} size={6} data-testid="corrected-width" aria-invalid={targetWidth === null} /></label>
      {targetWidth === null && <p className="form-error">The width is a positive number, such as 1.</p>}
      {current && loading && <Busy text="Correcting…" />}
      {current && error && <p className="refit-verdict" role="status" data-testid="corrected-error">{error}</p>}
      {current && report && !error && <CorrectedTable report={report} />}
    </section>
  );
}

const interval = (e: CorrectedEstimate | null) => e
  ? <>{percent(e.strength)} <span className="muted">[{percent(e.strengthLow)}, {percent(e.strengthHigh)}]</span></>
  : <span className="muted">never differs</span>;

function changes(p: CorrectedReport['properties'][number]): string {
  const out = [
    p.signChanged ? 'changes direction' : '',
    p.topThreeChanged ? 'three strongest' : '',
    p.lastThreeChanged ? 'three weakest' : '',
    p.outsideOther ? 'outside the other interval' : '',
  ].filter(Boolean);
  return out.length ? out.join(', ') : '—';
}

function plan(p: CorrectedReport['properties'][number]): string {
  if (p.width === null) return '—';
  if (p.moreChecks === 0) return 'narrow enough';
  return p.moreChecks === null ? 'not reachable by checking' : `${p.moreChecks} more (${p.checksNeeded} in all)`;
}

function CorrectedTable({ report }: { report: CorrectedReport }) {
  const point = (e: CorrectedEstimate) => ({ value: e.strength, low: e.strengthLow, high: e.strengthHigh });
  const shown = report.properties.filter((p) => p.naive || p.corrected);
  const series = (label: string, color: string, pick: (p: CorrectedReport['properties'][number]) => CorrectedEstimate | null, dashed?: boolean) => ({
    label, color, dashed, points: Object.fromEntries(shown.flatMap((p) => { const e = pick(p); return e ? [[p.name, point(e)]] : []; })),
  });
  const drawn = [series('as annotated', '#5d6978', (p) => p.naive, true), series('corrected by the check', '#2c6bb0', (p) => p.corrected)];
  const axis = preferenceAxis(seriesValues(drawn));
  const { roundId, judge, group, targetWidth } = report;
  const changed = report.properties.filter((p) => p.signChanged || p.topThreeChanged || p.lastThreeChanged || p.outsideOther).length;
  return (
    <>
      <h3>{judge} on {group}: {report.checked} of {report.pairs} pairs checked
        <TableExport testId="export-corrected" file={(format) => call('review.correctedTable', { roundId, judge, group, targetWidth, format })} /></h3>
      <p className={changed ? 'refit-verdict moved' : 'refit-verdict'} data-testid="corrected-summary">{report.summary}</p>
      <ChartFrame title="Effect strength σ(weight), as annotated and corrected by the check, with 95% intervals"
        nameParts={['corrected', report.roundName, judge, group]} testId="corrected-chart" height={intervalChartHeight(shown.length, 2)}>
        <IntervalBars rows={shown.map((p) => p.name)} baseline={0.5} domain={axis.domain} ticks={axis.ticks} format={percentTick} series={drawn} />
      </ChartFrame>
      <div className="table-scroll">
        <table className="data-table refit-table" data-testid="corrected-table">
          <thead><tr><th scope="col">Property</th><th scope="col" className="num">As annotated</th><th scope="col" className="num">Corrected</th>
            <th scope="col">What changes</th><th scope="col" className="num">Interval width</th><th scope="col">Checks for width {targetWidth}</th></tr></thead>
          <tbody>
            {report.properties.map((p) => (
              <tr key={p.name} className={changes(p) !== '—' ? 'moved' : undefined} data-property={p.name}>
                <th scope="row">{p.name}</th>
                <td className="num">{interval(p.naive)}</td>
                <td className="num">{interval(p.corrected)}</td>
                <td>{changes(p)}</td>
                <td className="num">{p.width === null ? '—' : p.width.toFixed(2)}</td>
                <td>{plan(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
