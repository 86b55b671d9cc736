// Tables 3 and 13 (each judge's top and last three properties on every group it has) and table 10 (held-out
// accuracy per judge, beside the paper's).
import { useShallow } from 'zustand/react/shallow';
import type { JudgeEffects } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { TableExport } from '../../components/TableExport';
import { groupLabel } from '../../../../preload/contract';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}`);

function Ranked({ e, names }: { e: JudgeEffects; names: string[] }) {
  return (
    <>
      {names.map((name) => (
        <td key={name}>
          {name} <span className="muted small">{pct(e.properties.find((p) => p.name === name)!.strength)}</span>
        </td>
      ))}
    </>
  );
}

export function TopLastTable() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, effects: st.effects, judges: st.dissectJudges, paperJudges: st.dissectPaperJudges,
    groupRows: st.groupRows,
  })));
  const order = (s.groupRows[s.judges[0]] ?? []).map((r) => r.group);
  const rank = (g: string) => (order.includes(g) ? order.indexOf(g) : order.length);
  const rows = [...s.effects].sort((a, b) => rank(a.group) - rank(b.group));
  const refs = [...s.judges.map((name) => ({ source: 'study' as const, name })), ...s.paperJudges.map((name) => ({ source: 'paper' as const, name }))];
  return (
    <section className="panel" aria-labelledby="toplast-title" data-testid="top-last-three">
      <div className="panel-head">
        <h2 id="toplast-title">Top and last three properties per group</h2>
        <TableExport testId="toplast-export" spec={s.studyId === null ? null : { table: 'top-last-three', studyId: s.studyId, judges: refs }} />
      </div>
      {rows.length === 0 ? <p className="empty">Nothing fitted for the chosen judges yet.</p> : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Group</th><th scope="col">Judge</th>
                <th scope="col" className="top">Top 1</th><th scope="col" className="top">Top 2</th><th scope="col" className="top">Top 3</th>
                <th scope="col" className="last">Last 1</th><th scope="col" className="last">Last 2</th><th scope="col" className="last">Last 3</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={`${e.label}|${e.group}`} data-testid="toplast-row" data-judge={e.label} data-group={e.group}>
                  <th scope="row">{groupLabel(e.group)}</th>
                  <td>{e.label}</td>
                  <Ranked e={e} names={e.top} />
                  <Ranked e={e} names={e.last} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function AccuracyTable() {
  const { studyId, accuracies } = useStudio(useShallow((st) => ({ studyId: st.selectedStudyId, accuracies: st.accuracies })));
  return (
    <section className="panel" aria-labelledby="accuracy-title" data-testid="accuracy">
      <div className="panel-head">
        <h2 id="accuracy-title">Held-out accuracy per judge</h2>
        <TableExport testId="accuracy-export" spec={studyId === null ? null : { table: 'accuracy', studyId }} />
      </div>
      <p className="muted small">The mean over the fitted scenario groups of each fit's accuracy on its held-out folds (appendix J); the paper's Table 10 beside it.</p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Judge</th><th scope="col" className="num">Accuracy %</th><th scope="col" className="num">Scenario groups</th>
              <th scope="col" className="num">Paper %</th><th scope="col">Per group</th>
            </tr>
          </thead>
          <tbody>
            {accuracies.map((a) => (
              <tr key={a.judge}>
                <th scope="row">{a.judge}</th>
                <td className="num" data-testid="accuracy-cell" data-judge={a.judge}>{pct(a.accuracy)}</td>
                <td className="num">{a.scenarioGroups}</td>
                <td className="num">{pct(a.paperAccuracy)}</td>
                <td className="small">{a.perGroup.map((g) => `${groupLabel(g.group)} ${pct(g.accuracy)}`).join(' · ') || <span className="muted">no cross-validated fit</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
