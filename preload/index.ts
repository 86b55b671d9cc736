// Electron's half of the contract: exposes `window.studio` (invoke + on) through contextBridge. The renderer
// never sees ipcRenderer itself, and only the channels and events of the contract are reachable.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, type Channel, type EventName, type Events, type Reply, type Req, type Res, type Transport } from './contract';

const allowed = new Set<string>(CHANNELS);
// The events the main process pushes; a missing one is a compile error, an unknown name gets no listener.
const EVENT_SET: Record<EventName, true> = { 'job.progress': true, 'review.changed': true, 'menu.import': true };

const studio: Transport = {
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Reply<Res<C>>> {
    if (!allowed.has(channel)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no call named "${channel}".` } });
    return ipcRenderer.invoke(channel, req) as Promise<Reply<Res<C>>>;
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
    if (!Object.hasOwn(EVENT_SET, event)) return () => {};
    const wrapped = (_: unknown, payload: Events[E]) => listener(payload);
    ipcRenderer.on(`event:${event}`, wrapped);
    return () => ipcRenderer.removeListener(`event:${event}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('studio', studio);
