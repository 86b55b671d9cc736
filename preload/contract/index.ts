// The one contract between the renderer and main: every call (channel -> request, reply) and every pushed
// event. Types only, JSON-safe payloads. Two transports implement it: Electron IPC (preload/index.ts) and the
// loopback HTTP/WebSocket bridge of browser mode (main/bridge.ts, renderer/src/api/bridge-client.ts).
// Split by domain (one file each); this index joins them so `import ... from 'preload/contract'` sees one contract.

import type { AppContract, JobProgress, Reply } from './common';
import type { DataContract } from './data';
import type { DissectContract } from './dissect';
import type { InsightContract } from './insight';
import type { ReviewContract } from './review';
import type { AnnotateContract } from './annotate';
import type { SettingsContract } from './settings';
export * from './common';
export * from './data';
export * from './dissect';
export * from './insight';
export * from './review';
export * from './corrected';
export * from './annotate';
export * from './groups';
export * from './settings';

/** Every channel: the domains' contracts joined. */
export interface Contract extends AppContract, DataContract, DissectContract, InsightContract, ReviewContract, AnnotateContract, SettingsContract {}

export type Channel = keyof Contract;
export type Req<C extends Channel> = Contract[C]['req'];
export type Res<C extends Channel> = Contract[C]['res'];

export interface Events {
  'job.progress': JobProgress;
  /** Verdicts, settlements or a merged return changed a review round: its agreement is out of date. */
  'review.changed': { roundId: number };
  /** Electron only: the file File > Import chose, for the Data view. */
  'menu.import': { fileName: string; bytes: Uint8Array<ArrayBuffer> };
}
export type EventName = keyof Events;

/** What both transports give the renderer. */
export interface Transport {
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Reply<Res<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

// Every channel once; a channel missing here is a compile error, so IPC registration cannot forget one.
const CHANNEL_SET: Record<Channel, true> = {
  'app.info': true, 'studies.list': true, 'studies.rename': true, 'studies.delete': true, 'studies.deleteImpact': true, 'pairs.query': true,
  'pairs.facets': true, 'pairs.get': true, 'pairs.groups': true, 'pairs.setScenario': true, 'judges.list': true, 'properties.list': true, 'reference.paper': true,
  'import.file': true, 'import.preview': true, 'jobs.cancel': true, 'dissect.groups': true, 'dissect.fit': true, 'dissect.preview': true,
  'dissect.fits': true,
  'insight.effects': true, 'insight.accuracy': true, 'insight.similarity': true, 'insight.styleSubstance': true,
  'insight.explainPair': true, 'insight.pelo': true, 'insight.systemMessage': true, 'insight.dpo': true, 'insight.table': true,
  'insight.fileName': true,
  'review.rounds': true, 'review.createRound': true, 'review.deleteRound': true, 'review.addChecker': true, 'review.setNotes': true, 'review.pair': true, 'review.roundPair': true, 'review.checkerRound': true, 'review.checkerLink': true,
  'review.verdict': true, 'review.addMissedError': true, 'review.approveRest': true, 'review.undo': true, 'review.redo': true,
  'review.cursor': true, 'review.agreement': true, 'review.disagreements': true, 'review.adjudicate': true, 'review.table': true,
  'review.refit': true, 'review.refits': true, 'review.corrected': true, 'review.correctedTable': true, 'review.makePackage': true, 'review.openPackage': true, 'review.makeReturn': true,
  'review.mergeReturn': true, 'review.returns': true, 'review.settleReturn': true, 'review.search': true, 'review.settleMany': true,
  'annotate.settings': true, 'annotate.saveSettings': true, 'annotate.setKey': true, 'annotate.checkConnection': true, 'annotate.estimate': true,
  'annotate.start': true, 'annotate.jobs': true, 'annotate.items': true, 'annotate.pause': true, 'annotate.resume': true,
  'annotate.cancel': true, 'annotate.retry': true, 'annotate.judgeReport': true, 'annotate.reasons': true, 'annotate.table': true,
  'settings.get': true, 'settings.save': true, 'settings.undo': true,
};
export const CHANNELS = Object.keys(CHANNEL_SET) as Channel[];
