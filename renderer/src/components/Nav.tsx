// Left navigation between the views, with their keyboard shortcuts in plain sight.
import { VIEWS, type ViewId } from '../lib/views';
import { GuideCard, VIEW_KEYS } from './HelpOverlay';

export function Nav({ current, pendingG }: { current: ViewId; pendingG: boolean }) {
  return (
    <nav className="app-nav" aria-label="Views">
      <ul>
        {VIEWS.map((v) => (
          <li key={v.id}>
            <a
              href={`#/${v.id}`}
              data-testid={`nav-${v.id}`}
              aria-current={v.id === current ? 'page' : undefined}
              aria-keyshortcuts={`Alt+${v.digit}`}
              className={v.id === current ? 'active' : undefined}
            >
              <span className="nav-label">{v.label}</span>
              <span className="nav-keys" aria-label={`Shortcut: Alt+${v.digit}, or g then ${v.letter}`}>
                <kbd>Alt+{v.digit}</kbd>
                <kbd>g {v.letter}</kbd>
              </span>
            </a>
          </li>
        ))}
      </ul>
      <GuideCard />
      <section className="shortcut-help" aria-label="Keys">
        {/* The other views show their own keys at the top of the view; every view's are behind "?". */}
        {current === 'data' && <h2>Keys in Data</h2>}
        {current === 'data' && <dl>
          {VIEW_KEYS.data.map(([keys, what]) => <div key={keys}><dt>{keys.split(' ').map((k) => <kbd key={k}>{k}</kbd>)}</dt><dd>{what}</dd></div>)}
        </dl>}
        <p className={`g-pending ${pendingG ? 'on' : ''}`} aria-live="polite">
          {pendingG ? 'g … press a view letter' : ''}
        </p>
      </section>
    </nav>
  );
}
