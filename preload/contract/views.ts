// The app's views and their navigation keys: named in both processes (the navigation here, the desktop Help menu).
export type ViewId = 'data' | 'annotate' | 'review' | 'dissect' | 'compare' | 'export' | 'settings';

export interface ViewDef {
  id: ViewId;
  label: string;
  /** Alt+<digit> jumps here. */
  digit: number;
  /** "g" then this letter jumps here. */
  letter: string;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'data', label: 'Data', digit: 1, letter: 'd' },
  { id: 'annotate', label: 'Annotate', digit: 2, letter: 'a' },
  { id: 'review', label: 'Review', digit: 3, letter: 'r' },
  { id: 'dissect', label: 'Dissect', digit: 4, letter: 'i' },
  { id: 'compare', label: 'Compare', digit: 5, letter: 'c' },
  { id: 'export', label: 'Export', digit: 6, letter: 'e' },
  { id: 'settings', label: 'Settings', digit: 7, letter: 's' },
];
