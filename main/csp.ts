// The renderer's Content-Security-Policy, the same in the Electron window and in browser mode: no remote code,
// no inline scripts, connections only back to this machine.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');
