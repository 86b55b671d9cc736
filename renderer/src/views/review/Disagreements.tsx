// The disagreements of a round, to settle one by one or in bulk, as a checker said, as annotated or to a third value
// neither checker gave, by mouse or keyboard (ADJUDICATION_KEYS). A settlement is the coordinator's: it moves no
// checker's verdicts or place.
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DetectedError, Disagreement, VerdictKind } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { isEditable } from '../../lib/keys';
import { Busy } from '../../components/Busy';
import { ReviewTableExport } from './ReviewTableExport';
import { VERDICT_WORDS, describeError, formatValue, parseDetectedError } from './format';

export const ADJUDICATION_KEYS: [string, string][] = [
  ['j ↓', 'next disagreement'], ['k ↑', 'previous disagreement'], ['1–9', 'settle as the 1st, 2nd, … checker said'],
  ['a', 'settle: the annotation is right'], ['c', 'settle to another value (then its digit)'], ['x', 'take the settlement back'],
  ['Space', 'select for a bulk settlement'], ['*', 'select every unsettled one'], ['Shift+1–9', 'settle the selected as that checker said'],
  ['Shift+A', 'settle the selected as annotated'], ['Enter o', 'open the pair read-only'], ['Esc', 'close the pair or the choice'],
];

const refOf = (d: Disagreement) => `${d.pairId}|${d.item.key}`;

/** A checker's answer as the settlement it would make. */
function answerOf(d: Disagreement, v: Disagreement['verdicts'][number]): { verdict: VerdictKind; correctedValue: string | null; text: string } {
  const { verdict, correctedValue } = v.verdict;
  if (d.item.valueKind === 'complete' && verdict === 'reject') {
    return { verdict, correctedValue: JSON.stringify(v.missedErrors), text: `errors were missed: ${v.missedErrors.map(describeError).join('; ') || 'none described'}` };
  }
  return { verdict, correctedValue, text: verdict === 'correct' ? `correct to ${formatValue(d.item, correctedValue)}` : VERDICT_WORDS[verdict] };
}

/** The values a disagreement can be settled to that neither the checkers nor the annotation gave: each other choice
 *  of the item (a rating, yes/no, label, or an error's type) and, for an error, rejecting it. */
export function thirdValues(d: Disagreement): { label: string; verdict: VerdictKind; correctedValue: string | null }[] {
  const { item } = d;
  if (item.valueKind === 'complete' || item.valueKind === 'list') return [];
  const given = (verdict: VerdictKind, value: string | null) => d.verdicts.some((v) => v.verdict.verdict === verdict && (value === null || v.verdict.correctedValue?.toLowerCase() === value.toLowerCase()));
  let values: { label: string; verdict: VerdictKind; correctedValue: string | null }[];
  if (item.valueKind === 'error') {
    const e = parseDetectedError(item.value);
    values = [
      { label: 'not an error (reject)', verdict: 'reject', correctedValue: null },
      ...item.choices.filter((t) => t !== e?.type).map((t) => ({ label: `type: ${t}`, verdict: 'correct' as const, correctedValue: JSON.stringify({ ...e, type: t }) })),
    ];
  } else {
    values = item.choices.filter((c) => c.toLowerCase() !== item.value.toLowerCase()).map((c) => ({ label: c, verdict: 'correct' as const, correctedValue: c }));
  }
  return values.filter((v) => !given(v.verdict, v.correctedValue));
}

function onKey(e: KeyboardEvent, checkers: string[], third: string | null, setThird: (ref: string | null) => void) {
  if (e.defaultPrevented || e.altKey || e.metaKey || e.ctrlKey || isEditable(e.target)) return;
  const s = useStudio.getState();
  const list = s.reviewDisagreements ?? [];
  const d = list[s.reviewFocus];
  const handled = () => e.preventDefault();
  const digit = /^Digit([1-9])$/.exec(e.code)?.[1];
  if (e.key === 'Escape') {
    if (third) setThird(null);
    else if (s.reviewOpened) s.closeRoundPair();
    else return;
    return handled();
  }
  if (third && d && refOf(d) === third && digit) {
    const value = thirdValues(d)[Number(digit) - 1];
    if (value) {
      handled();
      setThird(null);
      void s.adjudicateReview(d, value.verdict, value.correctedValue);
    }
    return;
  }
  if (e.shiftKey && digit) {
    const name = checkers[Number(digit) - 1];
    if (!name) return;
    handled();
    return void s.settleReviewMany(name);
  }
  switch (e.key) {
    case 'j': case 'ArrowDown': s.setReviewFocus(s.reviewFocus + 1); break;
    case 'k': case 'ArrowUp': s.setReviewFocus(s.reviewFocus - 1); break;
    case 'A': void s.settleReviewMany(null); break;
    case '*': s.toggleReviewSelected('all-open'); break;
    default: {
      if (!d) return;
      if (digit && !e.shiftKey) {
        const given = d.verdicts.find((v) => v.checker === checkers[Number(digit) - 1]);
        if (!given) return;
        const a = answerOf(d, given);
        void s.adjudicateReview(d, a.verdict, a.correctedValue);
        break;
      }
      switch (e.key) {
        case 'a': void s.adjudicateReview(d, 'approve'); break;
        case 'x': void s.adjudicateReview(d, null); break;
        case 'c': if (thirdValues(d).length > 0) setThird(refOf(d)); break;
        case ' ': s.toggleReviewSelected(refOf(d)); break;
        case 'Enter': case 'o': void s.openRoundPair(d.position, d.item.key); break;
        default: return;
      }
    }
  }
  handled();
}

export function Disagreements({ list, checkers, settled }: { list: Disagreement[] | null; checkers: string[]; settled: number }) {
  const { focus, selected, notice, settleMany, select } = useStudio(useShallow((s) => ({
    focus: s.reviewFocus, selected: s.reviewSelected, notice: s.reviewTeamNotice, settleMany: s.settleReviewMany, select: s.toggleReviewSelected,
  })));
  const [third, setThird] = useState<string | null>(null);
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e, checkers, third, setThird);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [checkers, third]);
  const chosen = Object.keys(selected).length;
  return (
    <section className="disagreements" aria-label="Disagreements to settle" data-testid="disagreements">
      <h3>Disagreements to settle <span className="muted small" data-testid="disagreement-count">{list ? `${list.length} (${settled} settled)` : ''}</span>
        <ReviewTableExport table="disagreements" testId="export-disagreements" /></h3>
      {list === null ? <Busy text="Loading…" /> : list.length === 0 ? (
        <p className="muted">{checkers.length < 2 ? 'With one checker there is nothing to settle.' : 'The checkers answered every shared item alike.'}</p>
      ) : (
        <>
          <div className="bulk-settle" data-testid="bulk-settle">
            <button type="button" className="button small" onClick={() => select(chosen ? 'none' : 'all-open')} data-testid="select-open">
              {chosen ? 'Clear the selection' : 'Select every unsettled one'}</button>
            <span className="muted small">{chosen} selected</span>
            {checkers.map((name, i) => (
              <button key={name} type="button" className="button small" disabled={!chosen} onClick={() => void settleMany(name)} data-testid={`settle-selected-${name}`}>
                <kbd>Shift+{i + 1}</kbd> Settle the selected as {name} said</button>
            ))}
            <button type="button" className="button small" disabled={!chosen} onClick={() => void settleMany(null)} data-testid="settle-selected-annotation">
              <kbd>Shift+A</kbd> Settle the selected as annotated</button>
          </div>
          {notice && <p className="muted small" role="status">{notice}</p>}
          <ol className="disagreement-list">
            {list.map((d, i) => (
              <DisagreementCard key={refOf(d)} d={d} checkers={checkers} focused={i === focus} selected={Boolean(selected[refOf(d)])}
                third={third === refOf(d)} setThird={setThird} />
            ))}
          </ol>
          <details className="key-legend small"><summary>Keys for settling</summary>
            <dl>{ADJUDICATION_KEYS.map(([keys, what]) => <div key={keys}><dt>{keys.split(' ').map((k) => <kbd key={k}>{k}</kbd>)}</dt><dd>{what}</dd></div>)}</dl>
          </details>
        </>
      )}
    </section>
  );
}

function DisagreementCard({ d, checkers, focused, selected, third, setThird }: {
  d: Disagreement; checkers: string[]; focused: boolean; selected: boolean; third: boolean; setThird: (ref: string | null) => void;
}) {
  const { adjudicate, open, select } = useStudio(useShallow((s) => ({ adjudicate: s.adjudicateReview, open: s.openRoundPair, select: s.toggleReviewSelected })));
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const settledText = d.adjudication ? (() => {
    const { verdict, correctedValue } = d.adjudication;
    if (d.item.valueKind === 'complete' && verdict === 'reject') return `errors were missed: ${(JSON.parse(correctedValue ?? '[]') as DetectedError[]).map(describeError).join('; ')}`;
    return verdict === 'correct' ? `correct to ${formatValue(d.item, correctedValue)}` : VERDICT_WORDS[verdict];
  })() : null;
  const values = thirdValues(d);
  return (
    <li ref={ref} className={`disagreement ${d.adjudication ? 'settled' : ''} ${focused ? 'focused' : ''}`} aria-current={focused ? 'true' : undefined}
      data-testid="disagreement" data-item-key={d.item.key} data-pair-id={d.pairId} data-settled={d.adjudication ? d.adjudication.verdict : ''}
      onClick={() => useStudio.getState().setReviewFocus(useStudio.getState().reviewDisagreements?.indexOf(d) ?? 0)}>
      <div className="disagreement-head">
        <input type="checkbox" checked={selected} onChange={() => select(refOf(d))} aria-label="Select for a bulk settlement" data-testid="select-disagreement" />
        <span>Pair {d.position + 1} <span className="mono small muted">{d.externalId}</span></span>
        <strong>{d.item.title}</strong>
        <span className="muted">annotated: {formatValue(d.item, d.item.value)}</span>
        <button type="button" className="button small subtle" onClick={() => void open(d.position, d.item.key)} data-testid="open-disagreement"
          title="Read the pair with every checker's verdicts (read-only: no checker's place moves)">Open</button>
      </div>
      <ul className="answers">
        {d.verdicts.map((v) => {
          const a = answerOf(d, v);
          const n = checkers.indexOf(v.checker) + 1;
          return (
            <li key={v.checker}>
              <span className="checker-name">{v.checker}:</span> {a.text}{v.verdict.comment ? <span className="muted"> — “{v.verdict.comment}”</span> : null}
              {' '}<button type="button" className="button small" onClick={() => void adjudicate(d, a.verdict, a.correctedValue)} data-testid="take-answer">
                {n > 0 && n < 10 && <kbd>{n}</kbd>} Settle as {v.checker} said</button>
            </li>
          );
        })}
      </ul>
      <div className="settlement">
        {settledText ? <span className="settled-as" data-testid="settled-as">Settled: {settledText}</span> : <span className="muted">Not settled: the annotation is kept as it is in a refit.</span>}
        <button type="button" className="button small" onClick={() => void adjudicate(d, 'approve')}><kbd>a</kbd> The annotation is right</button>
        {values.length > 0 && <button type="button" className="button small" onClick={() => setThird(third ? null : refOf(d))} data-testid="settle-other">
          <kbd>c</kbd> Another value…</button>}
        {d.adjudication && <button type="button" className="button small subtle" onClick={() => void adjudicate(d, null)}><kbd>x</kbd> Unsettle</button>}
      </div>
      {third && (
        <div className="item-editor choices" data-testid="third-values">
          <span className="muted small">Settle to a value neither checker gave (press the digit, Esc to cancel):</span>
          <ul>
            {values.map((v, i) => (
              <li key={v.label}>
                <button type="button" className="button small" onClick={() => { setThird(null); void adjudicate(d, v.verdict, v.correctedValue); }}>
                  {i < 9 && <kbd>{i + 1}</kbd>} {v.label}</button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}
