// Help: "?" opens an overlay with the keys of the current view, the keys that work everywhere and the workflow in
// five steps; on first start the same steps wait in the navigation as a short guide until hidden for good.
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../store';
import { VIEWS, type ViewId } from '../lib/views';
import { KEYS as REVIEW_KEYS } from '../views/review/ReviewScreen';
import { ADJUDICATION_KEYS } from '../views/review/Disagreements';

type Keys = [string, string][];

/** Each view's own keys, as its screen shows them. */
export const VIEW_KEYS: Record<ViewId, Keys> = {
  data: [['/', 'search pairs'], ['j k', 'next / previous pair'], ['↓ ↑', 'same, in the list'], ['Enter', 'open the selected pair'], ['Esc', 'leave search, close the pair']],
  annotate: [['n', 'start the job'], ['e', 'estimate the cost'], ['j k', 'next / previous job'], ['p', 'pause or resume'], ['r', 'retry the failed pairs'], ['x x', 'cancel the job']],
  review: [...REVIEW_KEYS, ...ADJUDICATION_KEYS.map(([k, what]): [string, string] => [k, `disagreements: ${what}`])],
  dissect: [['f', 'fit the chosen judges on the chosen groups'], ['x', 'cancel the running fit'], ['n p', 'next / previous pair to explain']],
  compare: [],
  export: [],
  settings: [],
};

const EVERYWHERE: Keys = [['Alt+1 … Alt+7', 'go to a view'], ['g then a letter', 'go to a view (d a r i c e s)'], ['?', 'this help'], ['Esc', 'close it']];

/** The workflow of the paper, one step per view. */
export const GUIDE: { view: ViewId; step: string; what: string }[] = [
  { view: 'data', step: 'Import', what: 'pairs from Chatbot Arena, the paper\'s files or CSV/JSONL (the demo project is already here).' },
  { view: 'annotate', step: 'Annotate', what: 'each response on the 29 properties through a model endpoint; estimate the cost first.' },
  { view: 'review', step: 'Check', what: 'a sample of the annotations by hand, measure agreement, refit with the corrections.' },
  { view: 'dissect', step: 'Dissect', what: 'fit each judge per group and read its effect strengths.' },
  { view: 'export', step: 'Export', what: 'tables, charts, system messages and a DPO dataset.' },
];

function KeyList({ keys }: { keys: Keys }) {
  return (
    <dl className="help-keys">
      {keys.map(([k, what]) => (
        <div key={k}><dt>{k.split(/ (?!…)/).map((part) => <kbd key={part}>{part}</kbd>)}</dt><dd>{what}</dd></div>
      ))}
    </dl>
  );
}

function GuideSteps({ onGo }: { onGo?: () => void }) {
  return (
    <ol className="guide-steps">
      {GUIDE.map((g) => (
        <li key={g.view}><a href={`#/${g.view}`} onClick={onGo}>{g.step}</a> <span className="muted">{g.what}</span></li>
      ))}
    </ol>
  );
}

export function HelpOverlay() {
  const { open, setOpen, view, guideHidden, setGuideHidden } = useStudio(useShallow((s) => ({
    open: s.helpOpen, setOpen: s.setHelpOpen, view: s.view, guideHidden: s.guideHidden, setGuideHidden: s.setGuideHidden,
  })));
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const label = VIEWS.find((v) => v.id === view)?.label ?? '';
  const keys = VIEW_KEYS[view];
  return (
    <dialog ref={dialog} className="help-overlay" data-testid="help-overlay" aria-labelledby="help-title"
      onClose={() => setOpen(false)} onClick={(e) => { if (e.target === dialog.current) setOpen(false); }}>
      <div className="help-head">
        <h2 id="help-title">Help</h2>
        <button type="button" className="button small subtle" data-testid="help-close" onClick={() => setOpen(false)}>Close <kbd>Esc</kbd></button>
      </div>
      <div className="help-columns">
        <section aria-labelledby="help-view-keys">
          <h3 id="help-view-keys">Keys in {label}</h3>
          {keys.length ? <KeyList keys={keys} /> : <p className="muted small">This view has no keys of its own.</p>}
          <h3>Everywhere</h3>
          <KeyList keys={EVERYWHERE} />
        </section>
        <section aria-labelledby="help-guide">
          <h3 id="help-guide">From pairs to insight</h3>
          <GuideSteps onGo={() => setOpen(false)} />
          <label className="guide-toggle">
            <input type="checkbox" data-testid="guide-shown" checked={!guideHidden} onChange={(e) => setGuideHidden(!e.target.checked)} />
            Show these steps in the navigation
          </label>
        </section>
      </div>
    </dialog>
  );
}

/** The first-run guide in the navigation, until it is hidden for good. */
export function GuideCard() {
  const { hidden, hide } = useStudio(useShallow((s) => ({ hidden: s.guideHidden, hide: s.setGuideHidden })));
  if (hidden) return null;
  return (
    <section className="guide-card" aria-labelledby="guide-title" data-testid="guide-card">
      <h2 id="guide-title">Getting started</h2>
      <ol>{GUIDE.map((g) => <li key={g.view}><a href={`#/${g.view}`}>{g.step}</a></li>)}</ol>
      <p><kbd>?</kbd> keys and help</p>
      <button type="button" className="button small subtle" data-testid="guide-hide" onClick={() => hide(true)}>Hide for good</button>
    </section>
  );
}
