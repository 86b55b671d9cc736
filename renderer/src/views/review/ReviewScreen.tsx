// The review screen: the query and both responses side by side, every annotation item of the pair grouped as in
// Table 12, and the keys that decide them. A verdict moves on to the next item at once; it is saved in the
// background, in order: its item shows it as waiting until it is stored, and the header says when everything is on
// disk, or how many verdicts are not saved yet (red) and why.
import { memo, useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReviewItem, ReviewPair, ReviewSearchKind, ReviewSection, Verdict } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { linkedChecker } from '../../api';
import { currentReviewItem, overlayVerdicts, unsavedWork, type ReviewEditor } from '../../store/reviewSlice';
import { isEditable } from '../../lib/keys';
import { formatCount } from '../../lib/format';
import { Busy } from '../../components/Busy';
import { Markdown } from '../../components/Markdown';
import { ItemEditor } from './ItemEditor';
import { SECTION_TITLES, VERDICT_MARK, flipped, formatValue, itemTitle, parseDetectedError, describeError, percent, verdictText } from './format';

const SECTIONS: ReviewSection[] = ['basic', 'prerequisite', 'query-specific', 'error'];

export const KEYS: [string, string][] = [
  ['a', 'approve'], ['r', 'reject'], ['c', 'correct (shows the choice first; Enter flips yes/no)'], ['0–3', 'correct a rating to'],
  ['m', 'add a missed error (the cursor stays)'], ['o', 'comment'], ['x', 'take the verdict back'], ['Shift+A', 'approve the rest of the pair from here on'],
  ['j ↓', 'next item'], ['k ↑', 'previous item'], ['n →', 'next pair'], ['p ←', 'previous pair'],
  ['u Ctrl+Z', 'undo'], ['Shift+U Ctrl+Y', 'redo'], ['/', 'search the round: a pair, a property'], ['.', 'next undecided item'],
  ['d', 'next item another checker answered differently'], ['Esc', 'close the editor or the search'],
];

/** What "c" does on an item: opens an editor showing the choice (a yes/no item too), so nothing changes before it is made. */
function correct(item: ReviewItem) {
  const s = useStudio.getState();
  if (item.valueKind === 'complete') return s.setReviewHint('“No error missed” is approved or rejected; press m to add an error that was missed.');
  s.setReviewEditor({ kind: item.valueKind === 'list' ? 'list' : item.valueKind === 'error' ? 'error' : 'choices', itemKey: item.key });
}

function onKey(e: KeyboardEvent) {
  if (e.defaultPrevented || e.altKey || e.metaKey || isEditable(e.target)) return;
  const s = useStudio.getState();
  const here = currentReviewItem(s);
  const item = here?.item ?? null;
  const editor = s.reviewEditor;
  const key = e.key;
  const handled = () => e.preventDefault();
  if (!here && s.reviewSession && /^[aArcxmo0-9]$/.test(key) && !e.ctrlKey) {
    handled();
    return s.setReviewHint(`The pair is still loading; “${key}” was not applied.`);
  }
  if (key === 'Escape') {
    if (editor) {
      handled();
      s.setReviewEditor(null);
    } else if (s.reviewSearch) {
      handled();
      s.setReviewSearch(null);
    }
    return;
  }
  if (editor?.kind === 'choices' && item) {
    if (key === 'Enter' && item.valueKind === 'yes-no') {
      handled();
      s.setReviewEditor(null);
      return s.decideReviewItem('correct', flipped(item));
    }
    const pick = item.valueKind === 'rating' ? item.choices.indexOf(key) : Number(key) - 1;
    if (/^\d$/.test(key) && pick >= 0 && pick < item.choices.length) {
      handled();
      s.setReviewEditor(null);
      s.decideReviewItem('correct', item.choices[pick]);
    }
    return;
  }
  if (e.ctrlKey) {
    if (key.toLowerCase() === 'z' || key === 'y') {
      handled();
      s.undoReview(key === 'y' || e.shiftKey);
    }
    return;
  }
  if (/^[0-3]$/.test(key) && item?.valueKind === 'rating') {
    handled();
    return s.decideReviewItem('correct', key);
  }
  switch (key) {
    case 'a': if (item) s.decideReviewItem('approve'); break;
    case 'A': s.approveReviewRest(); break;
    case 'r': if (item) s.decideReviewItem('reject'); break;
    case 'c': if (item) correct(item); break;
    case 'x': case 'Backspace': case 'Delete': if (item) s.decideReviewItem(null); break;
    case 'm': s.setReviewEditor({ kind: 'missed', side: item?.side ?? 'A' }); break;
    case 'o': if (item) s.setReviewEditor({ kind: 'comment', itemKey: item.key }); break;
    case 'j': case 'ArrowDown': s.moveReviewItem(1); break;
    case 'k': case 'ArrowUp': s.moveReviewItem(-1); break;
    case 'n': case 'ArrowRight': s.moveReviewPair(1); break;
    case 'p': case 'ArrowLeft': s.moveReviewPair(-1); break;
    case '/': s.setReviewSearch({ kind: s.reviewSearch?.kind ?? 'property', text: s.reviewSearch?.text ?? '' }); break;
    case '.': void s.jumpReview('undecided'); break;
    case 'd': void s.jumpReview('disagreement'); break;
    case 'u': s.undoReview(false); break;
    case 'U': s.undoReview(true); break;
    default: return;
  }
  handled();
}

export function ReviewScreen() {
  const { session, pair, current, queue, stalled, hint } = useStudio(useShallow((s) => {
    const here = currentReviewItem(s);
    return {
      session: s.reviewSession, pair: s.reviewSession ? s.reviewPairs[s.reviewSession.position] ?? null : null,
      current: here?.item?.key ?? null, queue: s.reviewQueue, stalled: s.reviewStalled, hint: s.reviewHint,
    };
  }));
  const close = useStudio((s) => s.closeReviewSession);

  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!session) return null;
  const items = pair?.items ?? [];
  const index = items.findIndex((i) => i.key === current);
  return (
    <div className="review-screen" data-testid="review-screen">
      <header className="review-status">
        <strong data-testid="review-position">Pair {session.position + 1} of {session.pairCount}</strong>
        <span>{pair ? `item ${index + 1} of ${items.length}` : ''}</span>
        <span className="muted">checker <strong>{session.checker}</strong>{session.blind ? ' (blind)' : ''}</span>
        <span className="review-progress" data-testid="review-decided" data-decided={session.decided}>
          {formatCount(session.decided)} / {formatCount(session.total)} decided ({percent(session.total ? session.decided / session.total : null)})
          <progress max={session.total || 1} value={session.decided} />
        </span>
        <SaveState queued={queue.length} work={unsavedWork(queue)} stalled={stalled !== null} />
        {linkedChecker === null && <button type="button" className="button small" onClick={close}>Back to rounds</button>}
      </header>
      {stalled && <p className="save-problem" role="alert" data-testid="save-problem">{stallText(stalled, unsavedWork(queue))}</p>}
      <SearchBar />
      {session.total > 0 && session.decided >= session.total && unsavedWork(queue) === 0 && <RoundComplete pairs={session.pairCount} items={session.total} />}
      {!pair ? <div className="list-loading"><Busy text="Loading pair…" /></div> : (
        <div className="review-body">
          <PairTexts pair={pair} />
          <div className="review-items-column">
            <ItemList pair={pair} current={current} />
            {hint && <p className="review-hint" role="status">{hint}</p>}
            <Guidelines pair={pair} item={index >= 0 ? items[index] : null} />
            <KeyLegend />
          </div>
        </div>
      )}
    </div>
  );
}

const SEARCH_KINDS: { kind: ReviewSearchKind; label: string; placeholder: string }[] = [
  { kind: 'property', label: 'Item', placeholder: 'a property or words, e.g. grammarly correct of response B' },
  { kind: 'pair', label: 'Pair', placeholder: "a pair's number, id or words of its query" },
  { kind: 'undecided', label: 'Undecided', placeholder: 'optional: only items with these words' },
  { kind: 'disagreement', label: 'Disagreement', placeholder: 'optional: only items with these words' },
];

/** Search and jump inside the round ("/"): Enter lists the places from the cursor on; a place is gone to by click. */
function SearchBar() {
  const { search, set, run, go, blind } = useStudio(useShallow((s) => ({
    search: s.reviewSearch, set: s.setReviewSearch, run: s.runReviewSearch, go: s.goToReviewItem, blind: s.reviewSession?.blind ?? true,
  })));
  const input = useRef<HTMLInputElement>(null);
  const open = search !== null;
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  if (!search) return null;
  const jump = (position: number, itemKey: string | null) => {
    set(null);
    go(position, itemKey);
  };
  return (
    <form className="review-search" role="search" data-testid="review-search" onSubmit={(e) => {
      e.preventDefault();
      void run();
    }} onKeyDown={(e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        set(null);
      }
    }}>
      <select value={search.kind} aria-label="Search for" data-testid="review-search-kind" onChange={(e) => set({ kind: e.target.value as ReviewSearchKind, text: search.text })}>
        {SEARCH_KINDS.filter((k) => k.kind !== 'disagreement' || !blind).map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
      </select>
      <input ref={input} value={search.text} placeholder={SEARCH_KINDS.find((k) => k.kind === search.kind)!.placeholder} aria-label="Search the round"
        data-testid="review-search-text" onChange={(e) => set({ kind: search.kind, text: e.target.value })} />
      <button type="submit" className="button small">Find</button>
      {search.hits && (
        <div className="review-search-hits" data-testid="review-search-hits">
          <span className="muted small">{search.total === 0 ? 'Nothing found.' : `${search.total} found${search.total > search.hits.length ? `, the next ${search.hits.length} shown` : ''}, from the cursor on:`}</span>
          <ol>
            {search.hits.map((h) => (
              <li key={`${h.position}|${h.itemKey ?? ''}`}>
                <button type="button" className="button small subtle" data-testid="review-search-hit" onClick={() => jump(h.position, h.itemKey)}>
                  {h.what} <span className="mono small muted">{h.externalId}</span></button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </form>
  );
}

/** Every item of the checker's pairs decided and stored: said once, with what comes next. */
function RoundComplete({ pairs, items }: { pairs: number; items: number }) {
  const { fromPackage, checkerId, save } = useStudio(useShallow((s) => ({
    fromPackage: s.reviewRounds?.find((r) => r.id === s.reviewSession?.roundId)?.fromPackage ?? null, checkerId: s.reviewSession?.checkerId ?? null,
    save: s.saveReviewFile,
  })));
  return (
    <p className="round-complete" role="status" data-testid="round-complete">
      <strong>Round complete.</strong> All {formatCount(items)} items of your {formatCount(pairs)} pair{pairs === 1 ? '' : 's'} are decided and saved.{' '}
      {fromPackage && checkerId !== null ? (
        <>Send your verdicts back to the coordinator: <button type="button" className="button small primary" onClick={() => void save(checkerId, 'return')}>Return verdicts</button></>
      ) : linkedChecker !== null ? 'The coordinator has your verdicts already; you can still change any of them here.'
        : 'You can still change any verdict; agreement is under Agreement.'}
    </p>
  );
}

function SaveState({ queued, work, stalled }: { queued: number; work: number; stalled: boolean }) {
  const [state, text] = stalled ? ['unsaved', work ? `${formatCount(work)} unsaved` : 'Your place is not saved']
    : queued ? ['saving', work ? `Saving ${formatCount(work)}…` : 'Saving…']
      : ['saved', 'Every verdict saved'];
  return (
    <span className={`save-state ${state}`} data-testid="save-state" data-state={state} data-pending={queued} data-unsaved={stalled ? work : 0} role="status">
      {text}
    </span>
  );
}

/** Why the verdicts wait, and what happens to them, in one or two sentences. */
function stallText(stalled: { code: string; message: string }, work: number): string {
  const them = work === 0 ? 'Your place in the round is' : work === 1 ? 'The verdict not saved yet is' : `The ${formatCount(work)} verdicts not saved yet are`;
  if (stalled.code === 'UNAUTHORISED') {
    return `The server was restarted, so this page's session has ended. ${them} kept in this browser: open the address the server printed (on the same port) and they are saved from there.`;
  }
  if (stalled.code === 'OFFLINE') {
    return `The server is not answering. ${them} kept in this browser and saved, in order, as soon as it answers again (start it again with npm start if it stopped).`;
  }
  return `The server could not save (${stalled.message}). ${them} kept in this browser and sent again, in order.`;
}

/** The query and both responses of a pair (the checker's screen and a pair opened from a disagreement). */
export const PairTexts = memo(function PairTexts({ pair }: { pair: Pick<ReviewPair, 'pair'> }) {
  const p = pair.pair;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollTo({ top: 0 });
  }, [p.id]);
  return (
    <div className="review-texts" ref={ref} data-testid="review-pair" data-pair-id={p.id}>
      <div className="review-pair-head">
        <span className="mono small">{p.externalId}</span>
        <span className="chip">{p.unsafe ? 'Unsafe' : p.scenario ?? 'Unassigned'}</span>
        {p.simulated && <span className="simulated-badge">simulated</span>}
        <span className="muted small">{p.annotation?.model ? `annotated by ${p.annotation.model}` : ''}</span>
      </div>
      <section aria-label="Query"><h3>Query</h3><div className="query-text" data-testid="review-query">{p.query}</div></section>
      <div className="review-responses">
        {(['A', 'B'] as const).map((side) => (
          <section key={side} className={`response side-${side}`} aria-label={`Response ${side}`} data-testid={`review-response-${side.toLowerCase()}`}>
            <h3>Response {side} <span className="model-name">{side === 'A' ? p.modelA : p.modelB}</span></h3>
            <Markdown source={side === 'A' ? p.responseA : p.responseB} className="response-body" />
          </section>
        ))}
      </div>
    </div>
  );
});

/** What the item under the cursor asks and what its values mean (the annotation prompts' text), and the round's notes. */
function Guidelines({ pair, item }: { pair: ReviewPair; item: ReviewItem | null }) {
  const guideline = item ? pair.guidelines[item.key] : undefined;
  return (
    <aside className="review-guidelines" aria-label="Guidelines" data-testid="review-guidelines">
      {guideline && item && (
        <>
          <h3>Guideline: {itemTitle(item)}</h3>
          <p data-testid="guideline-definition">{guideline.definition}</p>
          {guideline.scale.length > 0 && <ul className="small">{guideline.scale.map((line) => <li key={line}>{line}</li>)}</ul>}
        </>
      )}
      {pair.notes && (
        <>
          <h3>Notes from the coordinator</h3>
          <p className="review-notes" data-testid="round-notes-shown">{pair.notes}</p>
        </>
      )}
    </aside>
  );
}

function ItemList({ pair, current }: { pair: ReviewPair; current: string | null }) {
  const { stored, queue, stalled, refused, checkerId, editor } = useStudio(useShallow((s) => ({
    stored: s.reviewVerdicts[pair.pair.id], queue: s.reviewQueue, stalled: s.reviewStalled !== null, editor: s.reviewEditor,
    refused: s.reviewRefused, checkerId: s.reviewSession?.checkerId ?? -1,
  })));
  const { verdicts: mine, waiting } = useMemo(() => overlayVerdicts(stored, queue, checkerId, pair.pair.id), [stored, queue, checkerId, pair.pair.id]);
  const refusal = refused?.checkerId === checkerId && refused.pairId === pair.pair.id ? refused : null;
  // Props keep their identity between keys, so a verdict re-renders only the rows it touched.
  const othersByKey = useMemo(() => {
    if (pair.others.length === 0) return null;
    const maps = pair.others.map((o) => ({ checker: o.checker, byKey: new Map(o.verdicts.map((v) => [v.itemKey, v])) }));
    return new Map(pair.items.map((i) => [i.key, maps.map((o) => ({ checker: o.checker, verdict: o.byKey.get(i.key) }))]));
  }, [pair]);
  const missed = useMemo(() => {
    const added = Object.values(mine).filter((v) => v.verdict === 'add');
    return { A: added.filter((v) => v.itemKey.startsWith('missed:A:')), B: added.filter((v) => v.itemKey.startsWith('missed:B:')) };
  }, [mine]);
  return (
    <div className="review-items" data-testid="review-items">
      {SECTIONS.map((section) => {
        const items = pair.items.filter((i) => i.section === section);
        if (items.length === 0) return null;
        return (
          <section key={section} className="item-section" aria-label={SECTION_TITLES[section]}>
            <h3>{SECTION_TITLES[section]}</h3>
            <ul>
              {items.map((item) => (
                <ItemRow key={item.key} item={item} position={pair.position} verdict={mine[item.key]} current={item.key === current}
                  save={waiting.has(item.key) ? (stalled ? 'unsaved' : 'saving') : null}
                  refused={refusal?.itemKey === item.key ? refusal.message : null}
                  others={othersByKey?.get(item.key) ?? null} missed={item.valueKind === 'complete' && item.side ? missed[item.side] : null}
                  editing={item.key === current ? editor : null} />
              ))}
            </ul>
          </section>
        );
      })}
      {pair.items.length === 0 && <p className="empty">This pair has no annotation to review.</p>}
      {editor?.kind === 'missed' && <ItemEditor editor={editor} item={null} errorTypes={pair.items.find((i) => i.valueKind === 'complete')?.choices ?? []} />}
    </div>
  );
}

const ItemRow = memo(function ItemRow({ item, position, verdict, save, refused, current, others, missed, editing }: {
  item: ReviewItem;
  position: number;
  verdict: Verdict | undefined;
  /** A verdict (or taking one back) the service has not stored yet: being sent, or waiting for the server. */
  save: 'saving' | 'unsaved' | null;
  /** Why the service refused the last verdict given here. */
  refused: string | null;
  current: boolean;
  others: { checker: string; verdict: Verdict | undefined }[] | null;
  missed: Verdict[] | null;
  editing: ReviewEditor | null;
}) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (current) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  return (
    <li ref={ref} className={`item-row ${current ? 'current' : ''} verdict-${verdict?.verdict ?? 'none'} ${save ?? ''}`} aria-current={current ? 'true' : undefined}
      data-testid={current ? 'current-item' : 'item-row'} data-item-key={item.key} data-verdict={verdict?.verdict ?? ''} data-save={save ?? 'saved'}
      onClick={() => useStudio.getState().goToReviewItem(position, item.key)}>
      <div className="item-line">
        {item.side ? <span className={`side-pill side-${item.side}`}>{item.side}</span> : <span className="side-pill none">Q</span>}
        <span className="item-title" title={item.property}>{itemTitle(item)}</span>
        <span className="item-value">{formatValue(item, item.value)}</span>
        <span className={`verdict-mark ${verdict?.verdict ?? ''}`} title={verdictText(item, verdict) + SAVE_TEXT[save ?? 'saved']} aria-label={verdictText(item, verdict) + SAVE_TEXT[save ?? 'saved']}>
          {verdict ? VERDICT_MARK[verdict.verdict] : '·'}
          {verdict?.verdict === 'correct' && <span className="corrected"> {formatValue(item, verdict.correctedValue)}</span>}
        </span>
        <span className="item-marks">
          {save === 'unsaved' && <span className="unsaved-mark" data-testid="unsaved-mark">unsaved</span>}
          {verdict?.comment && <span className="comment-mark" title={verdict.comment} data-testid="comment-mark">note</span>}
        </span>
        {others && (
          <span className="others">
            {others.map((o) => (
              <span key={o.checker} className={`other ${o.verdict?.verdict ?? 'none'}`} title={`${o.checker}: ${verdictText(item, o.verdict)}`}>
                {o.checker.slice(0, 3)} {o.verdict ? VERDICT_MARK[o.verdict.verdict] : '·'}
              </span>
            ))}
          </span>
        )}
      </div>
      {refused && <p className="refused-note" data-testid="refused-note">{refused}</p>}
      {missed && missed.length > 0 && (
        <ul className="missed-list">
          {missed.map((m) => <li key={m.itemKey} data-testid="missed-error">+ missed: {describeError(parseDetectedError(m.correctedValue))}</li>)}
        </ul>
      )}
      {editing && editing.kind !== 'missed' && <ItemEditor editor={editing} item={item} comment={verdict?.comment ?? ''} />}
    </li>
  );
});

const SAVE_TEXT = { saved: '', saving: ' (saving)', unsaved: ' (not saved yet)' };

function KeyLegend() {
  return (
    <section className="key-legend" aria-label="Keys">
      <dl>
        {KEYS.map(([keys, what]) => (
          <div key={keys}><dt>{keys.split(' ').map((k) => <kbd key={k}>{k}</kbd>)}</dt><dd>{what}</dd></div>
        ))}
      </dl>
      <p className="muted small">A verdict moves on to the next item, and to the next pair after the last one.</p>
    </section>
  );
}
