// Settings: where the app's defaults are changed (the data folder, a new annotation job's endpoint and cost cap, a
// new review round's form, the theme), each section saved on its own and checked by the services; the last change
// can be undone. Also what this installation is and the keys between views.
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DataFolderSource, PaperReference } from '../../../../preload/contract';
import { call } from '../../api';
import { useStudio } from '../../store';
import type { SettingsSection } from '../../store/settingsSlice';
import { VIEWS } from '../../lib/views';
import type { ThemeChoice } from '../../lib/theme';

const SOURCE: Record<DataFolderSource, string> = {
  flag: 'given with --data-dir when the app was started',
  environment: 'given by the environment variable PREFERENCE_STUDIO_DATA',
  settings: 'chosen here',
  default: 'the default',
};

export function SettingsView() {
  const s = useStudio(useShallow((st) => ({
    appInfo: st.appInfo, theme: st.theme, setTheme: st.setTheme, guideHidden: st.guideHidden, setGuideHidden: st.setGuideHidden,
    settings: st.appSettings, draft: st.appSettingsDraft, setDraft: st.setAppSettingsDraft, busy: st.settingsBusy, saved: st.settingsSaved,
    load: st.loadSettings, save: st.saveSettings, resetDataFolder: st.resetDataFolder, undo: st.undoSettings,
  })));
  const [reference, setReference] = useState<PaperReference | null>(null);
  const { load } = s;
  useEffect(() => {
    void load();
    call('reference.paper', {}).then(setReference, () => setReference(null));
  }, [load]);
  const submit = (section: SettingsSection) => (e: FormEvent) => {
    e.preventDefault();
    void s.save(section);
  };
  const savedNote = (section: SettingsSection) => (s.saved === section
    ? <span className="muted small" role="status" data-testid={`settings-saved-${section}`}>Saved.</span> : null);
  const folder = s.settings?.dataFolder;
  const d = s.draft;
  const next = folder ? folder.chosen ?? folder.defaultFolder : '';

  return (
    <section className="view settings-view" aria-labelledby="settings-title" data-testid="view-settings">
      <div className="settings-head">
        <h1 id="settings-title">Settings</h1>
        {s.settings?.undo && (
          <button type="button" className="button" data-testid="settings-undo" disabled={s.busy} onClick={() => void s.undo()}>
            Undo the last change ({s.settings.undo})
          </button>
        )}
      </div>
      {!s.settings || !d || !folder ? <p className="muted">Loading the settings…</p> : (
        <div className="settings-grid">
          <form className="panel settings-section" onSubmit={submit('dataFolder')} aria-labelledby="settings-folder-title" data-testid="settings-data-folder-form">
            <h2 id="settings-folder-title">Data folder</h2>
            <p className="small">
              In use: <code data-testid="settings-data-dir">{folder.current}</code> ({SOURCE[folder.source]}). The desktop app, browser mode and
              the command line share it.
            </p>
            <label className="field">
              <span className="field-label">Open this folder from the next start (a full path; an empty folder starts with the demo project)</span>
              <input data-testid="settings-data-folder" value={d.dataFolder} spellCheck={false} onChange={(e) => s.setDraft({ dataFolder: e.target.value })} />
            </label>
            <div className="settings-actions">
              <button type="submit" className="button primary" data-testid="settings-save-data-folder" disabled={s.busy}>Choose this folder</button>
              {folder.chosen !== null && (
                <button type="button" className="button" data-testid="settings-default-data-folder" disabled={s.busy} onClick={() => void s.resetDataFolder()}>
                  Back to the default
                </button>
              )}
              {savedNote('dataFolder')}
            </div>
            <p className="small" data-testid="settings-data-folder-note" role="note">
              {folder.source === 'flag' || folder.source === 'environment'
                ? <>This folder was {SOURCE[folder.source]}, which comes before the one chosen here: started without it, the app opens <code>{next}</code>.</>
                : next === folder.current
                  ? 'The app opens this folder when it starts.'
                  : <>The app opens <code>{next}</code> when it next starts; until then it keeps using this one.
                    The data stays where it is: to take it along, copy this folder&rsquo;s files there while the app is closed.</>}
              {' '}A folder another running Preference Studio has open cannot be chosen.
            </p>
            <p className="muted small">Kept in <code>{folder.file}</code>; the database is <code>{s.appInfo?.databasePath ?? '…'}</code>.</p>
          </form>

          <form className="panel settings-section" onSubmit={submit('endpoint')} aria-labelledby="settings-endpoint-title" data-testid="settings-endpoint-form">
            <h2 id="settings-endpoint-title">Model endpoint for annotation</h2>
            <div className="settings-fields">
              <label className="field wide">
                <span className="field-label">Base URL (empty: OpenAI)</span>
                <input data-testid="settings-base-url" value={d.baseUrl} placeholder="https://api.openai.com/v1" spellCheck={false}
                  onChange={(e) => s.setDraft({ baseUrl: e.target.value })} />
              </label>
              <label className="field">
                <span className="field-label">Model</span>
                <input data-testid="settings-model" value={d.model} spellCheck={false} onChange={(e) => s.setDraft({ model: e.target.value })} />
              </label>
              <label className="field narrow">
                <span className="field-label">Requests at once</span>
                <input data-testid="settings-concurrency" inputMode="numeric" value={d.concurrency} onChange={(e) => s.setDraft({ concurrency: e.target.value })} />
              </label>
              <label className="field narrow">
                <span className="field-label">Cost cap per job (US$)</span>
                <input data-testid="settings-cost-cap" inputMode="decimal" placeholder="none" value={d.costCap} onChange={(e) => s.setDraft({ costCap: e.target.value })} />
              </label>
            </div>
            <div className="settings-actions">
              <button type="submit" className="button primary" data-testid="settings-save-endpoint" disabled={s.busy}>Save the endpoint</button>
              {savedNote('endpoint')}
            </div>
            <p className="muted small">
              The same endpoint as in <a href="#/annotate">Annotate</a>, where the rate limits, prices and the API key are set. The key is kept by the
              system keychain in the desktop app and read from <code>OPENAI_API_KEY</code> in browser mode; never in the database.
            </p>
          </form>

          <form className="panel settings-section" onSubmit={submit('review')} aria-labelledby="settings-review-title" data-testid="settings-review-form">
            <h2 id="settings-review-title">A new review round</h2>
            <div className="settings-fields">
              <label className="field narrow">
                <span className="field-label">Pairs per round</span>
                <input data-testid="settings-review-pairs" inputMode="numeric" value={d.pairs} onChange={(e) => s.setDraft({ pairs: e.target.value })} />
              </label>
              <label className="field">
                <span className="field-label">Drawn</span>
                <select data-testid="settings-review-strategy" value={d.strategy} onChange={(e) => s.setDraft({ strategy: e.target.value === 'stratified' ? 'stratified' : 'random' })}>
                  <option value="random">at random</option>
                  <option value="stratified">stratified by scenario</option>
                </select>
              </label>
              <label className="field narrow">
                <span className="field-label">Checkers per pair</span>
                <input data-testid="settings-review-per-pair" inputMode="numeric" placeholder="all" value={d.checkersPerPair}
                  onChange={(e) => s.setDraft({ checkersPerPair: e.target.value })} />
              </label>
            </div>
            <label className="inline-field">
              <input type="checkbox" data-testid="settings-review-blind" checked={d.blind} onChange={(e) => s.setDraft({ blind: e.target.checked })} />
              Blind: checkers do not see each other&rsquo;s verdicts
            </label>
            <div className="settings-actions">
              <button type="submit" className="button primary" data-testid="settings-save-review" disabled={s.busy}>Save the round defaults</button>
              {savedNote('review')}
            </div>
            <p className="muted small">What the <a href="#/review">Review</a> view&rsquo;s form for a new round starts with; each round can still be set on its own.</p>
          </form>

          <section className="panel settings-section" aria-labelledby="settings-appearance-title">
            <h2 id="settings-appearance-title">Appearance</h2>
            <div className="settings-form">
              <label className="inline-field">Theme{' '}
                <select data-testid="settings-theme" value={s.theme} onChange={(e) => s.setTheme(e.target.value as ThemeChoice)}>
                  <option value="system">as the system</option>
                  <option value="light">light</option>
                  <option value="dark">dark</option>
                </select>
              </label>
              <label className="inline-field">
                <input type="checkbox" data-testid="settings-guide" checked={!s.guideHidden} onChange={(e) => s.setGuideHidden(!e.target.checked)} />
                Show the getting-started steps in the navigation
              </label>
            </div>
            <p className="muted small">Kept for this window (the header&rsquo;s toggle too). Sampler settings are chosen where a fit starts (Dissect, Review&rsquo;s refit); judge groups and the style/substance split in <a href="#/compare">Compare</a>.</p>
          </section>

          <section className="panel settings-section" aria-labelledby="settings-install-title">
            <h2 id="settings-install-title">This installation</h2>
            <table className="kv" data-testid="settings-info">
              <tbody>
                <tr><th scope="row">Version</th><td>{s.appInfo?.version ?? '…'}</td></tr>
                <tr><th scope="row">Running as</th><td>{s.appInfo ? (s.appInfo.transport === 'electron' ? 'the desktop app (Electron)' : 'browser mode (served on 127.0.0.1)') : '…'}</td></tr>
              </tbody>
            </table>
            <p className="small" data-testid="settings-reference">
              {reference
                ? `Built in: the published effect strengths of ${Object.keys(reference.judgeSizes).length} judges on ${reference.groups.length} groups (Li et al., 2024), used to compare your judges with the paper's.`
                : 'Loading the built-in reference…'}
            </p>
          </section>

          <section className="panel settings-section" aria-labelledby="settings-keys-title">
            <h2 id="settings-keys-title">Keys between views</h2>
            <table className="kv">
              <tbody>
                {VIEWS.map((v) => (
                  <tr key={v.id}><th scope="row">{v.label}</th><td><kbd>Alt+{v.digit}</kbd> or <kbd>g</kbd> then <kbd>{v.letter}</kbd></td></tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </section>
  );
}
