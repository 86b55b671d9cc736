// Figure 3: the similarity of judges' preferences as a heatmap ordered by model size, and section 4.2's intra- and
// inter-group similarity for groups of judges the user can edit (by default <14B and >30B).
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Bar, BarChart, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import type { JudgeGroup, JudgeRef, SimilarityResult } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { compareJudges } from '../../store/compareSlice';
import { ChartFrame } from '../../components/ChartFrame';
import { TableExport } from '../../components/TableExport';
import { categoryAxisWidth } from '../../lib/ticks';

const key = (j: JudgeRef) => `${j.source}:${j.name}`;

/** Light to dark over [low, 1], through a few stops so that the 0.6-0.9 most judges share stays readable. */
const STOPS = [[255, 255, 217], [161, 218, 180], [65, 182, 196], [34, 94, 168], [8, 29, 88]];
export function similarityColor(v: number | null, low: number): string {
  if (v === null) return '#eeeeee';
  const t = Math.max(0, Math.min(1, (v - low) / (1 - low))) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - k;
  return `rgb(${STOPS[k].map((c, i) => Math.round(c + (STOPS[k + 1][i] - c) * f)).join(',')})`;
}

/** The scale's low end: the lowest similarity shown, rounded down to a tenth. */
export function scaleLow(result: SimilarityResult): number {
  const values = result.matrix.flat().filter((v): v is number => v !== null);
  return Math.min(0.5, Math.floor(Math.min(...values, 1) * 10) / 10);
}

function Heatmap({ result, width, height }: { result: SimilarityResult; width?: number; height?: number }) {
  const low = scaleLow(result);
  const n = result.judges.length;
  // A judge whose weights come from a flagged fit is marked on both axes (the exported chart keeps the mark).
  const labels = result.judges.map((j) => (j.flag ? `⚠ ${j.label}` : j.label));
  const data = result.judges.map((j, i) => ({ row: j.label, i, ...Object.fromEntries(labels.map((_, c) => [`c${c}`, 1])) }));
  return (
    <BarChart layout="vertical" data={data} width={width} height={height} barCategoryGap={0} margin={{ top: 4, right: 12, bottom: 4, left: 4 }}>
      <XAxis type="number" domain={[0, n]} ticks={labels.map((_, c) => c + 0.5)} tickFormatter={(v: number) => labels[Math.floor(v)] ?? ''}
        interval={0} angle={-60} textAnchor="end" height={150} fontSize={10} />
      <YAxis type="category" dataKey="row" width={categoryAxisWidth(labels, 10)} interval={0} fontSize={10} />
      <Tooltip shared={false} cursor={false} content={({ active, payload }) => {
        const item = payload?.[0];
        if (!active || !item) return null;
        const i = (item.payload as { i: number }).i;
        const c = Number(String(item.dataKey).slice(1));
        const v = result.matrix[i][c];
        return (
          <div className="chart-tooltip">
            <strong>{labels[i]} · {labels[c]}</strong>
            <div>{v === null ? 'no group in common' : `similarity ${v.toFixed(3)} over ${result.groupCounts[i][c]} group${result.groupCounts[i][c] === 1 ? '' : 's'}`}</div>
          </div>
        );
      }} />
      {labels.map((_, c) => (
        <Bar key={c} dataKey={`c${c}`} stackId="m" isAnimationActive={false}>
          {result.judges.map((_j, i) => <Cell key={i} className="heatmap-cell" fill={similarityColor(result.matrix[i][c], low)} stroke="#fff" strokeWidth={0.5} />)}
        </Bar>
      ))}
    </BarChart>
  );
}

/** The judges whose weights come from flagged fits (R-hat above 1.01, divergences), said where their numbers are used. */
export function FlaggedFits({ judges }: { judges: { label: string; flag: string | null }[] }) {
  const flagged = judges.filter((j) => j.flag);
  if (flagged.length === 0) return null;
  return (
    <ul className="flag-note" data-testid="flagged-fits">
      {flagged.map((j) => <li key={j.label}>⚠ <strong>{j.label}</strong>: flagged fit ({j.flag}); its numbers here may not be reliable.</li>)}
    </ul>
  );
}

function GroupEditor({ result, onChange }: { result: SimilarityResult; onChange: (groups: JudgeGroup[] | null) => void }) {
  const groups = result.judgeGroups;
  const [name, setName] = useState('');
  const toggle = (g: number, judge: JudgeRef, on: boolean) => onChange(groups.map((x, k) => (k !== g ? x : {
    ...x, judges: on ? [...x.judges, judge] : x.judges.filter((j) => key(j) !== key(judge)),
  })));
  return (
    <details className="group-editor" data-testid="judge-group-editor">
      <summary>Edit the judge groups</summary>
      <div className="checklist-actions">
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New group's name" aria-label="New group's name" />
        <button type="button" className="button small" disabled={!name.trim() || groups.some((g) => g.name === name.trim())}
          onClick={() => { onChange([...groups, { name: name.trim(), judges: [] }]); setName(''); }}>Add group</button>
        <button type="button" className="button small subtle" onClick={() => onChange(null)}>Reset to &lt;14B / &gt;30B</button>
      </div>
      <div className="table-scroll editor-scroll">
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">Judge</th>
              {groups.map((g, k) => (
                <th scope="col" key={g.name}>
                  {g.name}{' '}
                  <button type="button" className="link-button small" aria-label={`Remove group ${g.name}`} onClick={() => onChange(groups.filter((_, x) => x !== k))}>×</button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.judges.map((j) => (
              <tr key={key(j.judge)}>
                <th scope="row">{j.label} <span className="muted small">{j.sizeBillion === null ? '' : `${j.sizeBillion}B`}</span></th>
                {groups.map((g, k) => (
                  <td key={g.name}>
                    <input type="checkbox" aria-label={`${j.label} in ${g.name}`} checked={g.judges.some((x) => key(x) === key(j.judge))}
                      onChange={(e) => toggle(k, j.judge, e.target.checked)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function SimilarityPanel() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, result: st.similarity, setGroups: st.setJudgeGroupsDraft, draft: st.judgeGroupsDraft,
    fittedJudges: st.fittedJudges, compareStudyJudges: st.compareStudyJudges, comparePaperJudges: st.comparePaperJudges, paper: st.paper, studyName: st.studies.find((x) => x.id === st.selectedStudyId)?.name ?? '',
  })));
  const r = s.result;
  const judges = compareJudges(s);
  if (!r) return null;
  const spec = s.studyId === null ? null : { studyId: s.studyId, judges, judgeGroups: s.draft ?? undefined };
  return (
    <>
      <section className="panel" aria-labelledby="similarity-title" data-testid="similarity">
        <div className="panel-head">
          <h2 id="similarity-title">Similarity of preferences</h2>
          <TableExport testId="similarity-export" spec={spec && { table: 'similarity', ...spec }} />
        </div>
        <p className="muted small">
          similarity(M, N) is the Pearson correlation of the two judges' weights α on a group, averaged over the groups both have (section 4.2.1),
          here over {r.groups.length} group{r.groups.length === 1 ? '' : 's'}. Judges are ordered by model size; proprietary LLMs and humans last.
          {r.missing.length > 0 && <> Left out, without weights: {r.missing.join(', ')}.</>}
        </p>
        <FlaggedFits judges={r.judges} />
        {r.judges.length < 2 ? <p className="empty">Choose at least two judges with weights.</p> : (
          <ChartFrame title="Judge similarity" nameParts={['judge similarity', s.studyName]} height={Math.max(320, r.judges.length * 17 + 170)} testId="similarity-chart"
            note={<span className="scale">{scaleLow(r).toFixed(1)} <span className="gradient" style={{ background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => similarityColor(scaleLow(r) + t * (1 - scaleLow(r)), scaleLow(r))).join(', ')})` }} /> 1</span>}>
            <Heatmap result={r} />
          </ChartFrame>
        )}
      </section>
      <section className="panel" aria-labelledby="intra-title" data-testid="intra-inter">
        <div className="panel-head">
          <h2 id="intra-title">Intra- and inter-group similarity</h2>
          <TableExport testId="intra-inter-export" spec={spec && { table: 'intra-inter', ...spec }} />
        </div>
        <p className="muted small">Intra(A): the mean similarity over pairs of judges in A; Inter(A, B): over pairs across A and B. The paper, by size: 0.83 (&lt;14B), 0.88 (&gt;30B), 0.74 between them.</p>
        <table className="data-table">
          <thead><tr><th scope="col">Groups</th><th scope="col" className="num">Judges</th><th scope="col" className="num">Similarity</th></tr></thead>
          <tbody>
            {r.intra.map((g) => (
              <tr key={g.group}><th scope="row">Intra {g.group}</th><td className="num">{g.judges}</td>
                <td className="num" data-testid="intra-cell" data-group={g.group}>{g.similarity === null ? '—' : g.similarity.toFixed(3)}</td></tr>
            ))}
            {r.inter.map((g) => (
              <tr key={`${g.a}|${g.b}`}><th scope="row">Inter {g.a} / {g.b}</th><td className="num" />
                <td className="num" data-testid="inter-cell">{g.similarity === null ? '—' : g.similarity.toFixed(3)}</td></tr>
            ))}
          </tbody>
        </table>
        <GroupEditor result={r} onChange={s.setGroups} />
      </section>
    </>
  );
}
