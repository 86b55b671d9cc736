// Search (debounced) and the facet filters above the pair list, with the number of matching pairs.
import { useEffect, useState, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { EMPTY_FILTERS, UNASSIGNED, listKeyOf, type AnnotatedFilter, type OriginFilter, type PairFilters } from '../../store/dataSlice';
import { formatCount } from '../../lib/format';
import { Busy } from '../../components/Busy';

const SEARCH_DEBOUNCE_MS = 250;

export function PairToolbar({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const studyId = useStudio((s) => s.selectedStudyId);
  // A new study starts with an empty search box.
  return <PairToolbarFor key={studyId ?? 'none'} searchRef={searchRef} />;
}

function PairToolbarFor({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const { filters, setFilters, facets, facetsLoading, hasStudy } = useStudio(useShallow((s) => ({
    filters: s.filters,
    setFilters: s.setFilters,
    facets: s.facetsStudyId === s.selectedStudyId ? s.facets : null,
    facetsLoading: s.facetsLoading,
    hasStudy: s.selectedStudyId !== null,
  })));
  const [text, setText] = useState(filters.search);

  useEffect(() => {
    if (text === filters.search) return;
    const timer = setTimeout(() => setFilters({ search: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filters.search, setFilters]);

  const filtered = isFiltered(filters);
  const noFacets = facets === null;

  return (
    <div className="pair-toolbar">
      <label className="search-field">
        <span className="sr-only">Search pairs</span>
        <span className="search-icon" aria-hidden="true">⌕</span>
        <input
          ref={searchRef}
          type="search"
          data-testid="pair-search"
          placeholder="Search queries and responses"
          value={text}
          disabled={!hasStudy}
          onChange={(e) => setText(e.target.value)}
          aria-keyshortcuts="/"
        />
        <kbd className="search-key" aria-hidden="true">/</kbd>
      </label>
      <select
        data-testid="filter-scenario"
        aria-label="Scenario"
        value={filters.scenario}
        disabled={noFacets}
        onChange={(e) => setFilters({ scenario: e.target.value })}
      >
        <option value="">All scenarios</option>
        {facets?.scenarios.map((x) => <option key={x} value={x}>{x}</option>)}
        {(facets?.unassigned ?? 0) > 0 && <option value={UNASSIGNED}>Unassigned ({facets!.unassigned.toLocaleString('en-US')})</option>}
      </select>
      <select
        data-testid="filter-judge"
        aria-label="Judge"
        value={filters.judge}
        disabled={noFacets}
        onChange={(e) => setFilters({ judge: e.target.value })}
      >
        <option value="">Any judge</option>
        {facets?.judges.map((x) => <option key={x} value={x}>{x}</option>)}
      </select>
      <select
        data-testid="filter-model"
        aria-label="Source model"
        value={filters.sourceModel}
        disabled={noFacets}
        onChange={(e) => setFilters({ sourceModel: e.target.value })}
      >
        <option value="">Any source model</option>
        {facets?.sourceModels.map((x) => <option key={x} value={x}>{x}</option>)}
      </select>
      <select
        data-testid="filter-annotated"
        aria-label="Annotated"
        value={filters.annotated}
        disabled={!hasStudy}
        onChange={(e) => setFilters({ annotated: e.target.value as AnnotatedFilter })}
      >
        <option value="any">Annotated or not</option>
        <option value="yes">Annotated</option>
        <option value="no">Not annotated</option>
      </select>
      <select
        data-testid="filter-origin"
        aria-label="Real or simulated"
        value={filters.origin}
        disabled={!hasStudy}
        onChange={(e) => setFilters({ origin: e.target.value as OriginFilter })}
      >
        <option value="any">Real and simulated</option>
        <option value="real">Real pairs</option>
        <option value="simulated">Simulated pairs</option>
      </select>
      {filtered && (
        <button type="button" className="button small subtle" title="Clear the search and every filter" onClick={() => {
          setText('');
          setFilters(EMPTY_FILTERS);
        }}>Clear</button>
      )}
      {facetsLoading && noFacets && <Busy text="Loading filters…" />}
    </div>
  );
}

const isFiltered = (f: PairFilters) =>
  f.search.trim() !== '' || f.scenario !== '' || f.judge !== '' || f.sourceModel !== '' || f.annotated !== 'any' || f.origin !== 'any';

/** The number of matching pairs above the list, and how many of the study's pairs are simulated. */
export function PairCount() {
  const { total, previous, filtered, studyPairs, studySimulated, hasStudy, pagesLoading } = useStudio(useShallow((s) => {
    const study = s.studies.find((x) => x.id === s.selectedStudyId);
    return {
      total: listKeyOf(s) === s.listKey ? s.total : null,
      // While a new search or filter is counted, the study's last count stays (marked as updating).
      previous: s.lastTotal && s.lastTotal.studyId === s.selectedStudyId ? s.lastTotal.total : null,
      filtered: isFiltered(s.filters),
      studyPairs: study?.pairCount ?? null,
      studySimulated: study?.simulatedCount ?? 0,
      hasStudy: s.selectedStudyId !== null,
      pagesLoading: s.pagesLoading > 0,
    };
  }));
  const shown = total ?? previous;
  return (
    <div className="list-head">
      <span className={`pair-count ${total === null ? 'updating' : ''}`}>
        <span data-testid="pair-total" aria-live="polite" aria-busy={total === null}>
          {!hasStudy ? 'No study' : shown === null ? 'Counting…' : `${formatCount(shown)} ${shown === 1 ? 'pair' : 'pairs'}`}
        </span>
        {filtered && total !== null && studyPairs !== null && <span className="muted"> of {formatCount(studyPairs)}</span>}
      </span>
      {hasStudy && total === null && shown !== null && <Busy text="Updating…" />}
      {hasStudy && total !== null && pagesLoading && <Busy text="Loading…" />}
      {hasStudy && studySimulated > 0 && (
        <span className="simulated-badge study-level" data-testid="simulated-badge"
          title={`Simulated pairs: their text and labels were generated for the demo (${formatCount(studySimulated)} of this study's ${formatCount(studyPairs ?? 0)} pairs).`}>
          {formatCount(studySimulated)} simulated in study
        </span>
      )}
    </div>
  );
}
