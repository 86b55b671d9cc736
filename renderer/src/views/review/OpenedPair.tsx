// A pair opened from a disagreement: the query, both responses and every item with each checker's verdict, to read
// while settling. Nothing here gives a verdict or moves a checker's place: the coordinator settles in the list.
import { useEffect, useRef } from 'react';
import { useStudio } from '../../store';
import type { RoundPairView } from '../../../../preload/contract';
import { PairTexts } from './ReviewScreen';
import { SECTION_TITLES, VERDICT_MARK, formatValue, itemTitle, verdictText } from './format';

export function OpenedPair({ view, itemKey }: { view: RoundPairView; itemKey: string }) {
  const close = useStudio((s) => s.closeRoundPair);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start' });
  }, [view]);
  const byChecker = view.checkers.map((c) => ({ checker: c.checker, byKey: new Map(c.verdicts.map((v) => [v.itemKey, v])) }));
  const item = view.items.find((i) => i.key === itemKey);
  const guideline = item ? view.guidelines[item.key] : undefined;
  return (
    <section ref={ref} className="opened-pair" aria-label="Pair opened to settle" data-testid="opened-pair" data-position={view.position} data-read-only="true">
      <header className="panel-head">
        <h3>Pair {view.position + 1} of {view.pairCount}, read-only</h3>
        <span className="muted small">as the coordinator settling disagreements: no checker&rsquo;s verdicts or place change here</span>
        <button type="button" className="button small" onClick={close} data-testid="close-opened">Close (Esc)</button>
      </header>
      <div className="review-body">
        <PairTexts pair={view} />
        <div className="review-items-column">
          <table className="data-table opened-items">
            <thead><tr><th scope="col">Item</th><th scope="col">Annotated</th>{view.checkers.map((c) => <th key={c.checker} scope="col">{c.checker}</th>)}</tr></thead>
            <tbody>
              {view.items.map((i) => (
                <tr key={i.key} className={i.key === itemKey ? 'current' : ''} aria-current={i.key === itemKey ? 'true' : undefined} data-item-key={i.key}>
                  <th scope="row" title={SECTION_TITLES[i.section]}>{i.title}</th>
                  <td>{formatValue(i, i.value)}</td>
                  {byChecker.map((c) => {
                    const v = c.byKey.get(i.key);
                    return <td key={c.checker} title={verdictText(i, v)}>{v ? VERDICT_MARK[v.verdict] : '·'}{v?.verdict === 'correct' ? ` ${formatValue(i, v.correctedValue)}` : ''}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          {guideline && item && (
            <aside className="review-guidelines" aria-label="Guidelines">
              <h3>Guideline: {itemTitle(item)}</h3>
              <p>{guideline.definition}</p>
              {guideline.scale.length > 0 && <ul className="small">{guideline.scale.map((line) => <li key={line}>{line}</li>)}</ul>}
            </aside>
          )}
        </div>
      </div>
    </section>
  );
}
