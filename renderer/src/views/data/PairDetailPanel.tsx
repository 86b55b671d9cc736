// The open pair: query, both responses (sanitised Markdown), the facts about the pair, every judge's label and
// everything annotated for it (see AnnotationSection).
import { useEffect, useId, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PairDetail, PairLabel, Side } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { formatProbability, plural, wordCount } from '../../lib/format';
import { Busy } from '../../components/Busy';
import { Markdown, PlainText } from '../../components/Markdown';
import { groupLabel } from '../../../../preload/contract';
import { AnnotationSection } from './AnnotationSection';
import { ScenarioEditor } from './ScenarioEditor';

export const SIMULATED_NOTICE = 'Simulated pair: text and labels were generated for the demo.';

export function PairDetailPanel() {
  const { openPairId, detail, detailLoading } = useStudio(useShallow((s) => ({
    openPairId: s.openPairId, detail: s.detail, detailLoading: s.detailLoading,
  })));
  const showing = detail && detail.id === openPairId ? detail : null;
  const panelRef = useRef<HTMLDivElement>(null);
  const shownId = showing?.id ?? null;
  // Another pair starts at its top, not where the previous one was scrolled to.
  useEffect(() => {
    panelRef.current?.scrollTo({ top: 0 });
  }, [shownId]);
  return (
    <div ref={panelRef} className="detail-panel" aria-busy={detailLoading} aria-label="Pair detail" role="region">
      {openPairId === null ? (
        <p className="empty">Select a pair to read it here: click a row, or move with <kbd>j</kbd>/<kbd>k</kbd> and press <kbd>Enter</kbd>.</p>
      ) : showing ? (
        <>
          {detailLoading && <div className="detail-refreshing"><Busy text="Loading…" /></div>}
          <PairDetailView detail={showing} />
        </>
      ) : detailLoading ? (
        <div className="list-loading"><Busy text="Loading pair…" /></div>
      ) : (
        <p className="empty">This pair could not be loaded (see the message above).</p>
      )}
    </div>
  );
}

function PairDetailView({ detail }: { detail: PairDetail }) {
  const closePair = useStudio((s) => s.closePair);
  const id = useId();
  // Counted once per pair, not on every render: a response can be megabytes long.
  const words = useMemo(() => {
    const count = (side: Side, text: string) => {
      const stored = detail.annotation?.ratings.lengthy?.[side];
      return typeof stored === 'number' && Number.isFinite(stored) ? stored : wordCount(text);
    };
    return { A: count('A', detail.responseA), B: count('B', detail.responseB) };
  }, [detail]);
  return (
    <article className="pair-detail" data-testid="pair-detail" data-pair-id={detail.id} aria-labelledby={`${id}-title`}>
      <header className="detail-head">
        <div className="detail-title-row">
          <h2 id={`${id}-title`}>Pair <span className="mono">{detail.externalId}</span></h2>
          {detail.simulated && <span className="simulated-badge" data-testid="simulated-badge">simulated</span>}
          <button type="button" className="button small subtle close" onClick={closePair} aria-label="Close pair" title="Close (Esc)">✕</button>
        </div>
        <dl className="facts">
          <ScenarioEditor detail={detail} />
          <div><dt>Language</dt><dd>{detail.language ?? <span className="muted">unknown</span>}</dd></div>
          <div><dt>Simulated</dt><dd className={detail.simulated ? 'flag-on simulated' : undefined}>{detail.simulated ? 'yes' : 'no'}</dd></div>
          {detail.groups.length > 0 && (
            <div><dt>Query groups</dt><dd>{detail.groups.map(groupLabel).join(', ')}</dd></div>
          )}
        </dl>
      </header>

      {detail.simulated && <p className="simulated-notice" role="note">{SIMULATED_NOTICE}</p>}

      <section className="detail-section" aria-labelledby={`${id}-query`}>
        <h3 id={`${id}-query`}>Query</h3>
        <PlainText text={detail.query} className="query-text" testId="pair-query" />
      </section>

      <div className="responses">
        {(['A', 'B'] as const).map((side) => {
          const text = side === 'A' ? detail.responseA : detail.responseB;
          const model = side === 'A' ? detail.modelA : detail.modelB;
          return (
            <section
              key={side}
              className={`response side-${side}`}
              data-testid={`response-${side.toLowerCase()}`}
              aria-labelledby={`${id}-resp-${side}`}
            >
              <header className="response-head">
                <h3 id={`${id}-resp-${side}`}>Response {side}</h3>
                <span className="model-name" title="Source model">{model}</span>
                <span className="muted small">{plural(words[side], 'word')}</span>
                <PreferredBy labels={detail.labels} side={side} />
              </header>
              <Markdown source={text} className="response-body" />
            </section>
          );
        })}
      </div>

      {detail.referenceAnswer !== null && (
        <section className="detail-section" aria-labelledby={`${id}-reference`} data-testid="pair-reference">
          <h3 id={`${id}-reference`}>Reference answer <span className="muted small">(imported with the pair, or written by an annotation job; error detection uses it)</span></h3>
          <Markdown source={detail.referenceAnswer} className="response-body" />
        </section>
      )}

      <LabelsSection labels={detail.labels} headingId={`${id}-labels`} />
      <AnnotationSection detail={detail} idPrefix={id} />
    </article>
  );
}

function PreferredBy({ labels, side }: { labels: PairLabel[]; side: Side }) {
  const humans = labels.filter((l) => l.kind === 'human' && l.preferred === side).map((l) => l.judge);
  const llms = labels.filter((l) => l.kind === 'llm');
  const llmFor = llms.filter((l) => l.preferred === side).length;
  const parts: string[] = [];
  if (humans.length) parts.push(humans.join(', '));
  if (llms.length) parts.push(`${llmFor} of ${llms.length} LLM ${llms.length === 1 ? 'judge' : 'judges'}`);
  if (parts.length === 0) return null;
  return <span className={`preferred ${humans.length ? 'by-human' : ''}`}>Preferred by {parts.join(' · ')}</span>;
}

function LabelsSection({ labels, headingId }: { labels: PairLabel[]; headingId: string }) {
  return (
    <section className="detail-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Judges&rsquo; labels</h3>
      {labels.length === 0 ? (
        <p className="muted">No judge has labelled this pair.</p>
      ) : (
        <table className="data-table labels-table" data-testid="labels-table">
          <thead>
            <tr>
              <th scope="col">Judge</th>
              <th scope="col">Kind</th>
              <th scope="col">Prefers</th>
              <th scope="col" className="num" title="The LLM judge's probability that A is better">P(A)</th>
            </tr>
          </thead>
          <tbody>
            {labels.map((l) => (
              <tr key={l.judge}>
                <th scope="row">{l.judge}</th>
                <td>{l.kind === 'human' ? 'human' : 'LLM'}</td>
                <td><span className={`side-pill side-${l.preferred}`}>{l.preferred}</span></td>
                <td className="num">{l.kind === 'llm' ? formatProbability(l.probabilityA) : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
