// Style vs substance ("Style Outweighs Substance"): each judge's share of preference carried by style properties
// and by substance properties, with the split shown and editable (a click moves a property to the other side).
import { useShallow } from 'zustand/react/shallow';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../../store';
import { compareJudges } from '../../store/compareSlice';
import { ChartFrame } from '../../components/ChartFrame';
import { TableExport } from '../../components/TableExport';
import { FlaggedFits } from './SimilarityPanel';
import { categoryAxisWidth } from '../../lib/ticks';

export function StyleSubstancePanel() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, result: st.styleResult, setStyle: st.setStyleDraft, draft: st.styleDraft, fittedJudges: st.fittedJudges, compareStudyJudges: st.compareStudyJudges, comparePaperJudges: st.comparePaperJudges, paper: st.paper,
    studyName: st.studies.find((x) => x.id === st.selectedStudyId)?.name ?? '',
  })));
  const r = s.result;
  const judges = compareJudges(s);
  if (!r) return null;
  const move = (name: string) => s.setStyle(r.style.includes(name) ? r.style.filter((n) => n !== name) : [...r.style, name]);
  // Keys unlike any SVG attribute: recharts spreads a data entry onto each bar's element (a key "style" breaks it).
  const data = [...r.judges].sort((a, b) => b.styleShare - a.styleShare).map((j) => ({ judge: j.flag ? `⚠ ${j.label}` : j.label, stylePercent: j.styleShare * 100, substancePercent: j.substanceShare * 100 }));
  return (
    <section className="panel" aria-labelledby="style-title" data-testid="style-substance">
      <div className="panel-head">
        <h2 id="style-title">Style vs substance</h2>
        <TableExport testId="style-export" spec={s.studyId === null ? null : { table: 'style-substance', studyId: s.studyId, judges, style: s.draft ?? undefined }} />
      </div>
      <p className="muted small">
        A judge's style share on a group is Σ|α| over the style properties divided by Σ|α| over all 29: the part of its total effect strength,
        liked or disliked, that style carries. The rest is substance. Shares are averaged over the judge's groups.
      </p>
      <div className="split-editor" data-testid="style-split">
        <div>
          <h3>Style <span className="muted small">({r.style.length})</span></h3>
          <ul>{r.style.map((n) => <li key={n}><button type="button" className="chip-button style" data-property={n} title="Move to substance" onClick={() => move(n)}>{n} →</button></li>)}</ul>
        </div>
        <div>
          <h3>Substance <span className="muted small">({r.substance.length})</span></h3>
          <ul>{r.substance.map((n) => <li key={n}><button type="button" className="chip-button substance" data-property={n} title="Move to style" onClick={() => move(n)}>← {n}</button></li>)}</ul>
        </div>
        <button type="button" className="button small subtle" disabled={s.draft === null} onClick={() => s.setStyle(null)}>Reset to the default split</button>
      </div>
      {data.length > 0 && (
        <ChartFrame title="Share of preference carried by style and by substance" nameParts={['style vs substance', s.studyName]} height={Math.max(220, data.length * 18 + 80)} testId="style-chart">
          <BarChart layout="vertical" data={data} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid horizontal={false} strokeDasharray="2 3" />
            <XAxis type="number" domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} fontSize={11} />
            <YAxis type="category" dataKey="judge" width={categoryAxisWidth(data.map((d) => d.judge), 10)} interval={0} fontSize={10} />
            <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} />
            <Legend verticalAlign="top" height={24} />
            <Bar dataKey="stylePercent" name="style" stackId="share" fill="#c0562b" isAnimationActive={false} />
            <Bar dataKey="substancePercent" name="substance" stackId="share" fill="#2c6bb0" isAnimationActive={false} />
          </BarChart>
        </ChartFrame>
      )}
      <FlaggedFits judges={r.judges} />
      <table className="data-table">
        <thead><tr><th scope="col">Judge</th><th scope="col" className="num">Style %</th><th scope="col" className="num">Substance %</th><th scope="col" className="num">Groups</th></tr></thead>
        <tbody>
          {r.judges.map((j) => (
            <tr key={`${j.judge.source}:${j.judge.name}`}>
              <th scope="row">{j.flag ? <span className="flagged-label" title={`Flagged fit: ${j.flag}`}>⚠ {j.label}</span> : j.label}</th>
              <td className="num" data-testid="style-share" data-judge={j.label}>{(j.styleShare * 100).toFixed(1)}</td>
              <td className="num">{(j.substanceShare * 100).toFixed(1)}</td>
              <td className="num">{j.groups}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
