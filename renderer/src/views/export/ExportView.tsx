// The Export view: every table the insight views show, in every format, with the choices made there; where each
// chart is exported; and the manipulation kit of section 4.3 (system messages, a DPO dataset relabelled by a
// judge's fitted models).
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DpoExport, InsightTable, JudgeRef, SystemMessage } from '../../../../preload/contract';
import { call } from '../../api';
import { useStudio } from '../../store';
import { compareJudges } from '../../store/compareSlice';
import { download } from '../../lib/chart-export';
import { TableExport } from '../../components/TableExport';
import { Busy } from '../../components/Busy';
import { groupLabel } from '../../../../preload/contract';
import '../dissect/insight.css';

const refOf = (value: string): JudgeRef => {
  const at = value.indexOf(':');
  return { source: value.slice(0, at) as JudgeRef['source'], name: value.slice(at + 1) };
};
const DPO_PREVIEW_LINES = 3;

function JudgeSelect({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId: string }) {
  const { studyJudges, paper } = useStudio(useShallow((s) => ({ studyJudges: s.studyJudges, paper: s.paper })));
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      <optgroup label="This study's fits">
        {studyJudges.map((j) => <option key={j.name} value={`study:${j.name}`}>{j.name}</option>)}
      </optgroup>
      <optgroup label="The paper's published weights">
        {Object.keys(paper?.judgeSizes ?? {}).map((n) => <option key={n} value={`paper:${n}`}>{n} (paper)</option>)}
      </optgroup>
    </select>
  );
}

function SystemMessages() {
  const { studyId, paper, reportError, studyJudges } = useStudio(useShallow((s) => ({
    studyId: s.selectedStudyId, paper: s.paper, reportError: s.reportError, studyJudges: s.studyJudges,
  })));
  const [judge, setJudge] = useState<string | null>(null);
  const shownJudge = judge ?? (studyJudges[0] ? `study:${studyJudges[0].name}` : 'paper:gpt-4-1106-preview');
  const [group, setGroup] = useState('Communication');
  const [which, setWhich] = useState<'top' | 'last'>('top');
  const [message, setMessage] = useState<SystemMessage | null>(null);
  const generate = async () => {
    if (studyId === null) return;
    try {
      setMessage(await call('insight.systemMessage', { studyId, judge: refOf(shownJudge), group, which }));
    } catch (err) {
      setMessage(null);
      reportError('export', err);
    }
  };
  const save = async () => {
    if (!message) return;
    const { fileName } = await call('insight.fileName', { parts: ['system message', message.judge.name, message.group, message.which], extension: 'txt' });
    // The file is read away from the app: a message from a flagged fit says so on its first line.
    download(fileName, message.flag ? `# Caution: from a flagged fit (${message.flag}); the top and last three may not be reliable.\n\n${message.text}` : message.text);
  };
  return (
    <section className="panel" aria-labelledby="system-title" data-testid="system-messages">
      <div className="panel-head"><h2 id="system-title">System messages (training-free)</h2></div>
      <p className="muted small">Section 4.3.2: ask a model to satisfy a judge's three most preferred properties of a scenario (to raise its score with that judge), or its three least preferred (to lower it).</p>
      <div className="explain-controls">
        <label className="inline-field">Judge <JudgeSelect testId="system-judge" value={shownJudge} onChange={setJudge} /></label>
        <label className="inline-field">Group{' '}
          <select value={group} onChange={(e) => setGroup(e.target.value)}>{(paper?.groups ?? []).map((g) => <option key={g} value={g}>{groupLabel(g)}</option>)}</select>
        </label>
        <fieldset className="radio-row">
          <legend className="sr-only">Which properties</legend>
          <label><input type="radio" checked={which === 'top'} onChange={() => setWhich('top')} /> Top three</label>
          <label><input type="radio" checked={which === 'last'} onChange={() => setWhich('last')} /> Last three</label>
        </fieldset>
        <button type="button" className="button primary" data-testid="system-generate" onClick={() => void generate()}>Write the message</button>
      </div>
      {message && (
        <>
          {message.flag && <p className="flag-note" data-testid="system-flag">⚠ From a flagged fit ({message.flag}): the top and last three may not be reliable; a longer fit in Dissect may settle them.</p>}
          <pre className="message-text" data-testid="system-text">{message.text}</pre>
          <div className="checklist-actions">
            <button type="button" className="button small" onClick={() => void navigator.clipboard?.writeText(message.text)}>Copy</button>
            <button type="button" className="button small" onClick={() => void save().catch((err: unknown) => reportError('export', err))}>Download .txt</button>
          </div>
        </>
      )}
    </section>
  );
}

function DpoDataset() {
  const { studyId, reportError, studyJudges } = useStudio(useShallow((s) => ({ studyId: s.selectedStudyId, reportError: s.reportError, studyJudges: s.studyJudges })));
  const [judge, setJudge] = useState<string | null>(null);
  const shownJudge = judge ?? (studyJudges[0] ? `study:${studyJudges[0].name}` : 'paper:gpt-4-1106-preview');
  const [direction, setDirection] = useState<'towards' | 'against'>('towards');
  const [margin, setMargin] = useState('15');
  const [includeSimulated, setIncludeSimulated] = useState(false);
  const [result, setResult] = useState<DpoExport | null>(null);
  const [busy, setBusy] = useState(false);
  const build = async () => {
    if (studyId === null) return;
    setBusy(true);
    try {
      const m = Number(margin);
      if (margin.trim() === '' || !Number.isFinite(m)) throw new Error(`The margin must be a number of percentage points, not "${margin}".`);
      setResult(await call('insight.dpo', { studyId, judge: refOf(shownJudge), direction, margin: m / 100, includeSimulated }));
    } catch (err) {
      setResult(null);
      reportError('export', err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="dpo-title" data-testid="dpo">
      <div className="panel-head"><h2 id="dpo-title">DPO dataset (training-based)</h2></div>
      <p className="muted small">
        Section 4.3.2: every annotated pair of each scenario is relabelled by the judge's fitted model of that scenario; pairs whose predicted
        probability is within 50 ± margin are left out; the rest are written as TRL-ready JSONL (prompt, chosen, rejected), towards the judge's
        preferences or against them (labels inverted).
      </p>
      <div className="explain-controls">
        <label className="inline-field">Judge <JudgeSelect testId="dpo-judge" value={shownJudge} onChange={setJudge} /></label>
        <fieldset className="radio-row">
          <legend className="sr-only">Direction</legend>
          <label><input type="radio" checked={direction === 'towards'} onChange={() => setDirection('towards')} /> Towards</label>
          <label><input type="radio" checked={direction === 'against'} onChange={() => setDirection('against')} /> Against</label>
        </fieldset>
        <label className="inline-field">Margin ± <input className="short" value={margin} onChange={(e) => setMargin(e.target.value)} inputMode="decimal" /> %</label>
        <label className="inline-field" title="Simulated pairs hold generated placeholder text: useful to try the pipeline, not to train a model">
          <input type="checkbox" data-testid="dpo-include-simulated" checked={includeSimulated} onChange={(e) => setIncludeSimulated(e.target.checked)} /> Include simulated pairs
        </label>
        <button type="button" className="button primary" data-testid="dpo-build" disabled={busy} onClick={() => void build()}>Build the dataset</button>
        {busy && <Busy text="Relabelling…" />}
      </div>
      {result && (
        <div data-testid="dpo-result">
          <p>
            <strong data-testid="dpo-count">{result.count}</strong> pairs kept of {result.considered} annotated ({result.leftOut} left out within 50 ± {Math.round(result.margin * 100)}%),{' '}
            {result.direction} the judge.{' '}
            {result.simulatedLeftOut > 0 && <span data-testid="dpo-simulated">{result.simulatedLeftOut} simulated pairs left out (placeholder text; tick "Include simulated pairs" to keep them).{' '}</span>}
            {result.includeSimulated && <span data-testid="dpo-simulated">Simulated pairs included: their text is generated placeholder text.{' '}</span>}
            <button type="button" className="button small primary" data-testid="dpo-download" disabled={result.count === 0}
              onClick={() => download(result.fileName, result.jsonl, 'application/jsonl;charset=utf-8')}>Download {result.fileName}</button>
          </p>
          {result.groups.some((g) => g.flag) && (
            <p className="flag-note" data-testid="dpo-flag">⚠ Flagged fits (their lines carry <code>fit_flag</code>): {result.groups.filter((g) => g.flag).map((g) => `${groupLabel(g.group)} (${g.flag})`).join('; ')}.</p>
          )}
          <p className="muted small">
            {result.groups.map((g) => `${groupLabel(g.group)}: ${g.kept} of ${g.pairs}`).join(' · ')}
            {result.skipped.length > 0 && <> · left out: {result.skipped.join('; ')}</>}
          </p>
          {result.count > 0 && <pre className="message-text small">{result.jsonl.split('\n').slice(0, DPO_PREVIEW_LINES).join('\n')}</pre>}
        </div>
      )}
    </section>
  );
}

export function ExportView() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, loadDissect: st.loadDissect, loadCompare: st.loadCompare, loadPaper: st.loadPaper,
    group: st.dissectGroup, judges: st.dissectJudges, paperJudges: st.dissectPaperJudges, explanation: st.explanation, explainedPairName: st.explainedPairName, pelo: st.pelo,
    fittedJudges: st.fittedJudges, compareStudyJudges: st.compareStudyJudges, comparePaperJudges: st.comparePaperJudges, paper: st.paper,
    judgeGroups: st.judgeGroupsDraft, style: st.styleDraft,
  })));
  const { loadDissect, loadCompare, loadPaper } = s;
  useEffect(() => {
    void loadPaper();
    if (s.studyId === null) return;
    void loadDissect();
    void loadCompare();
  }, [s.studyId, loadDissect, loadCompare, loadPaper]);

  const studyId = s.studyId;
  const dissectRefs: JudgeRef[] = [...s.judges.map((name) => ({ source: 'study' as const, name })), ...s.paperJudges.map((name) => ({ source: 'paper' as const, name }))];
  const compared = compareJudges(s);
  const judgeList = (refs: JudgeRef[]) => refs.length > 6 ? `${refs.length} judges` : refs.map((r) => (r.source === 'paper' ? `${r.name} (paper)` : r.name)).join(', ') || 'no judge';
  const tables: { name: string; what: string; spec: InsightTable | null; view: string }[] = studyId === null ? [] : [
    { name: 'Effect strengths', what: `${groupLabel(s.group)}; ${judgeList(dissectRefs)}`, spec: { table: 'effect-strengths', studyId, judges: dissectRefs, group: s.group }, view: 'dissect' },
    { name: 'Top and last three per group', what: judgeList(dissectRefs), spec: { table: 'top-last-three', studyId, judges: dissectRefs }, view: 'dissect' },
    { name: 'Held-out accuracy', what: 'every judge of the study, with the paper\'s Table 10', spec: { table: 'accuracy', studyId }, view: 'dissect' },
    { name: 'Contributions to one pair', what: s.explanation ? `pair ${s.explainedPairName}, ${s.explanation.label}` : 'explain a pair in Dissect first', spec: s.explanation ? { table: 'contributions', pairId: s.explanation.pairId, judge: s.explanation.judge } : null, view: 'dissect' },
    { name: 'Source model ratings (pElo)', what: s.pelo ? `${s.pelo.judge}${s.pelo.property ? `, where ${s.pelo.property.name} differs` : ''}` : 'rate the models in Dissect first', spec: s.pelo ? { table: 'pelo', studyId, judge: s.pelo.judge, property: s.pelo.property?.name, bootstrap: s.pelo.bootstrap } : null, view: 'dissect' },
    { name: 'Judge similarity', what: judgeList(compared), spec: { table: 'similarity', studyId, judges: compared }, view: 'compare' },
    { name: 'Intra- and inter-group similarity', what: s.judgeGroups ? `${s.judgeGroups.length} edited groups` : '<14B and >30B', spec: { table: 'intra-inter', studyId, judges: compared, judgeGroups: s.judgeGroups ?? undefined }, view: 'compare' },
    { name: 'Style vs substance', what: s.style ? 'your split' : 'the default split', spec: { table: 'style-substance', studyId, judges: compared, style: s.style ?? undefined }, view: 'compare' },
  ];
  const charts = [
    { name: 'Effect strengths (figure 1)', view: 'dissect' }, { name: 'Contributions waterfall', view: 'dissect' },
    { name: 'Source model ratings (pElo)', view: 'dissect' }, { name: 'Judge similarity heatmap (figure 3)', view: 'compare' },
    { name: 'Style vs substance', view: 'compare' },
  ];

  return (
    <section className="view insight-view" aria-labelledby="export-title" data-testid="view-export">
      <div className="view-head"><h1 id="export-title">Export</h1></div>
      <section className="panel" aria-labelledby="tables-title">
        <div className="panel-head"><h2 id="tables-title">Tables</h2></div>
        <p className="muted small">Each table as the views show it, with the judges and groups chosen there. Files are named by what they hold, the study and the date.</p>
        <table className="data-table export-list" data-testid="export-tables">
          <thead><tr><th scope="col">Table</th><th scope="col">With</th><th scope="col">From</th><th scope="col">Save as</th></tr></thead>
          <tbody>
            {tables.map((t) => (
              <tr key={t.name}>
                <th scope="row">{t.name}</th>
                <td className="small">{t.what}</td>
                <td><a href={`#/${t.view}`}>{t.view === 'dissect' ? 'Dissect' : 'Compare'}</a></td>
                <td><TableExport spec={t.spec} testId={`export-${t.name.toLowerCase().replace(/[^a-z]+/g, '-')}`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="charts-title">
        <div className="panel-head"><h2 id="charts-title">Charts</h2></div>
        <p className="muted small">Every chart has SVG and PNG buttons above it, in its view (a chart is exported as it is drawn there).</p>
        <ul className="chart-list">
          {charts.map((c) => <li key={c.name}>{c.name}: <a href={`#/${c.view}`}>{c.view === 'dissect' ? 'Dissect' : 'Compare'}</a></li>)}
        </ul>
      </section>
      <SystemMessages />
      <DpoDataset />
    </section>
  );
}
