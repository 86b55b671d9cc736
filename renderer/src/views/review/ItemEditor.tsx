// The editor that opens on an item: choose the right value (digits), edit a list or an error, add an error the
// annotation missed, or comment. Enter saves, Esc closes; focus returns to the page, where the review keys work.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { ReviewItem, Side } from '../../../../preload/contract';
import { useStudio } from '../../store';
import type { ReviewEditor } from '../../store/reviewSlice';
import { SEVERITIES, flipped, parseDetectedError } from './format';

export function ItemEditor({ editor, item, comment = '', errorTypes = [] }: { editor: ReviewEditor; item: ReviewItem | null; comment?: string; errorTypes?: string[] }) {
  const close = () => useStudio.getState().setReviewEditor(null);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };
  if (editor.kind === 'choices' && item) return <Choices item={item} />;
  return (
    <div className="item-editor" onKeyDown={onKeyDown} onClick={(e) => e.stopPropagation()} data-testid="item-editor" data-kind={editor.kind}>
      {editor.kind === 'list' && item && <ListEditor item={item} />}
      {editor.kind === 'error' && item && <ErrorForm types={item.choices} initial={item.value} submitLabel="Correct the error"
        onSubmit={(json) => useStudio.getState().decideReviewItem('correct', json)} />}
      {editor.kind === 'missed' && <MissedForm side={editor.side} types={errorTypes} />}
      {editor.kind === 'comment' && <CommentForm initial={comment} />}
    </div>
  );
}

function Choices({ item }: { item: ReviewItem }) {
  const digit = (i: number) => (item.valueKind === 'rating' ? item.choices[i] : String(i + 1));
  return (
    <div className="item-editor choices" data-testid="item-editor" data-kind="choices" onClick={(e) => e.stopPropagation()}>
      <span className="muted small" data-testid="choices-prompt">
        {item.valueKind === 'yes-no' ? `Correct “${item.value}” to “${flipped(item)}”? Enter or the digit corrects, Esc cancels:` : 'Correct to (press the digit, Esc to cancel):'}
      </span>
      <ul>
        {item.choices.map((c, i) => (
          <li key={c}>
            <button type="button" className={`button small ${c.toLowerCase() === item.value.toLowerCase() ? 'annotated' : ''}`}
              onClick={() => { useStudio.getState().setReviewEditor(null); useStudio.getState().decideReviewItem('correct', c); }}>
              <kbd>{digit(i)}</kbd> {c}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function useFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

function ListEditor({ item }: { item: ReviewItem }) {
  const [text, setText] = useState(item.value);
  const ref = useFocus<HTMLTextAreaElement>();
  const save = () => useStudio.getState().decideReviewItem('correct', text);
  return (
    <form onSubmit={(e) => { e.preventDefault(); save(); }}>
      <label className="field"><span className="field-label">{item.label}: one per line (Ctrl+Enter saves, Esc cancels)</span>
        <textarea ref={ref} rows={4} value={text} onChange={(e) => setText(e.target.value)} data-testid="list-editor"
          onKeyDown={(e) => { if (e.key === 'Enter' && e.ctrlKey) { e.preventDefault(); save(); } }} /></label>
      <button type="submit" className="button small primary">Correct the list</button>
    </form>
  );
}

function ErrorForm({ types, initial, submitLabel, onSubmit, children }: {
  types: string[]; initial: string | null; submitLabel: string; onSubmit: (json: string) => void; children?: ReactNode;
}) {
  const start = parseDetectedError(initial);
  const [description, setDescription] = useState(start?.description ?? '');
  const [type, setType] = useState(start?.type ?? types[0] ?? '');
  const [severity, setSeverity] = useState<string>(start?.severity ?? 'moderate');
  const ref = useFocus<HTMLInputElement>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(JSON.stringify({ description, type, severity }));
  };
  const allTypes = types.includes(type) ? types : [type, ...types];
  return (
    <form className="error-form" onSubmit={submit}>
      {children}
      <label className="field wide"><span className="field-label">Description (Enter saves, Esc cancels)</span>
        <input ref={ref} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="error-description" /></label>
      <label className="field"><span className="field-label">Type</span>
        <select value={type} onChange={(e) => setType(e.target.value)} data-testid="error-type">
          {allTypes.map((t) => <option key={t} value={t}>{t}</option>)}
        </select></label>
      <label className="field"><span className="field-label">Severity</span>
        <select value={severity} onChange={(e) => setSeverity(e.target.value)} data-testid="error-severity">
          {SEVERITIES.map((x) => <option key={x} value={x}>{x}</option>)}
        </select></label>
      <button type="submit" className="button small primary">{submitLabel}</button>
    </form>
  );
}

function MissedForm({ side: initialSide, types }: { side: Side; types: string[] }) {
  const [side, setSide] = useState<Side>(initialSide);
  return (
    <ErrorForm types={types} initial={null} submitLabel={`Add to response ${side}`}
      onSubmit={(json) => useStudio.getState().addReviewMissedError(side, JSON.parse(json))}>
      <fieldset className="side-choice">
        <legend>A missed error in response</legend>
        {(['A', 'B'] as const).map((s) => (
          <label key={s} className="check"><input type="radio" name="missed-side" checked={side === s} onChange={() => setSide(s)} /> {s}</label>
        ))}
      </fieldset>
    </ErrorForm>
  );
}

function CommentForm({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const ref = useFocus<HTMLInputElement>();
  return (
    <form onSubmit={(e) => { e.preventDefault(); useStudio.getState().commentReviewItem(text); }}>
      <label className="field wide"><span className="field-label">Comment (Enter saves, Esc cancels)</span>
        <input ref={ref} value={text} onChange={(e) => setText(e.target.value)} data-testid="comment-input" /></label>
    </form>
  );
}
