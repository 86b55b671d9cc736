// Browser mode's half of the contract: calls as POST /api/<channel>, events over a WebSocket, both carrying the
// per-run token the server printed in the URL (kept in sessionStorage, then removed from the address bar).
import type { Channel, EventName, Events, Reply, Req, Res, Transport } from '../../../preload/contract';

const TOKEN_KEY = 'preference-studio-token';

function sessionToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** The checker a review checker's link is for (its token is "c<id>-…", main/bridge.ts), or null for the coordinator. */
export function checkerOfLink(): number | null {
  const m = /^c(\d+)-/.exec(sessionStorage.getItem(TOKEN_KEY) ?? '');
  return m ? Number(m[1]) : null;
}

export function createBridgeTransport(): Transport {
  const token = sessionToken();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  const connect = () => {
    const socket = new WebSocket(`ws://${window.location.host}/events?token=${encodeURIComponent(token)}`);
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: EventName; payload: never };
      listeners.get(event)?.forEach((listener) => listener(payload));
    };
    // The server may restart (it is a plain process in browser mode): reconnect quietly.
    socket.onclose = () => setTimeout(connect, 1000);
  };

  // Open at once: a job's events sent before a lazily opened socket connects would be lost to its view, and a
  // short job's last event is the one that says it ended.
  connect();

  return {
    async invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Reply<Res<C>>> {
      try {
        const response = await fetch(`/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-studio-token': token },
          body: JSON.stringify(req),
        });
        return (await response.json()) as Reply<Res<C>>;
      } catch (err) {
        return { ok: false, error: { code: 'OFFLINE', message: `The Preference Studio server did not answer (${(err as Error).message}).` } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
