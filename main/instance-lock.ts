// One running Preference Studio per data folder. A second app instance on the same folder would share its
// database but not its jobs, caches and event sockets, so it is refused with the first one's pid and URL.
// The command line is not locked out: it is a second writer by design, and the database handles that.
// The lock is a file holding the holder's pid and URL: a lock whose process is gone (a crash, a SIGKILL) is
// taken over; it is removed when its holder exits.
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'preference-studio.lock';

export interface LockHolder { pid: number; url?: string }

export interface InstanceLock {
  readonly path: string;
  /** Records where this instance can be opened, for the message a second one shows. */
  setUrl(url: string): void;
  release(): void;
}

export class FolderInUseError extends Error {
  readonly code = 'FOLDER_IN_USE';
  constructor(readonly dataDir: string, readonly holder: LockHolder) {
    super(`The data folder ${dataDir} is in use by another Preference Studio (pid ${holder.pid}${holder.url ? `, open ${holder.url}` : ''}); `
      + 'to run a second one, give it another folder with --data-dir DIR.');
  }
}

/** Locks held by this process: a lock file naming our own pid but not in this set is a dead predecessor's (pid reuse). */
const held = new Set<string>();

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): { text: string; holder: LockHolder | null } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as LockHolder;
    return { text, holder: Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed : null };
  } catch {
    return { text, holder: null };
  }
}

/** The running instance (not this one) that holds `dataDir`, or null: a folder a second instance cannot open now. */
export function folderHolder(dataDir: string): LockHolder | null {
  const found = readHolder(join(dataDir, LOCK_FILE));
  return found?.holder && alive(found.holder.pid) ? found.holder : null;
}

/** Writes the whole record, then links it into place: another instance never reads a half-written lock. */
function create(path: string, holder: LockHolder): boolean {
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify(holder), { mode: 0o600 });
  try {
    linkSync(temporary, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A file system without hard links: exclusive create (the record is small enough to land in one write).
    try {
      writeFileSync(path, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw again;
    }
  } finally {
    unlinkSync(temporary);
  }
}

/** Takes the data folder's lock or throws FolderInUseError naming the instance that holds it. */
export function lockDataDir(dataDir: string): InstanceLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  if (held.has(path)) throw new FolderInUseError(dataDir, { pid: process.pid });
  const record: LockHolder = { pid: process.pid };
  for (let attempt = 0; !create(path, record); attempt++) {
    const found = readHolder(path);
    if (!found) continue; // released meanwhile
    if (found.holder && alive(found.holder.pid)) throw new FolderInUseError(dataDir, found.holder);
    // A dead holder's lock (or an unreadable one): remove it only if it is still the one judged stale, then retry.
    // Two instances taking over the same stale lock at the same instant is not ruled out; the bound keeps a
    // contested takeover from looping.
    if (attempt >= 3) throw new Error(`The lock ${path} could not be taken; if no Preference Studio is running, delete it.`);
    if (readHolder(path)?.text === found.text) unlinkSync(path);
  }
  held.add(path);
  const release = () => {
    if (!held.delete(path)) return;
    process.off('exit', release);
    // Only our own record is removed: never another instance's.
    if (readHolder(path)?.holder?.pid === process.pid) unlinkSync(path);
  };
  process.on('exit', release);
  return {
    path,
    setUrl(url) {
      record.url = url;
      // Replaced whole (rename is atomic), so a second instance never reads a half-written record.
      const temporary = `${path}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify(record), { mode: 0o600 });
      renameSync(temporary, path);
    },
    release,
  };
}
