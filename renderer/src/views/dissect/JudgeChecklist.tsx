// A list of judges to tick, folded behind a summary of what is chosen: the study's judges, or the paper's 33.
export function JudgeChecklist({ title, options, chosen, onChange, testId, describe, open }: {
  title: string;
  options: string[];
  chosen: string[];
  onChange: (names: string[]) => void;
  testId: string;
  /** Extra text after a name (its size, its fits). */
  describe?: (name: string) => string;
  open?: boolean;
}) {
  const toggle = (name: string, on: boolean) => onChange(options.filter((o) => (o === name ? on : chosen.includes(o))));
  return (
    <details className="judge-checklist" data-testid={testId} open={open}>
      <summary>
        <span className="checklist-title">{title}</span>{' '}
        <span className="muted">{chosen.length === 0 ? 'none' : chosen.length === options.length && options.length > 3 ? `all ${options.length}` : chosen.join(', ')}</span>
      </summary>
      <div className="checklist-actions">
        <button type="button" className="button small subtle" onClick={() => onChange(options)}>All</button>
        <button type="button" className="button small subtle" onClick={() => onChange([])}>None</button>
      </div>
      <ul>
        {options.map((name) => (
          <li key={name}>
            <label>
              <input type="checkbox" checked={chosen.includes(name)} onChange={(e) => toggle(name, e.target.checked)} data-judge={name} />
              {name}
              {describe && <span className="muted small"> {describe(name)}</span>}
            </label>
          </li>
        ))}
      </ul>
    </details>
  );
}
