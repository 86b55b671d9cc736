// The Dissect view: choose judges and groups and fit them (progress, ETA, cancel, the MAP estimate meanwhile),
// then read the effect strengths (figure 1), the top/last three per group (tables 3 and 13), the held-out
// accuracy (table 10), the explanation of single pairs and the source models' pElo.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { isRunning } from '../../store/dissectSlice';
import { isEditable } from '../../lib/keys';
import { Busy } from '../../components/Busy';
import { FitPanel } from './FitPanel';
import { EffectStrengths } from './EffectStrengths';
import { CorrectedToggle } from './CorrectedToggle';
import { AccuracyTable, TopLastTable } from './RankingTables';
import { ExplainPanel, PeloPanel } from './ExplainPanel';
import './insight.css';

export function DissectView() {
  const { studyId, loadDissect, loadPaper, watchFitJobs, loading } = useStudio(useShallow((s) => ({
    studyId: s.selectedStudyId, loadDissect: s.loadDissect, loadPaper: s.loadPaper, watchFitJobs: s.watchFitJobs, loading: s.dissectLoading,
  })));

  useEffect(() => {
    watchFitJobs();
    void loadPaper();
  }, [watchFitJobs, loadPaper]);
  useEffect(() => {
    if (studyId !== null) void loadDissect();
  }, [studyId, loadDissect]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      const store = useStudio.getState();
      if (e.key === 'f') {
        e.preventDefault();
        void store.startFits();
      } else if (e.key === 'x') {
        const running = store.fitJobs.find(isRunning);
        if (!running) return;
        e.preventDefault();
        void store.cancelFit(running.jobId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section className="view insight-view" aria-labelledby="dissect-title" data-testid="view-dissect">
      <div className="view-head">
        <h1 id="dissect-title">Dissect</h1>
        {loading && <Busy text="Loading fits…" />}
      </div>
      <FitPanel />
      <EffectStrengths />
      <CorrectedToggle />
      <div className="two-columns">
        <TopLastTable />
        <AccuracyTable />
      </div>
      <ExplainPanel />
      <PeloPanel />
    </section>
  );
}
