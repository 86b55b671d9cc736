// The Data view: studies, import (file input or drop anywhere on the view), and the pairs of the current study
// in a virtual list next to the open pair.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectCurrentStudy, useStudio } from '../../store';
import { isEditable, isInteractive } from '../../lib/keys';
import { StudiesPanel } from './StudiesPanel';
import { ImportPanel } from './ImportPanel';
import { PairToolbar } from './PairToolbar';
import { PairList } from './PairList';
import { PairDetailPanel } from './PairDetailPanel';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

export function DataView() {
  const { studyId, dataVersion, loadFacets, importFile, reportError, busy, targetName } = useStudio(useShallow((s) => ({
    studyId: s.selectedStudyId, dataVersion: s.dataVersion, loadFacets: s.loadFacets, importFile: s.importFile,
    reportError: s.reportError, busy: s.importProgress !== null,
    targetName: s.importStudyName ?? selectCurrentStudy(s)?.name ?? '',
  })));
  const searchRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (studyId !== null) void loadFacets();
  }, [studyId, dataVersion, loadFacets]);

  // The view's keys (the shell's own keys run first, in the capture phase, and mark what they consumed).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const store = useStudio.getState();
      const target = e.target as HTMLElement | null;
      const inList = Boolean(target?.closest?.('[data-pair-list]'));
      const onPage = inList || target === document.body || target === null;
      if (e.key === 'Escape') {
        if (target === searchRef.current) {
          searchRef.current?.blur();
          e.preventDefault();
        } else if (!isEditable(target) && store.openPairId !== null) {
          store.closePair();
          e.preventDefault();
        }
        return;
      }
      if (isEditable(target)) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        store.moveSelection(e.key === 'j' ? 1 : -1);
      } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && onPage) {
        e.preventDefault();
        store.moveSelection(e.key === 'ArrowDown' ? 1 : -1);
      } else if ((e.key === 'Home' || e.key === 'End') && inList) {
        e.preventDefault();
        store.moveSelection(e.key === 'Home' ? -Infinity : Infinity);
      } else if (e.key === 'e' && store.detail && store.detail.id === store.openPairId) {
        e.preventDefault();
        document.getElementById('pair-scenario')?.focus();
      } else if (e.key === 'u' && store.detail && store.detail.id === store.openPairId) {
        e.preventDefault();
        void store.correctScenario({ pairId: store.detail.id, scenario: store.detail.scenario, unsafe: !store.detail.unsafe });
      } else if (e.key === 'Enter' && (onPage || !isInteractive(target))) {
        if (store.selectedIndex === null) return;
        e.preventDefault();
        store.openSelected();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onDragEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(true);
  };
  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
  };
  const onDragLeave = (e: DragEvent<HTMLElement>) => {
    // Leaving for a child of the view is not leaving the view.
    const to = e.relatedTarget as Node | null;
    if (!to || !e.currentTarget.contains(to)) setDragging(false);
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length === 0) return;
    if (busy) {
      reportError('import', new Error('An import is already running; drop the next file when it has finished.'));
      return;
    }
    // Several files dropped together are one set (MT-bench's or arena-hard's questions, answers and judgments).
    void importFile([...files]);
  };

  return (
    <section
      className="view data-view"
      aria-labelledby="data-title"
      data-testid="view-data"
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <h1 id="data-title" className="sr-only">Data</h1>
      <div className="data-top">
        <StudiesPanel />
        <ImportPanel />
      </div>
      <section className="pairs-section" aria-label="Pairs">
        <PairToolbar searchRef={searchRef} />
        <div className="pairs-split">
          <PairList />
          <PairDetailPanel />
        </div>
      </section>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-card">
            {targetName ? <>Drop the file to import it into <strong>{targetName}</strong></> : 'Type a study name first, then drop the file'}
          </div>
        </div>
      )}
    </section>
  );
}
