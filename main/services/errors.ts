// An error meant for the user: a stable code and one clear sentence. Anything else that escapes a handler is
// reported as INTERNAL with its message.
export class AppFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
