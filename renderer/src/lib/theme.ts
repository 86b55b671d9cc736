// The colour theme: light, dark, or the system's. Kept in localStorage (a choice of this window, read before the
// first paint so that the app never flashes light) and applied as data-theme on <html>, which the styles and the
// charts follow.
import { readStored, writeStored } from './persist';

export type ThemeChoice = 'light' | 'dark' | 'system';
const THEME_KEY = 'preference-studio.theme';

export function storedTheme(): ThemeChoice {
  const stored = readStored<string>(THEME_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

const systemDark = () => typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;

/** The theme drawn for a choice. */
export const resolvedTheme = (choice: ThemeChoice): 'light' | 'dark' => (choice === 'system' ? (systemDark() ? 'dark' : 'light') : choice);

export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = resolvedTheme(choice);
}

export function keepTheme(choice: ThemeChoice): void {
  writeStored(THEME_KEY, choice === 'system' ? null : choice);
  applyTheme(choice);
}

/** Follows the system's theme while the choice is "system". */
export function watchSystemTheme(current: () => ThemeChoice): void {
  if (typeof window.matchMedia !== 'function') return;
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (current() === 'system') applyTheme('system');
  });
}
