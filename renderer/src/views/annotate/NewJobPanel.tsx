// The next job: what (the paper's annotation, an LLM judge's labels, or reasons), on which pairs, directly or
// through the Batch API, with a hard cost cap; the estimate is shown before anything starts.
import { useShallow } from 'zustand/react/shallow';
import { selectCurrentStudy, useStudio } from '../../store';
import { jobRequest } from '../../store/annotateSlice';
import type { AnnotationJobKind } from '../../../../preload/contract';
import { formatCount, plural } from '../../lib/format';
import { Busy } from '../../components/Busy';

const KINDS: { kind: AnnotationJobKind; label: string; hint: string }[] = [
  { kind: 'annotate', label: 'Annotate properties', hint: 'Figures 6-13: basic, query-specific (two rounds) and error detection with a reference answer' },
  { kind: 'judge', label: 'Judge labels', hint: 'Section 3.3: both orders, log-probabilities of A and B averaged; needs logprobs' },
  { kind: 'scenario', label: 'Scenarios and safety', hint: "Each query's scenario (Auto-J's 58 of Table 8) and whether it is unsafe (moderation API, or the prompt where the endpoint has none)" },
  { kind: 'reasons', label: 'Reasons', hint: 'Why the preferred response won, normalised into candidate properties' },
];

export const money = (x: number | null) => (x === null ? '—' : `$${x < 0.01 && x > 0 ? x.toFixed(4) : x.toFixed(2)}`);

export function NewJobPanel() {
  const s = useStudio(useShallow((st) => ({
    study: selectCurrentStudy(st), draft: st.jobDraft, setDraft: st.setJobDraft, estimate: st.estimate, estimateKey: st.estimateKey,
    estimating: st.estimating, start: st.startJob, busy: st.annotateBusy, studyId: st.selectedStudyId,
  })));
  const d = s.draft;
  const current = s.studyId !== null && s.estimateKey === JSON.stringify(jobRequest(s.studyId, d));
  const e = current ? s.estimate : null;

  return (
    <section className="panel new-job-panel" aria-labelledby="new-job-title">
      <div className="panel-head">
        <h2 id="new-job-title">New job</h2>
        <span className="muted small">{s.study ? `on ${s.study.name}` : 'choose a study'}</span>
      </div>
      <fieldset className="kind-choice">
        <legend className="sr-only">What to collect</legend>
        {KINDS.map((k) => (
          <label key={k.kind} className={`kind-option ${d.kind === k.kind ? 'chosen' : ''}`} title={k.hint}>
            <input type="radio" name="annotation-kind" data-testid={`annotate-kind-${k.kind}`} checked={d.kind === k.kind}
              onChange={() => s.setDraft({ kind: k.kind })} />
            <span>{k.label}</span>
            <span className="muted small">{k.hint}</span>
          </label>
        ))}
      </fieldset>
      <div className="job-fields">
        <label className="setting">
          <span>Pairs</span>
          <select data-testid="annotate-scope" value={d.scope} onChange={(ev) => s.setDraft({ scope: ev.target.value as 'missing' | 'all' })}>
            <option value="missing">{d.kind === 'annotate' ? 'not annotated yet' : d.kind === 'judge' ? 'without this judge\'s label' : d.kind === 'scenario' ? 'without a scenario' : 'not explained yet'}</option>
            <option value="all">all pairs (again)</option>
          </select>
        </label>
        <label className="setting">
          <span>At most</span>
          <input data-testid="annotate-limit" inputMode="numeric" placeholder="all" value={d.limit} onChange={(ev) => s.setDraft({ limit: ev.target.value })} />
        </label>
        <label className="setting">
          <span>Mode</span>
          <select data-testid="annotate-mode" value={d.mode} onChange={(ev) => s.setDraft({ mode: ev.target.value as 'direct' | 'batch' })}>
            <option value="direct">direct requests</option>
            <option value="batch">Batch API (half price, hours)</option>
          </select>
        </label>
        <label className="setting">
          <span>Cost cap (US$)</span>
          <input data-testid="annotate-cost-cap" inputMode="decimal" placeholder="none" value={d.costCap} onChange={(ev) => s.setDraft({ costCap: ev.target.value })} />
        </label>
        {(d.kind === 'judge' || d.kind === 'reasons') && (
          <label className="setting">
            <span>{d.kind === 'judge' ? 'Store labels as judge' : 'Explain the votes of'}</span>
            <input data-testid="annotate-judge" placeholder={d.kind === 'judge' ? 'the model\'s name' : 'human'} value={d.judge}
              onChange={(ev) => s.setDraft({ judge: ev.target.value })} />
          </label>
        )}
      </div>
      <div className="estimate" data-testid="annotate-estimate" aria-live="polite">
        {e && e.pairs === 0 ? (
          <p data-testid="annotate-nothing">Every pair of this study is done for this kind of job; choose <em>all pairs</em> to do them again.</p>
        ) : e ? (
          <>
            <p>
              <strong>{plural(e.pairs, 'pair')}</strong>, about {plural(e.calls, 'call')}
              {e.cachedCalls > 0 && <> ({formatCount(e.cachedCalls)} already answered, free)</>}, ~{formatCount(e.inputTokens)} tokens in and{' '}
              {formatCount(e.outputTokens)} out: <strong data-testid="annotate-estimate-cost">{money(e.cost)}</strong>
              {e.worstCaseCost !== null && <span className="muted"> (at most {money(e.worstCaseCost)} if every answer ran to its limit)</span>}
            </p>
            <p className="muted small" data-testid="annotate-token-counting">{e.tokenCounting}</p>
            {e.note && <p className="muted small">{e.note}</p>}
          </>
        ) : s.estimating ? <Busy text="Estimating…" /> : <p className="muted">The estimate appears here before anything is sent.</p>}
      </div>
      <button type="button" className="button primary" data-testid="annotate-start" disabled={s.busy || !e || e.pairs === 0}
        onClick={() => void s.start()}>
        Start job <kbd>n</kbd>
      </button>
    </section>
  );
}
