// The header: the app's name, the current study (shared by every view) and where the app runs and keeps its data.
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../store';
import { Busy } from './Busy';
import { resolvedTheme } from '../lib/theme';

export function Header() {
  const { studies, selectedStudyId, studiesLoaded, selectStudy, appInfo, appInfoLoading, theme, setTheme, setHelpOpen } = useStudio(useShallow((s) => ({
    studies: s.studies, selectedStudyId: s.selectedStudyId, studiesLoaded: s.studiesLoaded, selectStudy: s.selectStudy,
    appInfo: s.appInfo, appInfoLoading: s.appInfoLoading, theme: s.theme, setTheme: s.setTheme, setHelpOpen: s.setHelpOpen,
  })));
  const dark = resolvedTheme(theme) === 'dark';

  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◧</span>
        <span className="brand-name">Preference Studio</span>
      </div>
      <label className="study-picker">
        <span>Study</span>
        <select
          data-testid="study-select"
          value={selectedStudyId ?? ''}
          disabled={!studiesLoaded || studies.length === 0}
          onChange={(e) => selectStudy(e.target.value === '' ? null : Number(e.target.value))}
        >
          {!studiesLoaded && <option value="">Loading studies…</option>}
          {studiesLoaded && studies.length === 0 && <option value="">No studies yet</option>}
          {studies.map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </select>
      </label>
      <div className="app-info" data-testid="app-info">
        {appInfo ? (
          <>
            <span className="info-chip" title="How this window reaches the services">
              {appInfo.transport === 'electron' ? 'Electron' : 'Browser mode'}
            </span>
            <span className="info-item" title={`Data directory: ${appInfo.dataDir}\nDatabase: ${appInfo.databasePath}`}>
              <span className="muted">Data dir</span> <code className="path">{appInfo.dataDir}</code>
            </span>
            <span className="info-item muted">v{appInfo.version}</span>
          </>
        ) : appInfoLoading ? (
          <Busy text="Connecting…" />
        ) : (
          <span className="muted">App info unavailable</span>
        )}
      </div>
      <div className="header-actions">
        <button type="button" className="button small subtle" data-testid="theme-toggle" aria-pressed={dark}
          title={dark ? 'Use the light theme' : 'Use the dark theme'} onClick={() => setTheme(dark ? 'light' : 'dark')}>
          {dark ? '☀ Light' : '☾ Dark'}
        </button>
        <button type="button" className="button small subtle" data-testid="help-open" onClick={() => setHelpOpen(true)}>Help <kbd>?</kbd></button>
      </div>
    </header>
  );
}
