// The window's size and place, remembered between launches in a small JSON file in the data folder. A saved
// place on a display that is no longer attached is dropped (the window would open out of sight).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface Rect { x: number; y: number; width: number; height: number }
export interface WindowState { bounds: Rect; maximized: boolean }

export const DEFAULT_SIZE = { width: 1400, height: 900 };
const MIN_SIZE = { width: 640, height: 480 };

function isRect(value: unknown): value is Rect {
  const r = value as Rect | null;
  return typeof r === 'object' && r !== null && ['x', 'y', 'width', 'height'].every((k) => Number.isFinite(r[k as keyof Rect]));
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The saved state if it is readable and lies on one of `workAreas`; otherwise null (default place). */
export function loadWindowState(file: string, workAreas: Rect[]): WindowState | null {
  let saved: Partial<WindowState> | null;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState> | null;
  } catch {
    return null;
  }
  if (!saved || !isRect(saved.bounds) || saved.bounds.width < MIN_SIZE.width || saved.bounds.height < MIN_SIZE.height) return null;
  const bounds = saved.bounds;
  if (!workAreas.some((area) => overlaps(bounds, area))) return null;
  return { bounds, maximized: saved.maximized === true };
}

export function saveWindowState(file: string, state: WindowState): void {
  // Written beside and renamed, so a crash never leaves half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}
