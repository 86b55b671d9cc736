// The Compare view: the study's fitted judges beside the paper's 33, their similarity (figure 3), intra/inter-group
// similarity (section 4.2) and the share of their preference that style and substance carry.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { Busy } from '../../components/Busy';
import { JudgeChecklist } from '../dissect/JudgeChecklist';
import { SimilarityPanel } from './SimilarityPanel';
import { StyleSubstancePanel } from './StyleSubstancePanel';
import '../dissect/insight.css';

export function CompareView() {
  const s = useStudio(useShallow((st) => ({
    studyId: st.selectedStudyId, load: st.loadCompare, loading: st.compareLoading, fitted: st.fittedJudges,
    studyChosen: st.compareStudyJudges, setStudy: st.setCompareStudyJudges, paper: st.paper,
    paperChosen: st.comparePaperJudges, setPaper: st.setComparePaperJudges,
  })));
  const load = s.load;
  useEffect(() => {
    if (s.studyId !== null) void load();
  }, [s.studyId, load]);
  const paperJudges = Object.keys(s.paper?.judgeSizes ?? {});

  return (
    <section className="view insight-view" aria-labelledby="compare-title" data-testid="view-compare">
      <div className="view-head">
        <h1 id="compare-title">Compare</h1>
        {s.loading && <Busy text="Comparing…" />}
      </div>
      <section className="panel" aria-label="Judges compared">
        <div className="fit-grid two">
          <JudgeChecklist title="Study judges with a finished fit" testId="compare-study-judges" options={s.fitted}
            chosen={(s.studyChosen ?? s.fitted).filter((n) => s.fitted.includes(n))} onChange={s.setStudy} open={s.fitted.length > 0} />
          <JudgeChecklist title="The paper's judges (published weights)" testId="compare-paper-judges" options={paperJudges}
            chosen={s.paperChosen ?? paperJudges} onChange={s.setPaper}
            describe={(n) => (s.paper?.judgeSizes[n] == null ? '' : `${s.paper.judgeSizes[n]}B`)} />
        </div>
        {s.fitted.length === 0 && <p className="muted small">This study has no finished fit yet: fit judges in Dissect to put them beside the paper's.</p>}
      </section>
      <SimilarityPanel />
      <StyleSubstancePanel />
    </section>
  );
}
