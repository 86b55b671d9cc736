// The chosen job: its failed pairs with the reasons (each retryable), an LLM judge's positional bias, or the
// reasons' categories as candidate properties with their share of pairs.
import { useShallow } from 'zustand/react/shallow';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../../store';
import { call } from '../../api';
import { TableExport } from '../../components/TableExport';
import { ChartFrame } from '../../components/ChartFrame';
import { formatCount } from '../../lib/format';
import type { AnnotationTable, TableFormat } from '../../../../preload/contract';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

export function JobDetail() {
  const s = useStudio(useShallow((st) => ({
    job: st.annotationJobs.find((j) => j.id === st.selectedJobId) ?? null, failed: st.failedItems, judge: st.judgeReport,
    reasons: st.reasonsReport, retry: st.retryJob, busy: st.annotateBusy,
  })));
  const job = s.job;
  if (!job) return null;
  const file = (table: AnnotationTable) => (format: TableFormat) => call('annotate.table', { jobId: job.id, table, format });
  const failed = s.failed?.jobId === job.id ? s.failed : null;
  const judge = s.judge?.jobId === job.id ? s.judge.report : null;
  const reasons = s.reasons?.jobId === job.id ? s.reasons.report : null;

  return (
    <section className="panel job-detail" aria-labelledby="job-detail-title" data-testid="job-detail">
      <div className="panel-head">
        <h2 id="job-detail-title">Job {job.id}</h2>
        <span className="muted small">prompts {job.promptVersion} · created {job.createdAt.slice(0, 16).replace('T', ' ')}</span>
      </div>
      <div className="table-head">
        <h3>Failed pairs {failed ? `(${formatCount(failed.total)})` : ''}</h3>
        {failed && failed.total > 0 && (
          <>
            <button type="button" className="button small" data-testid="retry-all-failed" disabled={s.busy} onClick={() => void s.retry(job.id)}>Retry all <kbd>r</kbd></button>
            <TableExport testId="export-failures" file={file('failures')} />
          </>
        )}
      </div>
      {!failed || failed.total === 0 ? <p className="muted small">None{job.status === 'running' ? ' so far' : ''}.</p> : (
        <table className="data-table failed-items">
          <thead><tr><th>Pair</th><th>Query</th><th>Why it failed</th><th className="num">Tries</th><th /></tr></thead>
          <tbody>
            {failed.rows.map((r) => (
              <tr key={r.pairId} data-testid="failed-item" data-pair-id={r.pairId}>
                <th className="mono">{r.externalId}</th>
                <td className="query-cell">{r.queryPreview}</td>
                <td className="reason-cell" data-testid="failed-reason">{r.error}</td>
                <td className="num">{r.attempts}</td>
                <td><button type="button" className="button small" data-testid="retry-item" disabled={s.busy} onClick={() => void s.retry(job.id, [r.pairId])}>Retry</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {judge && (
        <div className="judge-report" data-testid="judge-report">
          <div className="table-head"><h3>Positional bias of {judge.judge}</h3><TableExport testId="export-judge" file={file('judge')} /></div>
          <dl className="report-grid">
            <div><dt>Pairs in both orders</dt><dd>{formatCount(judge.pairs)}</dd></div>
            <div><dt>Positional bias</dt><dd data-testid="judge-bias">{judge.positionalBias >= 0 ? '+' : ''}{judge.positionalBias.toFixed(3)} <span className="muted small">({judge.positionalBias > 0 ? 'favours the first shown' : judge.positionalBias < 0 ? 'favours the second shown' : 'none'})</span></dd></div>
            <div><dt>First shown preferred</dt><dd>{percent(judge.firstShownPreferred)}</dd></div>
            <div><dt>Verdict flips with the order</dt><dd>{percent(judge.flipped)}</dd></div>
            <div><dt>Agrees with human</dt><dd>{judge.agreementWithHuman === null ? '—' : `${percent(judge.agreementWithHuman)} of ${formatCount(judge.humanPairs)}`}</dd></div>
          </dl>
        </div>
      )}
      {reasons && (
        <div className="reasons-report" data-testid="reasons-report">
          <div className="table-head"><h3>Candidate properties from the reasons for {reasons.judge}'s votes</h3><TableExport testId="export-reasons" file={file('reasons')} /></div>
          {reasons.categories.length === 0 ? <p className="muted small">No category yet{job.status === 'running' ? ': the reasons are normalised when every pair is explained' : ''}.</p> : (
            <>
              <ChartFrame title="Share of pairs per category" nameParts={['reasons', `job ${job.id}`, reasons.judge]} height={Math.max(160, 26 * Math.min(reasons.categories.length, 20) + 40)} testId="reasons-chart">
                <BarChart data={reasons.categories.slice(0, 20)} layout="vertical" margin={{ left: 20, right: 20 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
                  <YAxis type="category" dataKey="category" width={170} />
                  <Tooltip formatter={(v) => percent(Number(v))} />
                  <Bar dataKey="share" fill="#3b6fb6" isAnimationActive={false} />
                </BarChart>
              </ChartFrame>
              <table className="data-table">
                <thead><tr><th>Candidate property</th><th className="num">Pairs</th><th className="num">Share</th><th>Reasons it gathers</th></tr></thead>
                <tbody>
                  {reasons.categories.map((c) => (
                    <tr key={c.category} data-testid="reason-category">
                      <th>{c.category}</th><td className="num">{formatCount(c.pairs)}</td><td className="num">{percent(c.share)}</td><td>{c.reasons.join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {reasons.unresolved.length > 0 && (
            <p className="muted small">Not normalised (a combination of several): {reasons.unresolved.map((u) => `${u.reason} (${u.error})`).join('; ')}</p>
          )}
        </div>
      )}
    </section>
  );
}
