// A table's export buttons: the services format it (main/services/tables.ts) and name the file; the renderer saves it.
import { useState } from 'react';
import type { ExportedFile, InsightTable, TableFormat } from '../../../preload/contract';
import { call } from '../api';
import { download } from '../lib/chart-export';
import { useStudio } from '../store';

const FORMATS: { format: TableFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' }, { format: 'md', label: 'Markdown' }, { format: 'latex', label: 'LaTeX' }, { format: 'json', label: 'JSON' },
];

export function TableExport({ spec, file, testId, disabled }: {
  spec?: InsightTable | null;
  /** Where another domain's tables come from (e.g. review.table), instead of an insight spec. */
  file?: (format: TableFormat) => Promise<ExportedFile>;
  testId: string;
  disabled?: boolean;
}) {
  const reportError = useStudio((s) => s.reportError);
  const [busy, setBusy] = useState(false);
  const save = async (format: TableFormat) => {
    if (!file && !spec) return;
    setBusy(true);
    try {
      const exported = file ? await file(format) : await call('insight.table', { spec: spec!, format });
      download(exported.fileName, exported.content, exported.mime);
    } catch (err) {
      reportError('export', err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="export-buttons" data-testid={testId}>
      {FORMATS.map((f) => (
        <button key={f.format} type="button" className="button small" disabled={disabled || busy || (!file && !spec)}
          data-testid={`${testId}-${f.format}`} onClick={() => void save(f.format)}>{f.label}</button>
      ))}
    </span>
  );
}
