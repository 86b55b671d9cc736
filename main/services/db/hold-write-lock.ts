// For tests of two writers on one database: a second program (a child `node` with its own better-sqlite3
// connection) that takes the database's write lock with BEGIN IMMEDIATE and holds it.
import { spawn } from 'node:child_process';

const HOLDER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
const release = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
const ms = Number(process.argv[2]);
if (ms > 0) setTimeout(release, ms); else process.stdin.once('data', release);
`;

export interface LockHolder {
  /** Ends the hold now (the child commits its empty transaction and exits). */
  release(): Promise<void>;
  /** Settles when the child has let go of the lock and exited. */
  exited: Promise<void>;
}

/** Resolves once the child holds the write lock; it lets go after `ms` milliseconds, or when released (no `ms`). */
export function holdWriteLock(path: string, ms = 0): Promise<LockHolder> {
  const child = spawn(process.execPath, ['-e', HOLDER, path, String(ms)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the lock holder exited with ${code}: ${stderr}`)))));
  return new Promise((resolve, reject) => {
    exited.catch(reject);
    child.stdout.once('data', () => resolve({
      exited,
      release: () => {
        child.stdin.end('release\n');
        return exited;
      },
    }));
  });
}
