// The renderer's only way to the services: the contract, over whichever transport this window has.
import type { AppError, Channel, Req, Res, Transport } from '../../../preload/contract';
import { checkerOfLink, createBridgeTransport } from './bridge-client';

declare global {
  interface Window {
    /** Set by preload/index.ts in the Electron app; absent in browser mode. */
    studio?: Transport;
  }
}

export const transport: Transport = window.studio ?? createBridgeTransport();

/** In a page opened from a review checker's link: that checker's id (the page is their review and nothing else). */
export const linkedChecker: number | null = window.studio ? null : checkerOfLink();

export class ApiError extends Error {
  readonly code: string;
  constructor(error: AppError) {
    super(error.message);
    this.code = error.code;
  }
}

/** Calls a channel and returns its result, or throws an ApiError carrying the service's message. */
export async function call<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  const reply = await transport.invoke(channel, req);
  if (!reply.ok) throw new ApiError(reply.error);
  return reply.res;
}
