// The column mapping of a table whose layout the app cannot tell (or on request): the file's first rows and, for each
// part of a pair, which column holds it; the vote's judge and its kind. Remembered per set of column names.
import { useShallow } from 'zustand/react/shallow';
import type { ColumnMapping, JudgeKind } from '../../../../preload/contract';
import { useStudio } from '../../store';

type ColumnTarget = 'query' | 'responseA' | 'responseB' | 'modelA' | 'modelB' | 'winner' | 'judgeColumn' | 'judgeKindColumn' | 'scenario' | 'language' | 'id';

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
  { key: 'id', label: 'Id' },
];

export function MappingForm() {
  const { mapping, setDraft, close, importFile, busy } = useStudio(useShallow((s) => ({
    mapping: s.mapping, setDraft: s.setMappingDraft, close: s.closeMapping, importFile: s.importFile, busy: s.importProgress !== null,
  })));
  if (!mapping) return null;
  const { preview, draft, file } = mapping;
  const set = (patch: Partial<ColumnMapping>) => setDraft({ ...draft, ...patch });
  const votes = draft.votes ?? [];
  const setVote = (i: number, patch: Partial<NonNullable<ColumnMapping['votes']>[number]>) =>
    set({ votes: votes.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  const missing = TARGETS.filter((t) => t.required && !draft[t.key]).map((t) => t.label);
  const noVote = !draft.winner && votes.length === 0;
  const needsKind = !!draft.winner && !draft.judgeColumn && !!draft.judge && draft.judge !== 'human' && !draft.judgeKind;
  const problem = missing.length > 0 ? `Choose the column of: ${missing.join(', ')}.`
    : noVote ? 'Choose the winner column, or add a column of votes per judge.'
      : needsKind ? 'Say whether the judge is human or an LLM.' : null;

  return (
    <form className="mapping-form" data-testid="mapping-form" aria-labelledby="mapping-title" onSubmit={(e) => {
      e.preventDefault();
      if (!problem) void importFile(file, draft);
    }}>
      <h3 id="mapping-title">Map the columns of {preview.fileName}</h3>
      {preview.format && <p className="muted small">This file looks like the {preview.format} layout; a mapping reads it as a plain table instead.</p>}
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
      <div className="mapping-actions">
        <button type="submit" className="button primary" data-testid="mapping-import" disabled={!!problem || busy}>Import with this mapping</button>
        <button type="button" className="button subtle" onClick={close}>Cancel</button>
      </div>
    </form>
  );
}
