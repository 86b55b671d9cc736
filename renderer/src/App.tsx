// The shell: header, navigation, the alert region and the current view. Navigation lives in the URL hash
// (#/data, #/annotate, ...) so reloads and back/forward keep the view; the store mirrors it.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from './store';
import { transport } from './api';
import { VIEWS, viewFromHash, type ViewDef } from './lib/views';
import { isEditable } from './lib/keys';
import { Header } from './components/Header';
import { Nav } from './components/Nav';
import { AlertRegion } from './components/AlertRegion';
import { HelpOverlay } from './components/HelpOverlay';
import { SettingsView } from './views/settings/SettingsView';
import { DataView } from './views/data/DataView';
import { DissectView } from './views/dissect/DissectView';
import { CompareView } from './views/compare/CompareView';
import { ExportView } from './views/export/ExportView';
import { ReviewView } from './views/review/ReviewView';
import { AnnotateView } from './views/annotate/AnnotateView';

/** How long "g" waits for the view letter. */
const G_TIMEOUT_MS = 1500;

function goTo(view: ViewDef) {
  window.location.hash = `#/${view.id}`;
}

export function App() {
  const { view, setView, loadAppInfo, loadStudies, loadProperties } = useStudio(useShallow((s) => ({
    view: s.view, setView: s.setView, loadAppInfo: s.loadAppInfo, loadStudies: s.loadStudies, loadProperties: s.loadProperties,
  })));
  const [pendingG, setPendingG] = useState(false);

  useEffect(() => {
    void loadAppInfo();
    void loadStudies();
    void loadProperties();
  }, [loadAppInfo, loadStudies, loadProperties]);

  // File > Import in the Electron app: the chosen file goes to the Data view's import form.
  useEffect(() => transport.on('menu.import', ({ fileName, bytes }) => {
    window.location.hash = '#/data';
    void useStudio.getState().importFile(new File([bytes], fileName));
  }), []);

  useEffect(() => {
    const onHash = () => {
      const next = viewFromHash(window.location.hash);
      if (next) setView(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [setView]);

  // View shortcuts, in the capture phase so they win over a view's own keys: Alt+1..7 anywhere, and "g" then a
  // letter outside text fields. A consumed key is marked with preventDefault for the views' handlers.
  useEffect(() => {
    let gAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const clearG = () => {
      gAt = 0;
      clearTimeout(timer);
      setPendingG(false);
    };
    const onKey = (e: KeyboardEvent) => {
      // While help is open, its dialog has the keys (Esc closes it): the views behind it get none.
      if (useStudio.getState().helpOpen) {
        if (e.key !== 'Escape' && e.key !== 'Tab' && e.key !== 'Enter' && e.key !== ' ') e.stopPropagation();
        return;
      }
      if (e.defaultPrevented || e.repeat) return;
      if (e.key === '?' && !e.altKey && !e.ctrlKey && !e.metaKey && !isEditable(e.target)) {
        e.preventDefault();
        clearG();
        useStudio.getState().setHelpOpen(true);
        return;
      }
      const digit = /^Digit([1-9])$/.exec(e.code);
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && digit) {
        const target = VIEWS.find((v) => v.digit === Number(digit[1]));
        if (target) {
          e.preventDefault();
          clearG();
          goTo(target);
        }
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      if (gAt && Date.now() - gAt < G_TIMEOUT_MS) {
        const target = VIEWS.find((v) => v.letter === e.key.toLowerCase());
        clearG();
        if (target) {
          e.preventDefault();
          goTo(target);
        }
        return;
      }
      if (e.key === 'g' && !e.shiftKey) {
        e.preventDefault();
        gAt = Date.now();
        setPendingG(true);
        clearTimeout(timer);
        timer = setTimeout(clearG, G_TIMEOUT_MS);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      clearTimeout(timer);
    };
  }, []);

  // A file dropped outside the Data view's drop zone must not replace the app with the file (the browser's
  // and Electron's default); the Data view handles drops itself, before these listeners.
  useEffect(() => {
    const block = (e: DragEvent) => {
      if (e.defaultPrevented || !e.dataTransfer || !Array.from(e.dataTransfer.types).includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', block);
    window.addEventListener('drop', block);
    return () => {
      window.removeEventListener('dragover', block);
      window.removeEventListener('drop', block);
    };
  }, []);

  const current = VIEWS.find((v) => v.id === view) ?? VIEWS[0];
  return (
    <div className="app">
      <Header />
      <div className="app-body">
        <Nav current={view} pendingG={pendingG} />
        <main className="app-main" aria-label={current.label}>
          <AlertRegion />
          {current.id === 'settings' ? <SettingsView />
            : current.id === 'dissect' ? <DissectView />
            : current.id === 'compare' ? <CompareView />
            : current.id === 'export' ? <ExportView />
            : current.id === 'review' ? <ReviewView />
            : current.id === 'annotate' ? <AnnotateView />
            : <DataView />}
        </main>
      </div>
      <HelpOverlay />
    </div>
  );
}
