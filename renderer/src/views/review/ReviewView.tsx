// The Review view: rounds of the current study, the keyboard-first review of one checker, Table 12 agreement with
// the disagreements to settle, and the refit with the corrections.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import type { ReviewTab } from '../../store/reviewSlice';
import { Busy } from '../../components/Busy';
import { RoundsPanel } from './RoundsPanel';
import { ReviewScreen } from './ReviewScreen';
import { AgreementPanel } from './AgreementPanel';
import { RefitPanel } from './RefitPanel';
import { CorrectedPanel } from './CorrectedPanel';
import './review.css';

const TABS: { id: ReviewTab; label: string }[] = [
  { id: 'rounds', label: 'Rounds' },
  { id: 'review', label: 'Review' },
  { id: 'agreement', label: 'Agreement' },
  { id: 'refit', label: 'Refit with corrections' },
  { id: 'corrected', label: 'Corrected by the check' },
];

export function ReviewView() {
  const { studyId, roundsStudyId, tab, setTab, loadRounds, resetForStudy, session, roundId, loading } = useStudio(useShallow((s) => ({
    studyId: s.selectedStudyId, roundsStudyId: s.reviewRoundsStudyId, tab: s.reviewTab, setTab: s.setReviewTab,
    loadRounds: s.loadReviewRounds, resetForStudy: s.resetReviewForStudy, session: s.reviewSession, roundId: s.reviewRoundId,
    loading: s.reviewRoundsLoading,
  })));

  useEffect(() => {
    if (studyId === null || studyId === roundsStudyId) return;
    resetForStudy();
    void loadRounds();
  }, [studyId, roundsStudyId, resetForStudy, loadRounds]);

  const enabled = (t: ReviewTab) => t === 'rounds' || (t === 'review' ? session !== null : roundId !== null);
  return (
    <section className="view review-view" aria-labelledby="review-title" data-testid="view-review">
      <header className="review-head">
        <h1 id="review-title">Review</h1>
        <nav className="review-tabs" aria-label="Review sections">
          {TABS.map((t) => (
            <button key={t.id} type="button" className={`tab ${tab === t.id ? 'active' : ''}`} aria-current={tab === t.id ? 'page' : undefined}
              disabled={!enabled(t.id)} data-testid={`review-tab-${t.id}`} onClick={() => setTab(t.id)}>{t.label}</button>
          ))}
        </nav>
        {loading && <Busy text="Loading rounds…" />}
      </header>
      {tab === 'review' && session ? <ReviewScreen />
        : tab === 'agreement' && roundId !== null ? <AgreementPanel />
        : tab === 'refit' && roundId !== null ? <RefitPanel />
        : tab === 'corrected' && roundId !== null ? <CorrectedPanel />
        : <RoundsPanel />}
    </section>
  );
}
