// Import: a study name (the current study, or a new name) and a file, chosen here or dropped on the view. The
// file is read and base64-encoded in slices in the renderer, then handed to 'import.file'. The report (or the
// service's error, in the alert region) is what the user sees next.
import { useShallow } from 'zustand/react/shallow';
import type { ChangeEvent } from 'react';
import type { ImportReport } from '../../../../preload/contract';
import { selectCurrentStudy, useStudio } from '../../store';
import { formatBytes, formatCount, plural } from '../../lib/format';
import { Busy } from '../../components/Busy';
import { defaultImportStudy } from '../../store/dataSlice';
import { MappingForm } from './MappingForm';
import { LAYOUT_NAMES } from './layouts';

export function ImportPanel() {
  const { studies, current, typedName, setImportStudyName, importFile, previewForMapping, progress, report, waitingForStudies } = useStudio(useShallow((s) => ({
    studies: s.studies, current: selectCurrentStudy(s), typedName: s.importStudyName, previewForMapping: s.previewForMapping,
    setImportStudyName: s.setImportStudyName, importFile: s.importFile, progress: s.importProgress, report: s.importReport,
    waitingForStudies: !s.studiesLoaded && !s.errors.some((e) => e.source === 'studies'),
  })));
  // Until the studies are known the field would change under the cursor (to the current study's name), so a
  // name typed then could be glued to it: the form waits for them.
  const disabled = progress !== null || waitingForStudies;
  const name = typedName ?? defaultImportStudy(current ?? undefined);
  const trimmed = name.trim();
  const isNew = trimmed !== '' && !studies.some((s) => s.name === trimmed);

  const onFile = (map: boolean) => (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    // Clear the input so choosing the same file again is a new choice (and gets its own answer).
    e.target.value = '';
    if (files.length === 0) return;
    // Several files are one set (MT-bench's or arena-hard's questions, answers and judgments); a mapping is for one.
    void (map ? previewForMapping(files[0]) : importFile(files));
  };

  return (
    <section className="panel import-panel" aria-labelledby="import-title" aria-busy={progress !== null}>
      <div className="panel-head">
        <h2 id="import-title">Import</h2>
        <span className="muted small">Choose a file (or the files of an MT-bench or arena-hard set together), or drop them anywhere on this view.</span>
      </div>
      <div className="import-form">
        <label className="field">
          <span className="field-label">Into study</span>
          <input
            data-testid="import-study-name"
            list="import-study-names"
            value={name}
            placeholder={waitingForStudies ? 'Loading studies…' : 'New study, named after the file'}
            disabled={disabled}
            onChange={(e) => setImportStudyName(e.target.value)}
          />
          <datalist id="import-study-names">
            {studies.map((s) => <option key={s.id} value={s.name} />)}
          </datalist>
        </label>
        <label className={`button primary file-button ${disabled ? 'disabled' : ''}`}>
          <span>Choose files…</span>
          <input
            type="file"
            className="visually-hidden-input"
            data-testid="import-file-input"
            multiple
            disabled={disabled}
            onChange={onFile(false)}
          />
        </label>
        <label className={`button file-button ${disabled ? 'disabled' : ''}`} title="Preview a table's first rows and say which column holds what">
          <span>Map columns…</span>
          <input
            type="file"
            className="visually-hidden-input"
            data-testid="import-map-input"
            disabled={disabled}
            onChange={onFile(true)}
          />
        </label>
      </div>
      <p className="muted small import-target">
        {trimmed === '' ? 'A new study named after the file will be created (type a name to choose another).'
          : isNew ? <>A new study <strong>{trimmed}</strong> will be created.</>
            : <>Pairs will be added to <strong>{trimmed}</strong>.</>}
      </p>
      {progress && (
        <div className="import-progress" data-testid="import-busy">
          <Busy text={
            progress.phase === 'reading' ? `Reading ${progress.fileName} (${formatBytes(progress.size)})…`
              : progress.phase === 'encoding' ? `Preparing ${progress.fileName}: ${Math.round(progress.fraction * 100)}%`
                : progress.message ?? `Importing ${progress.fileName}…`
          } />
          {progress.phase === 'encoding' && (
            <progress max={1} value={progress.fraction} aria-label="Preparing the file" />
          )}
        </div>
      )}
      <MappingForm />
      {report && !progress && <ImportReportView report={report} />}
    </section>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  const dropped = report.dropped.filter((d) => d.count > 0);
  const droppedTotal = dropped.reduce((n, d) => n + d.count, 0);
  // The file's count stays what it was; the study's grows as its pairs are annotated, and is said beside it.
  const study = useStudio((s) => s.studies.find((x) => x.id === report.studyId));
  const labelsDropped = report.labelsDropped.reduce((n, d) => n + d.count, 0);
  return (
    <div className="import-report" data-testid="import-report" aria-label="Import report">
      <p className="report-title">
        <span className="ok-mark" aria-hidden="true">✓</span> Imported <strong>{report.fileName}</strong> into{' '}
        <strong>{report.studyName}</strong> <span className="muted" data-testid="import-layout">({LAYOUT_NAMES[report.format]})</span>
      </p>
      {report.warnings.map((w) => (
        <p key={w} className="import-warning" role="alert" data-testid="import-warning">
          <span aria-hidden="true">⚠</span> {w}
        </p>
      ))}
      <dl className="report-grid">
        <div><dt>Kept</dt><dd data-testid="import-kept">{plural(report.kept, 'pair')}</dd></div>
        <div><dt>New</dt><dd data-testid="import-added">{formatCount(report.added)}</dd></div>
        <div>
          <dt>Matched</dt>
          <dd data-testid="import-matched" title="Pairs already in the study (same id, or same query and responses in either order): their labels were added to them">
            {formatCount(report.matched + report.merged)}
            {report.matchedSwapped > 0 && <span className="muted"> ({formatCount(report.matchedSwapped)} swapped, labels flipped)</span>}
          </dd>
        </div>
        <div>
          <dt>Annotated in the file</dt>
          <dd data-testid="import-annotated">
            {formatCount(report.annotated)}
            {study && study.annotatedCount !== report.annotated && <span className="muted"> · {formatCount(study.annotatedCount)} in the study now</span>}
          </dd>
        </div>
        <div>
          <dt>No scenario</dt>
          <dd data-testid="import-unassigned" title="New pairs whose file gives no scenario stay unassigned (never put in Others) until the scenario job in Annotate, or you in the pair view, gives them one">
            {report.unassigned === 0 ? 'none' : <>{formatCount(report.unassigned)} <span className="muted">unassigned</span></>}
          </dd>
        </div>
        <div>
          <dt>Labels</dt>
          <dd data-testid="import-labels">{formatCount(report.labelsAdded)} added{labelsDropped > 0 && <>, {formatCount(labelsDropped)} not stored</>}</dd>
        </div>
        <div>
          <dt>Judges</dt>
          <dd data-testid="import-judges">
            {report.judges.length === 0 ? <span className="muted">none</span>
              : report.judges.map((j) => `${j.name} (${j.kind === 'llm' ? 'LLM' : 'human'})`).join(', ')}
          </dd>
        </div>
        <div className="wide">
          <dt>Dropped</dt>
          <dd>
            {droppedTotal === 0 ? 'none' : (
              <>
                {formatCount(droppedTotal)}:{' '}
                <ul className="dropped-list" aria-label="Dropped rows by reason">
                  {dropped.map((d) => (
                    <li key={d.reason}><span className="reason">{d.reason}</span> <b>{formatCount(d.count)}</b></li>
                  ))}
                </ul>
              </>
            )}
          </dd>
        </div>
        {report.notes.length > 0 && (
          <div className="wide">
            <dt>Read otherwise than written</dt>
            <dd>
              <ul className="dropped-list" aria-label="Values read otherwise than written" data-testid="import-notes">
                {report.notes.map((n) => (
                  <li key={n.note}><span className="reason">{n.note}</span> <b>{formatCount(n.count)}</b></li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        {labelsDropped > 0 && (
          <div className="wide">
            <dt>Labels not stored</dt>
            <dd>
              <ul className="dropped-list" aria-label="Labels not stored by reason">
                {report.labelsDropped.map((d) => (
                  <li key={d.reason}><span className="reason">{d.reason}</span> <b>{formatCount(d.count)}</b></li>
                ))}
              </ul>
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
