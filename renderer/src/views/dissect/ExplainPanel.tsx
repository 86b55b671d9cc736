// Explain: for one pair, each property's contribution alpha_i * phi_i to the judge's logit as a waterfall, the
// predicted probability and the judge's actual label; and the source models' Bradley-Terry ratings (pElo) overall
// and on the pairs where a chosen property differs.
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { JudgeRef, PairRow } from '../../../../preload/contract';
import { call } from '../../api';
import { useStudio } from '../../store';
import { isEditable } from '../../lib/keys';
import { ChartFrame } from '../../components/ChartFrame';
import { TableExport } from '../../components/TableExport';
import { Busy } from '../../components/Busy';
import { groupLabel, isQuerySpecific } from '../../../../preload/contract';
import { centredTicks } from '../../lib/ticks';
import { IntervalBars, intervalChartHeight, SERIES_COLORS } from './IntervalBars';

/** Pairs fetched at a time: the picker grows by a page when asked or when n steps past its last pair. */
const PAIRS_PAGE = 50;
const refValue = (r: JudgeRef) => `${r.source}:${r.name}`;
const refOf = (value: string): JudgeRef => {
  const at = value.indexOf(':');
  return { source: value.slice(0, at) as JudgeRef['source'], name: value.slice(at + 1) };
};

/** Each step starts where the previous one ended: bars as [low, high] ranges. */
function waterfallSteps(steps: { name: string; phi: number; contribution: number }[]) {
  const out: { name: string; range: number[]; contribution: number }[] = [];
  let end = 0;
  for (const c of steps) {
    const start = end;
    end += c.contribution;
    out.push({ name: `${c.name} (${c.phi > 0 ? '+1' : '−1'})`, range: [Math.min(start, end), Math.max(start, end)], contribution: c.contribution });
  }
  return out;
}

export function ExplainPanel() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, judges: st.studyJudges, paperJudges: st.dissectPaperJudges, group: st.dissectGroup,
    paper: st.paper, explanation: st.explanation, explainNote: st.explainNote, explainLoading: st.explainLoading, explainPair: st.explainPair,
    reportError: st.reportError, chosen: st.dissectJudges, fits: st.fits,
  })));
  const scenarios = (s.paper?.groups ?? []).filter((g) => !isQuerySpecific(g));
  const [scenario, setScenario] = useState<string | null>(null);
  const shownScenario = scenario ?? (scenarios.includes(s.group) ? s.group : scenarios[0] ?? '');
  const [judge, setJudge] = useState<string | null>(null);
  const shownJudge = judge ?? (s.chosen[0] ? `study:${s.chosen[0]}` : '');
  const [search, setSearch] = useState('');
  const [pairs, setPairs] = useState<PairRow[]>([]);
  const [total, setTotal] = useState(0);
  const [index, setIndex] = useState(0);
  // Answers to an older scenario or search are dropped: each (re)start of the list bumps the generation.
  const generation = useRef(0);
  const loadingMore = useRef(false);

  const { studyId, reportError } = s;
  const query = search.trim() || undefined;
  // The pairs the judge's model of this group was fitted on: the group as the fit counts it (a scenario without
  // its unsafe pairs) and, for a study judge, the pairs it labelled. The count then matches the fit's.
  const shownRef = shownJudge ? refOf(shownJudge) : null;
  const labelledBy = shownRef?.source === 'study' ? shownRef.name : undefined;
  useEffect(() => {
    if (studyId === null || !shownScenario) return;
    const mine = ++generation.current;
    loadingMore.current = false;
    call('pairs.query', { studyId, group: shownScenario, judge: labelledBy, annotated: true, search: query, offset: 0, limit: PAIRS_PAGE })
      .then((page) => {
        if (mine !== generation.current) return;
        setPairs(page.rows);
        setTotal(page.total);
        setIndex(0);
      })
      .catch((err: unknown) => reportError('explain', err));
  }, [studyId, shownScenario, labelledBy, query, reportError]);

  /** Appends the next page; with `andMove`, steps onto its first pair. */
  const loadMore = async (andMove: boolean) => {
    if (studyId === null || loadingMore.current || pairs.length >= total) return;
    const mine = generation.current;
    const shown = pairs.length;
    loadingMore.current = true;
    try {
      const page = await call('pairs.query', { studyId, group: shownScenario, judge: labelledBy, annotated: true, search: query, offset: shown, limit: PAIRS_PAGE });
      if (mine !== generation.current) return;
      setPairs((before) => [...before, ...page.rows]);
      setTotal(page.total);
      if (andMove && page.rows.length > 0) setIndex(shown);
    } catch (err) {
      reportError('explain', err);
    } finally {
      if (mine === generation.current) loadingMore.current = false;
    }
  };

  const pair = pairs[index];
  const { explainPair: explain, fits } = s;
  // Explained again when the stored fits change (a fit finished).
  useEffect(() => {
    if (pair && shownJudge) void explain(pair.id, pair.externalId, refOf(shownJudge));
  }, [pair, shownJudge, explain, fits]);

  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
    if (e.key !== 'n' && e.key !== 'p') return;
    e.preventDefault();
    if (e.key === 'n' && index === pairs.length - 1) void loadMore(true);
    else setIndex((i) => Math.max(0, Math.min(pairs.length - 1, i + (e.key === 'n' ? 1 : -1))));
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const e = s.explanation;
  const steps = e ? e.contributions.filter((c) => c.phi !== 0) : [];
  const waterfall = waterfallSteps(steps);
  if (e) waterfall.push({ name: 'logit Σ αφ', range: [Math.min(0, e.logit), Math.max(0, e.logit)], contribution: e.logit });
  const judgeOptions: JudgeRef[] = [
    ...s.judges.map((j) => ({ source: 'study' as const, name: j.name })),
    ...s.paperJudges.map((name) => ({ source: 'paper' as const, name })),
  ];

  return (
    <section className="panel" aria-labelledby="explain-title" data-testid="explain">
      <div className="panel-head">
        <h2 id="explain-title">Explain a pair</h2>
        <span className="keys-hint"><kbd>n</kbd> next pair · <kbd>p</kbd> previous pair</span>
      </div>
      <div className="explain-controls">
        <label className="inline-field">Judge{' '}
          <select data-testid="explain-judge" value={shownJudge} onChange={(ev) => setJudge(ev.target.value)}>
            {judgeOptions.map((r) => <option key={refValue(r)} value={refValue(r)}>{r.source === 'paper' ? `${r.name} (paper)` : r.name}</option>)}
          </select>
        </label>
        <label className="inline-field">Scenario{' '}
          <select data-testid="explain-scenario" value={shownScenario} onChange={(ev) => setScenario(ev.target.value)}>
            {scenarios.map((g) => <option key={g} value={g}>{g}</option>)}
          </select>
        </label>
        <label className="inline-field">Search{' '}
          <input type="search" value={search} onChange={(ev) => setSearch(ev.target.value)} placeholder="words in the query or responses" />
        </label>
        <label className="inline-field">Pair{' '}
          <select data-testid="explain-pair" value={pair?.id ?? ''} onChange={(ev) => setIndex(pairs.findIndex((p) => p.id === Number(ev.target.value)))}>
            {pairs.map((p) => <option key={p.id} value={p.id}>{p.externalId}: {p.queryPreview.slice(0, 60)}</option>)}
          </select>
        </label>
        {pairs.length > 0 && <span className="muted small" data-testid="explain-position">{index + 1} of {total}{labelledBy ? ` pairs ${labelledBy} labelled` : ''}</span>}
        {pairs.length < total && (
          <button type="button" className="button small" data-testid="explain-more" onClick={() => void loadMore(false)}>
            {Math.min(PAIRS_PAGE, total - pairs.length)} more pairs
          </button>
        )}
        {s.explainLoading && <Busy text="Explaining…" />}
      </div>
      {pair && <p className="query-line" data-testid="explain-query">{pair.queryPreview}</p>}
      {e && pair && e.pairId === pair.id && (
        <>
          <p className="verdict" data-testid="explain-verdict">
            {e.label}'s model of {groupLabel(e.group)}: P(A preferred) = <strong data-testid="explain-probability">{e.probabilityA.toFixed(3)}</strong>, so it predicts{' '}
            <strong>{e.predicted}</strong> ({pair.modelA} vs {pair.modelB}).{' '}
            {e.actual === null ? <span className="muted">{e.judge.name} did not label this pair.</span>
              : <span className={e.actual === e.predicted ? 'agree' : 'disagree'}>{e.judge.name} labelled {e.actual}{e.actual === e.predicted ? ' ✓' : ' ✗'}</span>}
          </p>
          <ChartFrame title={`Contributions α·φ to ${e.label}'s logit on pair ${pair.externalId}`} nameParts={['contributions', pair.externalId, e.label]}
            height={Math.max(200, waterfall.length * 26 + 60)} testId="waterfall-chart"
            note={<>Bars to the right push towards A, to the left towards B; each starts where the previous ended. Properties equal on both sides (φ = 0) add nothing and are left out.</>}>
            <BarChart layout="vertical" data={waterfall} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
              <CartesianGrid horizontal={false} strokeDasharray="2 3" />
              <XAxis type="number" fontSize={11} tickFormatter={(v: number) => v.toFixed(2)} />
              <YAxis type="category" dataKey="name" width={200} interval={0} fontSize={11} />
              <ReferenceLine x={0} stroke="#1e2731" />
              <Tooltip formatter={(_v, _n, item) => [(item.payload as { contribution: number }).contribution.toFixed(3), 'α·φ']} />
              <Bar dataKey="range" isAnimationActive={false}>
                {waterfall.map((w, i) => <Cell key={w.name} className={i === waterfall.length - 1 ? 'chart-ink-fill' : undefined} fill={i === waterfall.length - 1 ? '#1e2731' : w.contribution >= 0 ? '#17738c' : '#8147b5'} />)}
              </Bar>
            </BarChart>
          </ChartFrame>
          <div className="table-head">
            <span />
            <TableExport testId="contributions-export" spec={{ table: 'contributions', pairId: e.pairId, judge: e.judge }} />
          </div>
        </>
      )}
      {s.explainNote && <p className="empty" data-testid="explain-note">{s.explainNote}</p>}
      {pairs.length === 0 && <p className="empty">No annotated pair in {shownScenario}{search ? ' matches the search' : ''}.</p>}
    </section>
  );
}

export function PeloPanel() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, judges: st.studyJudges, paper: st.paper, pelo: st.pelo,
    loading: st.peloLoading, load: st.loadPelo, studyName: st.studies.find((x) => x.id === st.selectedStudyId)?.name ?? '',
  })));
  const [judge, setJudge] = useState<string | null>(null);
  const shownJudge = judge ?? s.judges[0]?.name ?? '';
  const [property, setProperty] = useState('lengthy');
  const [bootstrap, setBootstrap] = useState('200');
  const run = () => void s.load(shownJudge, property, Number(bootstrap));
  const r = s.pelo;
  const overall = r ? Object.fromEntries(r.overall.ratings.map((m) => [m.model, { value: m.rating, low: m.q5, high: m.q95 }])) : {};
  const subset = r?.property ? Object.fromEntries(r.property.ratings.map((m) => [m.model, { value: m.rating, low: m.q5, high: m.q95 }])) : null;
  const models = r ? r.overall.ratings.map((m) => m.model) : [];
  const all = r ? [...r.overall.ratings, ...(r.property?.ratings ?? [])].flatMap((m) => [m.q5, m.q95]) : [];
  const axis = centredTicks(1000, Math.max(100, ...all.map((v) => Math.abs(v - 1000))));

  return (
    <section className="panel" aria-labelledby="pelo-title" data-testid="pelo">
      <div className="panel-head">
        <h2 id="pelo-title">Source models by preference (pElo)</h2>
      </div>
      <p className="muted small">Bradley-Terry ratings on the Elo scale of model_a and model_b from one judge's labels, with 90% bootstrap intervals: on all its pairs, and on the annotated pairs where the chosen property differs between the two responses.</p>
      <div className="explain-controls">
        <label className="inline-field">Judge{' '}
          <select data-testid="pelo-judge" value={shownJudge} onChange={(e) => setJudge(e.target.value)}>
            {s.judges.map((j) => <option key={j.name} value={j.name}>{j.name}</option>)}
          </select>
        </label>
        <label className="inline-field">Where this property differs{' '}
          <select data-testid="pelo-property" value={property} onChange={(e) => setProperty(e.target.value)}>
            <option value="">(none: overall only)</option>
            {(s.paper?.properties ?? []).map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="inline-field">Bootstrap resamples{' '}
          <input className="short" value={bootstrap} inputMode="numeric" onChange={(e) => setBootstrap(e.target.value)} />
        </label>
        <button type="button" className="button primary" data-testid="pelo-run" onClick={run} disabled={!shownJudge || s.loading}>Rate the models</button>
        {s.loading && <Busy text="Fitting Bradley-Terry…" />}
      </div>
      {r && (
        <>
          <ChartFrame title={`Ratings by ${r.judge}'s labels (${r.overall.pairs} pairs${r.property ? `; ${r.property.pairs} where ${r.property.name} differs` : ''})`}
            nameParts={['pelo', s.studyName, r.judge, r.property?.name ?? '']} height={intervalChartHeight(models.length, subset ? 2 : 1)} testId="pelo-chart">
            <IntervalBars rows={models} baseline={1000} domain={axis.domain} ticks={axis.ticks} format={(v) => String(Math.round(v))}
              series={[
                { label: 'all pairs', color: SERIES_COLORS[0], points: overall },
                ...(subset && r.property ? [{ label: `${r.property.name} differs`, color: SERIES_COLORS[1], points: subset }] : []),
              ]} />
          </ChartFrame>
          <div className="table-head">
            <span />
            <TableExport testId="pelo-export" spec={s.studyId === null ? null : { table: 'pelo', studyId: s.studyId, judge: r.judge, property: r.property?.name, bootstrap: r.bootstrap }} />
          </div>
          <div className="table-scroll">
            <table className="data-table" data-testid="pelo-table">
              <thead>
                <tr><th scope="col">Model</th><th scope="col" className="num">Rating</th><th scope="col" className="num">90% interval</th><th scope="col" className="num">Games</th><th scope="col" className="num">Wins</th>
                  {r.property && <><th scope="col" className="num">Rating where {r.property.name} differs</th><th scope="col" className="num">Games</th></>}</tr>
              </thead>
              <tbody>
                {r.overall.ratings.map((m) => {
                  const p = r.property?.ratings.find((x) => x.model === m.model);
                  return (
                    <tr key={m.model}>
                      <th scope="row">{m.model}</th>
                      <td className="num" data-testid="pelo-rating" data-model={m.model}>{Math.round(m.rating)}</td>
                      <td className="num">[{Math.round(m.q5)}, {Math.round(m.q95)}]</td>
                      <td className="num">{m.games}</td><td className="num">{m.wins}</td>
                      {r.property && <><td className="num">{p ? `${Math.round(p.rating)} [${Math.round(p.q5)}, ${Math.round(p.q95)}]` : '—'}</td><td className="num">{p?.games ?? 0}</td></>}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
