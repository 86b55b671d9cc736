// The pairs of the current study as a virtual list: only the rows in view (plus a few) are in the DOM, and only
// their pages are fetched (PAGE_SIZE rows each, cached in the store). Fine with 100,000 pairs.
import { memo, useCallback, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useShallow } from 'zustand/react/shallow';
import type { Judge, PairRow, Side } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { PAGE_SIZE, listKeyOf, rowAt } from '../../store/dataSlice';
import { Busy } from '../../components/Busy';
import { PairCount } from './PairToolbar';

const ROW_HEIGHT = 62;
/** Scrolling fast through many pages only fetches where the list comes to rest. */
const FETCH_DELAY_MS = 60;
/** Label badges shown in a row before "+N". */
const MAX_BADGES = 9;

export function PairList() {
  const { listKey, total, pages, selectedIndex, openPairId, ensurePages, setSelectedIndex, openPair, judges, hasStudy } =
    useStudio(useShallow((s) => {
      const key = listKeyOf(s);
      const current = key === s.listKey;
      return {
        listKey: key,
        total: current ? s.total : null,
        pages: current ? s.pages : null,
        selectedIndex: current ? s.selectedIndex : null,
        openPairId: s.openPairId,
        ensurePages: s.ensurePages,
        setSelectedIndex: s.setSelectedIndex,
        openPair: s.openPair,
        judges: s.facetsStudyId === s.selectedStudyId ? s.judges : null,
        hasStudy: s.selectedStudyId !== null,
      };
    }));
  const scrollRef = useRef<HTMLDivElement>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render on purpose
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = items.length ? Math.floor(items[0].index / PAGE_SIZE) : 0;
  const lastPage = items.length ? Math.floor(items[items.length - 1].index / PAGE_SIZE) : 0;

  // Fetch the pages in view (the first page on a new list key, which also brings the total).
  useEffect(() => {
    if (listKey === null) return;
    const wanted: number[] = [];
    for (let p = firstPage; p <= lastPage; p++) wanted.push(p);
    const timer = setTimeout(() => ensurePages(wanted), total === null ? 0 : FETCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [listKey, firstPage, lastPage, total, ensurePages]);

  // A new query starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [listKey]);

  // Keep the selected row in view when the keyboard moves it.
  useEffect(() => {
    if (selectedIndex !== null && total) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, total, virtualizer]);

  const onPick = useCallback((index: number, pairId: number) => {
    setSelectedIndex(index);
    void openPair(pairId);
  }, [setSelectedIndex, openPair]);

  const selectedRow = pages && selectedIndex !== null ? rowAt(pages, selectedIndex) : undefined;

  return (
    <div className="pair-list-wrap">
      <PairCount />
      <div
        ref={scrollRef}
        className="pair-list"
        data-pair-list=""
        data-testid="pair-list"
        role="listbox"
        tabIndex={0}
        aria-label="Pairs (j/k or arrow keys move, Enter opens)"
        aria-busy={total === null && hasStudy}
        aria-activedescendant={selectedRow ? `pair-row-${selectedRow.id}` : undefined}
      >
        {!hasStudy ? (
          <p className="empty">Choose or import a study to see its pairs.</p>
        ) : total === null ? (
          <div className="list-loading"><Busy text="Loading pairs…" /></div>
        ) : total === 0 ? (
          <p className="empty">No pairs match.</p>
        ) : (
          <div className="pair-list-inner" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = pages ? rowAt(pages, item.index) : undefined;
              return (
                <div
                  key={item.key}
                  className="pair-slot"
                  style={{ transform: `translateY(${item.start}px)`, height: item.size }}
                >
                  {row ? (
                    <PairRowView
                      row={row}
                      index={item.index}
                      setSize={total}
                      selected={item.index === selectedIndex}
                      open={row.id === openPairId}
                      judges={judges}
                      onPick={onPick}
                    />
                  ) : (
                    <div className="pair-row placeholder" data-testid="pair-row-loading" aria-hidden="true">
                      <span className="skeleton wide" />
                      <span className="skeleton" />
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

interface RowProps {
  row: PairRow;
  index: number;
  setSize: number;
  selected: boolean;
  open: boolean;
  judges: Judge[] | null;
  onPick(index: number, pairId: number): void;
}

const PairRowView = memo(function PairRowView({ row, index, setSize, selected, open, judges, onPick }: RowProps) {
  const ordered = orderedLabels(row.labels, judges);
  const shown = ordered.slice(0, MAX_BADGES);
  const hidden = ordered.slice(MAX_BADGES);
  return (
    <div
      id={`pair-row-${row.id}`}
      className={`pair-row ${selected ? 'selected' : ''} ${open ? 'open' : ''}`}
      data-testid="pair-row"
      data-pair-id={row.id}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      onClick={() => onPick(index, row.id)}
    >
      <div className="row-line">
        <span className="pair-id" title={`Pair ${row.externalId} (id ${row.id})`}>{row.externalId}</span>
        <span className={`scenario-chip${row.scenario === null ? ' unassigned' : ''}`}>{row.scenario ?? 'Unassigned'}</span>
        {row.unsafe && <span className="chip unsafe">unsafe</span>}
        <span className="models" title={`${row.modelA} vs ${row.modelB}`}>
          <span className="model a">{row.modelA}</span> <span className="vs">vs</span> <span className="model b">{row.modelB}</span>
        </span>
        <span className="row-flags">
          {row.annotated && (
            <span className="annotated-mark" data-testid="annotated-mark" title="Annotated">
              <span aria-hidden="true">✓</span><span className="sr-only">annotated</span>
            </span>
          )}
          {row.simulated && <span className="simulated-badge" data-testid="simulated-badge" title="Simulated pair: text and labels were generated for the demo">simulated</span>}
        </span>
      </div>
      <div className="row-line">
        <span className="query-preview">{row.queryPreview}</span>
        <span className="label-badges">
          {shown.map(([judge, side, kind]) => (
            kind !== 'llm' ? (
              <span key={judge} className={`label-badge named side-${side}`} data-testid="label-badge" data-judge={judge}
                title={`${judge} prefers ${side}`}>
                <span className="judge-name">{judge}</span> <b>{side}</b>
              </span>
            ) : (
              <span key={judge} className={`label-badge llm side-${side}`} data-testid="label-badge" data-judge={judge}
                title={`${judge} (LLM judge) prefers ${side}`}>
                <span className="sr-only">{judge} </span><b>{side}</b>
              </span>
            )
          ))}
          {hidden.length > 0 && (
            <span className="label-badge more" title={hidden.map(([j, s]) => `${j}: ${s}`).join('\n')}>+{hidden.length}</span>
          )}
        </span>
      </div>
    </div>
  );
});

/** A row's labels in the study's judge order (humans first, then LLM judges by size), unknown judges last. */
function orderedLabels(labels: Record<string, Side>, judges: Judge[] | null): [string, Side, 'human' | 'llm' | null][] {
  const rank = new Map((judges ?? []).map((j, i) => [j.name, i]));
  const kind = new Map((judges ?? []).map((j) => [j.name, j.kind]));
  return Object.entries(labels)
    .sort((a, b) => (rank.get(a[0]) ?? 1e9) - (rank.get(b[0]) ?? 1e9))
    .map(([judge, side]) => [judge, side, kind.get(judge) ?? (judge.toLowerCase().includes('human') ? 'human' : null)]);
}
