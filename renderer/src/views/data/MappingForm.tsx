// The column mapping of a table whose layout the app cannot tell (or on request): the file's first rows and, for each
// part of a pair, which column holds it; the vote's judge and its kind. Remembered per set of column names. A modal
// dialog: the import card is too small to hold the preview and a dozen fields.
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ColumnMapping, JudgeKind } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { LAYOUT_NAMES } from './layouts';

type ColumnTarget = 'query' | 'responseA' | 'responseB' | 'modelA' | 'modelB' | 'winner' | 'judgeColumn' | 'judgeKindColumn' | 'scenario' | 'language' | 'reference' | 'id';

const TARGETS: { key: ColumnTarget; label: string; required?: boolean }[] = [
  { key: 'query', label: 'Query', required: true },
  { key: 'responseA', label: 'Response A', required: true },
  { key: 'responseB', label: 'Response B', required: true },
  { key: 'modelA', label: 'Model A' },
  { key: 'modelB', label: 'Model B' },
  { key: 'winner', label: 'Winner (A, B, 1, 2 or tie)' },
  { key: 'judgeColumn', label: 'Judge name (per row)' },
  { key: 'judgeKindColumn', label: 'Judge kind (per row: human or llm)' },
  { key: 'scenario', label: 'Scenario' },
  { key: 'language', label: 'Language' },
  { key: 'reference', label: 'Reference answer' },
  { key: 'id', label: 'Id' },
];

export function MappingForm() {
  const { mapping, setDraft, close, importFile, busy, error } = useStudio(useShallow((s) => ({
    mapping: s.mapping, setDraft: s.setMappingDraft, close: s.closeMapping, importFile: s.importFile, busy: s.importProgress !== null,
    error: s.errors.find((e) => e.source === 'import')?.message ?? null,
  })));
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && mapping && !d.open) d.showModal();
  }, [mapping]);
  if (!mapping) return null;
  const { preview, draft, file } = mapping;
  const set = (patch: Partial<ColumnMapping>) => setDraft({ ...draft, ...patch });
  const votes = draft.votes ?? [];
  const setVote = (i: number, patch: Partial<NonNullable<ColumnMapping['votes']>[number]>) =>
    set({ votes: votes.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  // The vote columns' values in the first rows, offered as the words for A, B and a tie.
  const voteColumns = [draft.winner, ...votes.map((v) => v.column)].filter((c): c is string => !!c);
  const voteValues = [...new Set(voteColumns.flatMap((c) => {
    const at = preview.columns.indexOf(c);
    return at < 0 ? [] : preview.rows.map((r) => r[at]).filter((v) => v !== '');
  }))].slice(0, 20);
  const words = [draft.voteWords?.a, draft.voteWords?.b, draft.voteWords?.tie].map((w) => w?.trim().toLowerCase()).filter(Boolean);
  const missing = TARGETS.filter((t) => t.required && !draft[t.key]).map((t) => t.label);
  const noVote = !draft.winner && votes.length === 0;
  const needsKind = !!draft.winner && !draft.judgeColumn && !!draft.judge && draft.judge !== 'human' && !draft.judgeKind;
  const problem = missing.length > 0 ? `Choose the column of: ${missing.join(', ')}.`
    : noVote ? 'Choose the winner column, or add a column of votes per judge.'
      : needsKind ? 'Say whether the judge is human or an LLM.'
        : new Set(words).size < words.length ? 'The words for A, B and a tie must differ.' : null;

  return (
    <dialog ref={dialog} className="mapping-dialog" aria-labelledby="mapping-title" onClose={close}>
    <form className="mapping-form" data-testid="mapping-form" onSubmit={(e) => {
      e.preventDefault();
      if (!problem) void importFile(file, draft);
    }}>
      <h3 id="mapping-title">Map the columns of {preview.fileName}</h3>
      {preview.format && <p className="muted small">This file looks like {LAYOUT_NAMES[preview.format]}; a mapping reads it as a plain table instead.</p>}
      <div className="mapping-preview" role="region" aria-label="First rows" tabIndex={0}>
        <table data-testid="mapping-preview">
          <thead><tr>{preview.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
          <tbody>{preview.rows.map((row, r) => <tr key={r}>{row.map((cell, i) => <td key={i}>{cell}</td>)}</tr>)}</tbody>
        </table>
      </div>
      <div className="mapping-fields">
        {TARGETS.map((t) => (
          <label key={t.key} className="field">
            <span className="field-label">{t.label}{t.required ? ' *' : ''}</span>
            <select data-testid={`map-${t.key}`} value={draft[t.key] ?? ''} onChange={(e) => set({ [t.key]: e.target.value || undefined })}>
              <option value="">{t.required ? 'Choose a column' : 'None'}</option>
              {preview.columns.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
        ))}
        <label className="field">
          <span className="field-label">Judge of the winner column</span>
          <input data-testid="map-judge" value={draft.judge ?? ''} disabled={!!draft.judgeColumn} placeholder="human"
            onChange={(e) => set({ judge: e.target.value || undefined })} />
        </label>
        <label className="field">
          <span className="field-label">Judges' kind</span>
          <select data-testid="map-judge-kind" value={draft.judgeKind ?? ''} disabled={!!draft.judgeKindColumn}
            onChange={(e) => set({ judgeKind: (e.target.value || undefined) as JudgeKind | undefined })}>
            <option value="">Not said</option>
            <option value="human">Human</option>
            <option value="llm">LLM</option>
          </select>
        </label>
      </div>
      {(draft.winner || votes.length > 0) && (
        <fieldset className="mapping-votes">
          <legend>The table's own words for a vote (besides A, B, 1, 2 and tie)</legend>
          <div className="mapping-fields">
            {(['a', 'b', 'tie'] as const).map((w) => (
              <label key={w} className="field">
                <span className="field-label">{w === 'a' ? 'Means response A' : w === 'b' ? 'Means response B' : 'Means a tie'}</span>
                <input data-testid={`map-vote-${w}`} value={draft.voteWords?.[w] ?? ''} list="mapping-vote-values"
                  placeholder={w === 'a' ? 'e.g. left' : w === 'b' ? 'e.g. right' : 'e.g. same'}
                  onChange={(e) => set({ voteWords: { ...draft.voteWords, [w]: e.target.value || undefined } })} />
              </label>
            ))}
          </div>
          <datalist id="mapping-vote-values">{voteValues.map((v) => <option key={v} value={v} />)}</datalist>
        </fieldset>
      )}
      <fieldset className="mapping-votes">
        <legend>Columns of one judge's votes each</legend>
        {votes.map((v, i) => (
          <div key={i} className="mapping-vote">
            <select aria-label={`Votes column ${i + 1}`} value={v.column} onChange={(e) => setVote(i, { column: e.target.value })}>
              {preview.columns.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
            <input aria-label={`Judge of votes column ${i + 1}`} value={v.judge} placeholder="Judge name" onChange={(e) => setVote(i, { judge: e.target.value })} />
            <select aria-label={`Kind of judge ${i + 1}`} value={v.kind} onChange={(e) => setVote(i, { kind: e.target.value as JudgeKind })}>
              <option value="llm">LLM</option>
              <option value="human">Human</option>
            </select>
            <button type="button" className="button small subtle" onClick={() => set({ votes: votes.filter((_, j) => j !== i) })}>Remove</button>
          </div>
        ))}
        <button type="button" className="button small" disabled={preview.columns.length === 0}
          onClick={() => set({ votes: [...votes, { column: preview.columns[0], judge: '', kind: 'llm' }] })}>Add a judge's column</button>
      </fieldset>
      {problem && <p className="muted small" data-testid="mapping-problem">{problem}</p>}
      {error && !busy && <p className="error-text small" role="alert" data-testid="mapping-error">{error}</p>}
      <div className="mapping-actions">
        <button type="submit" className="button primary" data-testid="mapping-import" disabled={!!problem || busy}>Import with this mapping</button>
        <button type="button" className="button subtle" onClick={close}>Cancel <kbd>Esc</kbd></button>
      </div>
    </form>
    </dialog>
  );
}
