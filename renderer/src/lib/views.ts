// The app's views, their navigation keys and what the shell shows for them. Only Data is delivered so far.
export type ViewId = 'data' | 'annotate' | 'review' | 'dissect' | 'compare' | 'export' | 'settings';

export interface ViewDef {
  id: ViewId;
  label: string;
  /** Alt+<digit> jumps here. */
  digit: number;
  /** "g" then this letter jumps here. */
  letter: string;
  built: boolean;
  /** One honest sentence for views that are not built yet. */
  notice?: string;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'data', label: 'Data', digit: 1, letter: 'd', built: true },
  { id: 'annotate', label: 'Annotate', digit: 2, letter: 'a', built: false,
    notice: 'The Annotate view is not built yet; for now, pairs can be imported with their annotations in the Data view.' },
  { id: 'review', label: 'Review', digit: 3, letter: 'r', built: false,
    notice: 'The Review view is not built yet.' },
  { id: 'dissect', label: 'Dissect', digit: 4, letter: 'i', built: false,
    notice: 'The Dissect view is not built yet.' },
  { id: 'compare', label: 'Compare', digit: 5, letter: 'c', built: false,
    notice: 'The Compare view is not built yet.' },
  { id: 'export', label: 'Export', digit: 6, letter: 'e', built: false,
    notice: 'The Export view is not built yet.' },
  { id: 'settings', label: 'Settings', digit: 7, letter: 's', built: false,
    notice: 'The Settings view is not built yet.' },
];

export function viewFromHash(hash: string): ViewId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return VIEWS.some((v) => v.id === id) ? (id as ViewId) : null;
}
