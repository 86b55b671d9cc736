// Studies with their counts: select one, rename it in place, delete it after an explicit confirmation.
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { StudyDeleteImpact, StudySummary } from '../../../../preload/contract';
import { call } from '../../api';
import { useStudio } from '../../store';
import { formatCount, plural } from '../../lib/format';
import { Busy } from '../../components/Busy';

export function StudiesPanel() {
  const { studies, studiesLoading, studiesLoaded } = useStudio(useShallow((s) => ({
    studies: s.studies, studiesLoading: s.studiesLoading, studiesLoaded: s.studiesLoaded,
  })));
  return (
    <section className="panel studies-panel" aria-labelledby="studies-title" aria-busy={studiesLoading}>
      <div className="panel-head">
        <h2 id="studies-title">Studies</h2>
        {studiesLoading && <Busy text="Loading studies…" />}
      </div>
      {studiesLoaded && studies.length === 0 ? (
        <p className="empty">No studies yet: import a file to create one.</p>
      ) : (
        <div className="table-scroll">
          <table className="studies-table">
            <thead>
              <tr>
                <th scope="col">Study</th>
                <th scope="col" className="num">Pairs</th>
                <th scope="col" className="num">Annotated</th>
                <th scope="col" className="num">Simulated</th>
                <th scope="col" className="num">Judges</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {studies.map((s) => <StudyRow key={s.id} study={s} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type Mode = 'view' | 'rename' | 'confirm-delete';

/** "4,432 pairs (30 annotated), the labels of 7 judges, 2 review rounds with 340 verdicts, 5 fits and 1 annotation job". */
function deleteList(i: StudyDeleteImpact): string {
  const parts = [
    `${plural(i.pairs, 'pair')} (${formatCount(i.annotated)} annotated)`,
    `the labels of ${plural(i.judges, 'judge')}`,
    `${plural(i.rounds, 'review round')} with ${plural(i.verdicts, 'verdict')}`,
    plural(i.fits, 'fit'),
    plural(i.jobs, 'annotation job'),
  ];
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function StudyRow({ study }: { study: StudySummary }) {
  const { selected, busy, selectStudy, renameStudy, deleteStudy } = useStudio(useShallow((s) => ({
    selected: s.selectedStudyId === study.id, busy: s.studyBusyId === study.id, selectStudy: s.selectStudy,
    renameStudy: s.renameStudy, deleteStudy: s.deleteStudy,
  })));
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(study.name);
  // What goes with the study, counted by the services when the user asks to delete it.
  const [impact, setImpact] = useState<StudyDeleteImpact | null>(null);
  useEffect(() => {
    if (mode !== 'confirm-delete') return;
    let current = true;
    call('studies.deleteImpact', { studyId: study.id }).then((i) => { if (current) setImpact(i); }, () => undefined);
    return () => { current = false; };
  }, [mode, study.id]);

  const startRename = () => {
    setDraft(study.name);
    setMode('rename');
  };
  const submitRename = async (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim() === study.name) {
      setMode('view');
      return;
    }
    if (await renameStudy(study.id, draft)) setMode('view');
  };
  const confirmDelete = async () => {
    if (await deleteStudy(study.id)) setMode('view');
  };

  return (
    <>
      <tr className={selected ? 'selected' : undefined} data-testid="study-row" data-study-id={study.id} aria-current={selected ? 'true' : undefined}>
        <td className="study-name-cell">
          {mode === 'rename' ? (
            <form className="rename-form" onSubmit={submitRename}>
              <label className="sr-only" htmlFor={`rename-${study.id}`}>New name for {study.name}</label>
              <input
                id={`rename-${study.id}`}
                data-testid="study-rename-input"
                value={draft}
                autoFocus
                onChange={(e) => setDraft(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    e.preventDefault();
                    e.stopPropagation();
                    setMode('view');
                  }
                }}
              />
              <button type="submit" className="button primary small" disabled={busy}>Save</button>
              <button type="button" className="button small" onClick={() => setMode('view')} disabled={busy}>Cancel</button>
            </form>
          ) : (
            <button
              type="button"
              className="link-button study-name"
              onClick={() => selectStudy(study.id)}
              aria-pressed={selected}
              title={selected ? 'The current study' : 'Make this the current study'}
            >
              {study.name}
            </button>
          )}
          {study.isDemo && mode !== 'rename' && <span className="chip demo">demo</span>}
        </td>
        <td className="num">{formatCount(study.pairCount)}</td>
        <td className="num">{formatCount(study.annotatedCount)}</td>
        <td className="num">{formatCount(study.simulatedCount)}</td>
        <td className="num">{formatCount(study.judgeCount)}</td>
        <td className="actions">
          {busy && <Busy text="Working…" />}
          {mode === 'view' && !busy && (
            <>
              <button type="button" className="button small" onClick={startRename} data-testid="study-rename"
                aria-label={`Rename ${study.name}`}>Rename</button>
              <button type="button" className="button small danger" onClick={() => { setImpact(null); setMode('confirm-delete'); }} data-testid="study-delete"
                aria-label={`Delete ${study.name}`}>Delete</button>
            </>
          )}
        </td>
      </tr>
      {mode === 'confirm-delete' && (
        <tr className="confirm-row">
          <td colSpan={6}>
            <div className="confirm" role="group" aria-label={`Confirm deleting ${study.name}`}>
              <span data-testid="study-delete-impact">
                Delete <strong>{study.name}</strong> and everything in it:{' '}
                {impact ? deleteList(impact) : <>{plural(study.pairCount, 'pair')} and what belongs to them (counting…)</>}?
                This cannot be undone.
              </span>
              <button type="button" className="button small danger solid" onClick={confirmDelete} disabled={busy}
                data-testid="study-delete-confirm" autoFocus>Delete study</button>
              <button type="button" className="button small" onClick={() => setMode('view')} disabled={busy}>Cancel</button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
