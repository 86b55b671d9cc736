// An error meant for the user: a stable code and one clear sentence. Anything else that escapes a handler is
// reported as INTERNAL with its message.
export class AppFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export const BUSY_MESSAGE = 'Another program (the command line or a second Preference Studio) is writing this database; try again when it has finished, or close it.';

/**
 * SQLite's bare "database is locked" (SQLITE_BUSY once the busy timeout has passed, SQLITE_LOCKED, and their
 * extended codes) as the sentence a user can act on; any other error as it is. Both the app's replies and the
 * command line's messages pass their errors through here.
 */
export function userFailure(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code) ? new AppFailure('BUSY', BUSY_MESSAGE) : err;
}
