// The Annotate view: where model calls go (endpoint, key, prices), the next job with its cost estimate, and the
// study's jobs with progress, ETA, failures and their reasons, pause, resume, cancel and retry.
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { jobRunning } from '../../store/annotateSlice';
import { isEditable } from '../../lib/keys';
import { EndpointPanel } from './EndpointPanel';
import { NewJobPanel } from './NewJobPanel';
import { JobsPanel } from './JobsPanel';
import { JobDetail } from './JobDetail';
import '../dissect/insight.css';
import './annotate.css';

/** How long an estimate waits for the typing to stop. */
const ESTIMATE_DELAY_MS = 300;

export function AnnotateView() {
  const { studyId, jobDraft, loadAnnotateSettings, loadAnnotationJobs, watchAnnotationJobs, estimateJob } = useStudio(useShallow((s) => ({
    studyId: s.selectedStudyId, jobDraft: s.jobDraft, loadAnnotateSettings: s.loadAnnotateSettings, loadAnnotationJobs: s.loadAnnotationJobs,
    watchAnnotationJobs: s.watchAnnotationJobs, estimateJob: s.estimateJob,
  })));
  // "x" cancels only when pressed twice: cancelling cannot be undone.
  const cancelArmed = useRef<number | null>(null);

  useEffect(() => {
    void loadAnnotateSettings();
  }, [loadAnnotateSettings]);
  useEffect(() => {
    if (studyId !== null) void loadAnnotationJobs();
  }, [studyId, loadAnnotationJobs]);
  useEffect(() => watchAnnotationJobs(), [watchAnnotationJobs]);
  useEffect(() => {
    const timer = setTimeout(() => void estimateJob(), ESTIMATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [studyId, jobDraft, estimateJob]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      const s = useStudio.getState();
      const jobs = s.annotationJobs;
      const at = jobs.findIndex((j) => j.id === s.selectedJobId);
      const job = jobs[at];
      const key = e.key;
      if (key !== 'x') cancelArmed.current = null;
      if (key === 'n') void s.startJob();
      else if (key === 'e') void s.estimateJob();
      else if (key === 'j' || key === 'k') {
        if (jobs.length === 0) return;
        s.selectJob(jobs[Math.max(0, Math.min(jobs.length - 1, (at < 0 ? 0 : at) + (key === 'j' ? 1 : -1)))].id);
      } else if (key === 'p' && job) {
        if (jobRunning(job)) void s.pauseJob(job.id);
        else if (job.status === 'paused' || job.status === 'failed') void s.resumeJob(job.id);
        else return;
      } else if (key === 'r' && job && job.failed > 0) void s.retryJob(job.id);
      else if (key === 'x' && job && job.status !== 'done' && job.status !== 'cancelled') {
        if (cancelArmed.current === job.id) {
          cancelArmed.current = null;
          void s.cancelJob(job.id);
        } else {
          cancelArmed.current = job.id;
        }
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section className="view insight-view annotate-view" aria-labelledby="annotate-title" data-testid="view-annotate">
      <div className="view-head">
        <h1 id="annotate-title">Annotate</h1>
        <span className="keys-hint" data-testid="annotate-keys">
          <kbd>n</kbd> start the job · <kbd>e</kbd> estimate · <kbd>j</kbd>/<kbd>k</kbd> next/previous job · <kbd>p</kbd> pause or resume ·{' '}
          <kbd>r</kbd> retry the failed · <kbd>x</kbd> <kbd>x</kbd> cancel
        </span>
      </div>
      <div className="annotate-top">
        <EndpointPanel />
        <NewJobPanel />
      </div>
      <JobsPanel />
      <JobDetail />
    </section>
  );
}
