// The page a review checker's link opens (serve --host): their review of their own share and nothing else, since
// their link reaches no other channel. The coordinator's page is App.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { AlertRegion } from '../../components/AlertRegion';
import { Busy } from '../../components/Busy';
import { ReviewScreen } from './ReviewScreen';
import './review.css';

export function CheckerApp({ checkerId }: { checkerId: number }) {
  const { session, loadAppInfo, open } = useStudio(useShallow((s) => ({ session: s.reviewSession, loadAppInfo: s.loadAppInfo, open: s.openReviewSession })));
  useEffect(() => {
    void loadAppInfo();
    void open(checkerId);
  }, [checkerId, loadAppInfo, open]);
  return (
    <div className="app checker-app" data-testid="checker-app">
      <main className="app-main" aria-label="Review">
        <AlertRegion />
        <section className="view review-view" data-testid="view-review">
          {session ? <ReviewScreen /> : <Busy text="Opening your pairs…" />}
        </section>
      </main>
    </div>
  );
}
