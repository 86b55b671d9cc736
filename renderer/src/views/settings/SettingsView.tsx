// Settings: where this installation keeps its data and how to move it, and where each kind of setting lives
// (the model endpoint is set in Annotate, sampler settings where fits are started).
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PaperReference } from '../../../../preload/contract';
import { call } from '../../api';
import { useStudio } from '../../store';
import { VIEWS } from '../../lib/views';
import type { ThemeChoice } from '../../lib/theme';

export function SettingsView() {
  const { appInfo, theme, setTheme, guideHidden, setGuideHidden } = useStudio(useShallow((s) => ({
    appInfo: s.appInfo, theme: s.theme, setTheme: s.setTheme, guideHidden: s.guideHidden, setGuideHidden: s.setGuideHidden,
  })));
  const [reference, setReference] = useState<PaperReference | null>(null);
  useEffect(() => {
    call('reference.paper', {}).then(setReference, () => setReference(null));
  }, []);
  return (
    <section className="view settings-view" aria-labelledby="settings-title" data-testid="view-settings">
      <h1 id="settings-title">Settings</h1>
      <h2>Appearance</h2>
      <div className="settings-form">
        <label className="inline-field">Theme{' '}
          <select data-testid="settings-theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
            <option value="system">as the system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <label className="inline-field">
          <input type="checkbox" data-testid="settings-guide" checked={!guideHidden} onChange={(e) => setGuideHidden(!e.target.checked)} />
          Show the getting-started steps in the navigation
        </label>
      </div>
      <h2>This installation</h2>
      <table className="kv" data-testid="settings-info">
        <tbody>
          <tr><th scope="row">Version</th><td>{appInfo?.version ?? '…'}</td></tr>
          <tr><th scope="row">Running as</th><td>{appInfo ? (appInfo.transport === 'electron' ? 'the desktop app (Electron)' : 'browser mode (served on 127.0.0.1)') : '…'}</td></tr>
          <tr><th scope="row">Data folder</th><td><code data-testid="settings-data-dir">{appInfo?.dataDir ?? '…'}</code></td></tr>
          <tr><th scope="row">Database</th><td><code>{appInfo?.databasePath ?? '…'}</code></td></tr>
        </tbody>
      </table>
      <p className="muted">
        The desktop app, browser mode and the command line share this folder. To keep the data elsewhere, start with
        the environment variable <code>PREFERENCE_STUDIO_DATA</code> set to another folder (browser mode also takes
        <code> --data-dir</code>; the command line takes <code>--db</code>). Copy the folder while the app is closed to back it up.
      </p>
      <h2>Where settings live</h2>
      <ul>
        <li>The model endpoint (model, base URL, rate limits, prices) and the API key: the <a href="#/annotate">Annotate</a> view. The key is kept by the system keychain in the desktop app and read from <code>OPENAI_API_KEY</code> in browser mode; it is never written to the database.</li>
        <li>Sampler settings (chains, warmup, draws, folds, prior scale, seed): where a fit is started, in <a href="#/dissect">Dissect</a> and in Review's refit.</li>
        <li>Judge groups and the style/substance split: in <a href="#/compare">Compare</a>.</li>
      </ul>
      <h2>The paper's reference</h2>
      <p data-testid="settings-reference">
        {reference
          ? `Built in: the published effect strengths of ${Object.keys(reference.judgeSizes).length} judges on ${reference.groups.length} groups (Li et al., 2024), used to compare your judges with the paper's.`
          : 'Loading the built-in reference…'}
      </p>
      <h2>Keys between views</h2>
      <table className="kv">
        <tbody>
          {VIEWS.map((v) => (
            <tr key={v.id}><th scope="row">{v.label}</th><td><kbd>Alt+{v.digit}</kbd> or <kbd>g</kbd> then <kbd>{v.letter}</kbd></td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
