// Agreement of a round: Table 12 per checker and pooled with Wilson 95% intervals, Cohen's kappa and
// Krippendorff's alpha between checkers, the chart, the exports, and the disagreements to settle.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AgreementRow } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { Busy } from '../../components/Busy';
import { ChartFrame } from '../../components/ChartFrame';
import { ReviewTableExport } from './ReviewTableExport';
import { IntervalBars, SERIES_COLORS, type IntervalSeries } from '../dissect/IntervalBars';
import { centredTicks, percentTick } from '../../lib/ticks';
import { OpenedPair } from './OpenedPair';
import { Disagreements } from './Disagreements';
import { percent } from './format';

/** Agreement rates run from 0% to 100%: quarters, with the 50% line labelled. */
const RATE_AXIS = centredTicks(0.5, 0.5, [0, 1]);

const POOLED = 'pooled';
const rowLabel = (r: AgreementRow) => (r.section === 'Basic properties' ? r.item : `${r.item} (${r.level})`);
const fixed = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));

export function AgreementPanel() {
  const { round, report, list, loading, load, opened } = useStudio(useShallow((s) => ({
    round: s.reviewRounds?.find((r) => r.id === s.reviewRoundId) ?? null, report: s.reviewAgreement, list: s.reviewDisagreements,
    loading: s.reviewAgreementLoading, load: s.loadReviewAgreement, opened: s.reviewOpened,
  })));
  const roundId = round?.id;
  useEffect(() => {
    if (roundId !== undefined) void load();
  }, [roundId, load]);
  if (!round) return null;
  if (!report) return <div className="review-panel"><Busy text="Computing agreement…" /></div>;
  const who = [...report.checkers, POOLED];
  const shown = report.rows.filter((r) => r.counts[POOLED].total > 0);
  const series: IntervalSeries[] = who.map((name, i) => ({
    label: name, color: name === POOLED ? '#1e2731' : SERIES_COLORS[i % SERIES_COLORS.length], dashed: name !== POOLED && who.length > 2,
    points: Object.fromEntries(shown.filter((r) => r.counts[name].total > 0).map((r) => {
      const c = r.counts[name];
      return [rowLabel(r), { value: c.rate!, low: c.low, high: c.high }];
    })),
  }));
  return (
    <div className="review-panel agreement" data-testid="agreement-panel">
      <header className="panel-head">
        <h2>{round.name}: agreement with the annotations</h2>
        <span className="muted small">{round.pairCount} pairs, {report.checkers.length} checker{report.checkers.length === 1 ? '' : 's'}; an item is agreed when it is approved (Table 12)</span>
        <button type="button" className="button small" onClick={() => void load()} disabled={loading}>{loading ? 'Computing…' : 'Refresh'}</button>
      </header>

      <section className="reliability" aria-label="Agreement between checkers">
        <h3>Between checkers <span className="muted small">on agree / disagree with the annotation, over the items both judged</span></h3>
        {report.kappas.length === 0 ? <p className="muted">One checker: nothing to compare. Add a checker to the round to measure agreement between checkers.</p> : (
          <table className="data-table">
            <thead><tr><th scope="col">Checkers</th><th scope="col" className="num">Shared items</th><th scope="col" className="num">Observed</th><th scope="col" className="num">By chance</th><th scope="col" className="num">Cohen&rsquo;s κ</th></tr></thead>
            <tbody>
              {report.kappas.map((k) => (
                <tr key={`${k.first}|${k.second}`}>
                  <th scope="row">{k.first} / {k.second}</th>
                  <td className="num">{k.sharedItems}</td>
                  <td className="num">{fixed(k.observed)}</td>
                  <td className="num">{fixed(k.expected)}</td>
                  <td className="num" data-testid={`kappa-${k.first}-${k.second}`} title={k.kappa === null ? 'Undefined: both gave one answer throughout' : undefined}>{fixed(k.kappa)}</td>
                </tr>
              ))}
              {report.alpha && (
                <tr>
                  <th scope="row">Krippendorff&rsquo;s α (nominal), all {report.alpha.checkers}</th>
                  <td className="num">{report.alpha.units}</td><td /><td />
                  <td className="num" data-testid="alpha">{fixed(report.alpha.value)}</td>
                </tr>
              )}
            </tbody>
          </table>
        )}
        <ReviewTableExport table="reliability" testId="export-reliability" />
      </section>

      <section aria-label="Table 12">
        <h3>Agreement per item (Table 12) <ReviewTableExport table="agreement" testId="export-agreement" /></h3>
        <p className="muted small">Table 12 as the paper prints it (x/y under each section, a column per checker and pooled):{' '}
          <ReviewTableExport table="table12" testId="export-table12" /></p>
        <div className="table-scroll">
          <table className="data-table agreement-table" data-testid="agreement-table">
            <thead>
              <tr><th scope="col">Item</th><th scope="col">Level</th>
                {who.map((name) => <th key={name} scope="col" className="num">{name}</th>)}
                <th scope="col" className="num">Pooled Wilson 95%</th></tr>
            </thead>
            {[...new Set(report.rows.map((r) => r.section))].map((section) => (
              <tbody key={section}>
                <tr className="group-row"><th scope="colgroup" colSpan={who.length + 3}>{section}</th></tr>
                {report.rows.filter((r) => r.section === section).map((r) => (
                  <tr key={`${r.item}|${r.level}`} data-row={`${r.item}|${r.level}`}>
                    <th scope="row">{r.item}</th>
                    <td>{r.level}</td>
                    {who.map((name) => {
                      const c = r.counts[name];
                      return <td key={name} className="num">{c.agreed}/{c.total} <span className="muted">{percent(c.rate)}</span></td>;
                    })}
                    <td className="num muted">{r.counts[POOLED].low === null ? '—' : `${percent(r.counts[POOLED].low)} – ${percent(r.counts[POOLED].high)}`}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      </section>

      {shown.length > 0 && (
        <ChartFrame title="Agreement rate per item, with Wilson 95% intervals" nameParts={['agreement', round.name]} testId="agreement-chart"
          height={Math.max(280, shown.length * (8 + 9 * who.length) + 70)}>
          <IntervalBars rows={shown.map(rowLabel)} series={series} baseline={0} domain={RATE_AXIS.domain} ticks={RATE_AXIS.ticks} format={percentTick} />
        </ChartFrame>
      )}

      {opened && <OpenedPair view={opened.view} itemKey={opened.itemKey} />}
      <Disagreements list={list} checkers={report.checkers} settled={report.settled} />
    </div>
  );
}
