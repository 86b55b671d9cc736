// Figure 1: each property's degree of preference sigma(alpha) with its 90% interval for the chosen judges on one
// group, the 50% line, the top and last three marked, a sortable table of the same numbers and each fit's
// diagnostics. While a fit runs its MAP estimate stands in, dashed.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { JudgeEffects, JudgeRef } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { isRunning, previewKey } from '../../store/dissectSlice';
import { ChartFrame } from '../../components/ChartFrame';
import { TableExport } from '../../components/TableExport';
import { groupLabel } from '../../../../preload/contract';
import { percentTick, preferenceAxis } from '../../lib/ticks';
import { IntervalBars, intervalChartHeight, SERIES_COLORS, seriesValues, type IntervalSeries } from './IntervalBars';

const pct = (v: number) => `${(v * 100).toFixed(1)}`;

interface Column { series: IntervalSeries; effects: JudgeEffects | null }

function pointsOf(e: JudgeEffects): IntervalSeries['points'] {
  return Object.fromEntries(e.properties.map((p) => [p.name, {
    value: p.strength, low: p.strengthQ5, high: p.strengthQ95,
    mark: e.top.includes(p.name) ? 'top' as const : e.last.includes(p.name) ? 'last' as const : undefined,
  }]));
}

export function EffectStrengths() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, group: st.dissectGroup, setGroup: st.setDissectGroup, effects: st.effects, fits: st.fits,
    judges: st.dissectJudges, paperJudges: st.dissectPaperJudges, jobs: st.fitJobs, previews: st.previews, sortKey: st.sortKey,
    setSortKey: st.setSortKey, groupRows: st.groupRows, paper: st.paper, studyName: st.studies.find((x) => x.id === st.selectedStudyId)?.name ?? '',
  })));

  const columns = useMemo((): Column[] => {
    const out: Column[] = [];
    const of = (ref: JudgeRef) => s.effects.find((e) => e.judge.source === ref.source && e.judge.name === ref.name && e.group === s.group) ?? null;
    for (const name of s.judges) {
      const fitted = of({ source: 'study', name });
      if (fitted) out.push({ series: { label: name, color: '', points: pointsOf(fitted) }, effects: fitted });
      const preview = s.previews[previewKey(name, s.group)];
      const running = s.jobs.some((j) => isRunning(j) && j.judge === name && j.groups.includes(s.group));
      if (preview && running) {
        out.push({
          series: { label: `${name} (MAP preview, fit running)`, color: '', dashed: true, points: Object.fromEntries(preview.properties.map((p) => [p.name, { value: p.strength, low: null, high: null }])) },
          effects: null,
        });
      }
    }
    for (const name of s.paperJudges) {
      const published = of({ source: 'paper', name });
      if (published) out.push({ series: { label: published.label, color: '', points: pointsOf(published) }, effects: published });
    }
    return out.map((c, i) => ({ ...c, series: { ...c.series, color: SERIES_COLORS[i % SERIES_COLORS.length] } }));
  }, [s.effects, s.group, s.judges, s.paperJudges, s.previews, s.jobs]);

  const properties = s.paper?.properties ?? [];
  const sortBy = columns.find((c) => c.series.label === s.sortKey);
  const rows = sortBy ? [...properties].sort((a, b) => (sortBy.series.points[b]?.value ?? 0) - (sortBy.series.points[a]?.value ?? 0)) : properties;
  const axis = preferenceAxis(seriesValues(columns.map((c) => c.series)));
  const groups = (s.groupRows[s.judges[0]] ?? []).map((r) => r.group);
  const refs: JudgeRef[] = [...s.judges.map((name) => ({ source: 'study' as const, name })), ...s.paperJudges.map((name) => ({ source: 'paper' as const, name }))];

  return (
    <section className="panel" aria-labelledby="strengths-title" data-testid="effect-strengths">
      <div className="panel-head">
        <h2 id="strengths-title">Effect strengths</h2>
        <label className="inline-field">
          Group{' '}
          <select data-testid="strength-group" value={s.group} onChange={(e) => s.setGroup(e.target.value)}>
            {(groups.length ? groups : s.paper?.groups ?? []).map((g) => <option key={g} value={g}>{groupLabel(g)}</option>)}
          </select>
        </label>
      </div>
      <div className="diagnostics" data-testid="fit-diagnostics">
        {columns.filter((c) => c.effects?.diagnostics).map((c) => {
          const e = c.effects!;
          const d = e.diagnostics!;
          const settings = s.fits.find((f) => f.id === e.fitId)?.settings;
          return (
            <div key={c.series.label} className={`diag ${d.flagged ? 'flagged' : 'ok'}`} data-testid="diagnostics-badge" data-judge={c.series.label} data-flagged={d.flagged}>
              <span className="swatch" style={{ background: c.series.color }} />
              <strong>{c.series.label}</strong>
              <span className={`badge ${e.flag ? 'bad' : 'good'}`}>{e.flag ? `Flagged: ${e.flag}` : 'Converged'}</span>
              <span className="muted small">
                {e.rows} pairs{settings ? ` · ${settings.folds} folds × ${settings.chains} chains × ${settings.draws} draws` : ''} · max R-hat {d.maxRhat.toFixed(3)} · min ESS {Math.round(d.minEssBulk)} · {d.divergences} divergences
                {e.accuracy !== null ? ` · held-out accuracy ${pct(e.accuracy)}%` : ''}
                {d.sampler ? ` · ${d.sampler}` : ''}
                {d.notApplicablePairs ? (settings?.notApplicable === 'zero-errors'
                  ? ` · ${d.notApplicablePairs} pairs whose error check was not applicable kept with no error features`
                  : ` · ${d.notApplicablePairs} pairs left out: their error check was not applicable (section 3.4)`) : ''}
              </span>
            </div>
          );
        })}
      </div>
      {columns.length === 0 ? (
        <p className="empty" data-testid="strengths-empty">No fit of the chosen judges on {groupLabel(s.group)} yet: choose groups above and fit, or put the paper's judges beside them.</p>
      ) : (
        <>
          <ChartFrame title={`Degree of preference σ(α) on ${groupLabel(s.group)}, with 90% intervals`} nameParts={['effect strengths', s.studyName, s.group]}
            height={intervalChartHeight(rows.length, columns.length)} testId="strengths-chart"
            note={<>Above the 50% line a judge prefers the response that satisfies the property better, all else equal; below it dislikes it. <span className="mark-top">▲</span> top three, <span className="mark-last">▼</span> last three.</>}>
            <IntervalBars rows={rows} series={columns.map((c) => c.series)} baseline={0.5} domain={axis.domain} ticks={axis.ticks} format={percentTick} />
          </ChartFrame>
          <div className="table-head">
            <span className="muted small">Click a column to sort by it.</span>
            <TableExport testId="strengths-export" spec={s.studyId === null ? null : { table: 'effect-strengths', studyId: s.studyId, judges: refs, group: s.group }} />
          </div>
          <div className="table-scroll">
            <table className="data-table" data-testid="strengths-table">
              <thead>
                <tr>
                  <th scope="col"><button type="button" className="link-button" aria-pressed={!sortBy} onClick={() => s.setSortKey('order')}>Property{!sortBy ? ' ▾' : ''}</button></th>
                  {columns.map((c) => (
                    <th scope="col" key={c.series.label} className="num">
                      <button type="button" className="link-button" aria-pressed={sortBy === c} onClick={() => s.setSortKey(c.series.label)}>
                        <span className="swatch" style={{ background: c.series.color }} />{c.series.label} %{sortBy === c ? ' ▾' : ''}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((name) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    {columns.map((c) => {
                      const p = c.series.points[name];
                      return (
                        <td key={c.series.label} className={`num ${p?.mark ?? ''}`} data-testid="strength-cell" data-judge={c.series.label} data-property={name}>
                          {p ? pct(p.value) : '—'}
                          {p && p.low !== null && p.high !== null && <span className="muted small"> [{pct(p.low)}, {pct(p.high)}]</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
