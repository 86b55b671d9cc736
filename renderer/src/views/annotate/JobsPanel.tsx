// The study's jobs, newest first: progress with ETA, spend against the cap, what was sent and reused, why a job
// stopped, and the actions that apply to its state.
import { useShallow } from 'zustand/react/shallow';
import { useState } from 'react';
import { useStudio } from '../../store';
import { jobRunning } from '../../store/annotateSlice';
import type { AnnotationJob } from '../../../../preload/contract';
import { formatCount } from '../../lib/format';
import { formatEta } from '../dissect/FitPanel';
import { money } from './NewJobPanel';

const KIND_LABEL: Record<AnnotationJob['kind'], string> = { annotate: 'Annotate', judge: 'Judge labels', reasons: 'Reasons', scenario: 'Scenarios and safety' };

export function JobsPanel() {
  const s = useStudio(useShallow((st) => ({
    jobs: st.annotationJobs, selected: st.selectedJobId, select: st.selectJob, pause: st.pauseJob, resume: st.resumeJob,
    cancel: st.cancelJob, retry: st.retryJob, busy: st.annotateBusy,
  })));
  return (
    <section className="panel jobs-panel" aria-labelledby="jobs-title">
      <div className="panel-head"><h2 id="jobs-title">Jobs</h2><span className="muted small">click a job for its failures and results</span></div>
      {s.jobs.length === 0 ? <p className="empty">No annotation job in this study yet.</p> : (
        <ul className="annotation-jobs">
          {s.jobs.map((j) => (
            <JobRow key={j.id} job={j} selected={j.id === s.selected} onSelect={() => s.select(j.id)} busy={s.busy}
              onPause={() => void s.pause(j.id)} onResume={(cap, current) => void s.resume(j.id, cap, current)} onCancel={() => void s.cancel(j.id)}
              onRetry={() => void s.retry(j.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function JobRow({ job: j, selected, onSelect, busy, onPause, onResume, onCancel, onRetry }: {
  job: AnnotationJob; selected: boolean; busy: boolean; onSelect(): void; onPause(): void; onResume(cap?: number | null, useCurrentEndpoint?: boolean): void;
  onCancel(): void; onRetry(): void;
}) {
  const [cap, setCap] = useState('');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const finished = j.done + j.failed;
  const atCap = j.status === 'paused' && j.costCap !== null && /cost cap/.test(j.message ?? '');
  return (
    <li className={`annotation-job ${selected ? 'selected' : ''}`} data-testid="annotation-job" data-job-id={j.id} data-status={j.status}
      aria-current={selected ? 'true' : undefined} onClick={onSelect}>
      <div className="job-line">
        <span className="job-title">#{j.id} {KIND_LABEL[j.kind]}{j.judge ? ` · ${j.judge}` : ''}</span>
        <span className="muted small">{j.model}{j.mode === 'batch' ? ' · Batch API' : ''}{j.baseUrl ? ` · ${j.baseUrl}` : ''}</span>
        <span className={`job-status status-${j.status}`} data-testid="job-status">{j.status}</span>
      </div>
      <div className="job-line">
        <progress max={Math.max(1, j.total)} value={finished} aria-label={`Job ${j.id} progress`} />
        <span className="num" data-testid="job-progress">{formatCount(finished)} / {formatCount(j.total)}</span>
        {j.failed > 0 && <span className="job-failed" data-testid="job-failed">{formatCount(j.failed)} failed</span>}
        {jobRunning(j) && <span className="muted small">{j.mode === 'batch' ? 'waiting for the Batch API' : formatEta(j.etaSeconds)}</span>}
        {jobRunning(j) && j.rateLimitWaitSeconds !== null && (
          <span className="job-rate-wait small" data-testid="job-rate-wait" role="status">waiting for the rate limit ({j.rateLimitWaitSeconds} s)</span>
        )}
        <span className="small" data-testid="job-spent">{money(j.spent)}{j.costCap !== null ? ` of ${money(j.costCap)}` : ''}</span>
        <span className="muted small">{formatCount(j.requests)} sent · {formatCount(j.cacheHits)} from cache · {formatCount(j.retries)} retries</span>
      </div>
      {j.message && <p className="job-message" data-testid="job-message">{j.message}</p>}
      {!jobRunning(j) && j.estimateTokens && j.requests > 0 && (
        <p className="muted small job-bill" data-testid="job-estimate-vs-cost">
          Estimated {money(j.estimate)} for {formatCount(j.estimateTokens.input)} tokens in and {formatCount(j.estimateTokens.output)} out
          ({j.estimateTokens.counting.replace(/\.$/, '')}); cost {money(j.spent)} for {formatCount(j.usedTokens.input)} in
          and {formatCount(j.usedTokens.output)} out, as the endpoint reported.
        </p>
      )}
      {j.endpointNow !== null && (
        <p className="job-message" data-testid="job-endpoint-moved">
          This job sends its requests to <span className="mono">{j.baseUrl || 'api.openai.com'}</span>, where it was started; the endpoint is
          now <span className="mono">{j.endpointNow}</span>. A plain resume keeps the job's address.
        </p>
      )}
      <div className="job-actions" onClick={(e) => e.stopPropagation()}>
        {jobRunning(j) && <button type="button" className="button small" data-testid="job-pause" disabled={busy} onClick={onPause}>Pause <kbd>p</kbd></button>}
        {(j.status === 'paused' || j.status === 'failed') && (
          <>
            {atCap && (
              <input className="short" aria-label="New cost cap in US dollars" data-testid="job-new-cap" placeholder="new cap" inputMode="decimal"
                value={cap} onChange={(e) => setCap(e.target.value)} />
            )}
            <button type="button" className="button small primary" data-testid="job-resume" disabled={busy}
              onClick={() => onResume(atCap ? (cap.trim() ? Number(cap) : null) : undefined)}>
              {atCap ? (cap.trim() ? 'Resume with this cap' : 'Resume without a cap') : 'Resume'}{j.endpointNow !== null ? ' at its own address' : ''} <kbd>p</kbd>
            </button>
            {j.endpointNow !== null && (
              <button type="button" className="button small primary" data-testid="job-resume-current" disabled={busy}
                onClick={() => onResume(atCap ? (cap.trim() ? Number(cap) : null) : undefined, true)}>
                Resume with the current endpoint
              </button>
            )}
          </>
        )}
        {j.failed > 0 && j.status !== 'cancelled' && (
          <button type="button" className="button small" data-testid="job-retry" disabled={busy} onClick={onRetry}>Retry the {formatCount(j.failed)} failed <kbd>r</kbd></button>
        )}
        {j.status !== 'done' && j.status !== 'cancelled' && (confirmCancel ? (
          <span className="confirm">
            Cancel job {j.id} for good?
            <button type="button" className="button small danger" data-testid="job-cancel-confirm" onClick={() => { setConfirmCancel(false); onCancel(); }}>Cancel it</button>
            <button type="button" className="button small subtle" onClick={() => setConfirmCancel(false)}>Keep it</button>
          </span>
        ) : (
          <button type="button" className="button small subtle" data-testid="job-cancel" disabled={busy} onClick={() => setConfirmCancel(true)}>Cancel… <kbd>x x</kbd></button>
        ))}
      </div>
    </li>
  );
}
