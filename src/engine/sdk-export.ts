/**
 * One SDK export into the collector, through the SDK client of each replica it touches, with the
 * backpressure feedback to the SDK model (`SdkFeedback`, generator/traffic.ts):
 *
 *   export ──split by replica──► part r ──► clients[r].send ──► ended on its first attempt?
 *                                                             └─► no: retried; onSettled later
 *   some part retried ──► holdExport(instance, seq, atMs)
 *   the last retried part ends ──► exportSettled(instance, seq, atMs, roundTrip)
 *
 * The SDK is held from the export's own time (the refusal is instant in virtual time) until its
 * last retried part ends; that attempt's response takes one more round trip, unless the run
 * stopped the client.
 */
import type { SdkFeedback } from '../generator/traffic.js';
import type { TraceBatch } from '../protocol/otlp/model.js';
import { splitByReplica } from './replica-router.js';
import type { SettledListener } from './sdk-client.js';

/** What `sendSdkExport` needs of an `SdkClient`. */
export interface ExportClient {
  /** Resolves after the first attempt to whether the export has ended; else `onSettled` is called when it does. */
  send(batch: TraceBatch, onSettled?: SettledListener): Promise<boolean>;
}

/** The export as the SDK model numbered it. */
export interface ExportIdentity {
  instanceIndex: number;
  exportSeq: number;
  atMs: number;
}

/** Sends `batch` (export `id`) to `clients[r]` for each replica r with spans of it; holds the SDK while any part is retried. */
export async function sendSdkExport(id: ExportIdentity, batch: TraceBatch, clients: readonly ExportClient[], feedback: SdkFeedback | undefined): Promise<void> {
  const parts = splitByReplica(batch, clients.length);
  let retrying = 0;
  let held = false;
  const onSettled: SettledListener | undefined =
    feedback &&
    ((atMs, outcome) => {
      if (--retrying === 0 && held) feedback.exportSettled(id.instanceIndex, id.exportSeq, atMs, outcome !== 'stopped');
    });
  for (let r = 0; r < parts.length; r++) {
    const part = parts[r];
    if (!part) continue;
    retrying++;
    if (await clients[r]!.send(part, onSettled)) retrying--;
  }
  if (feedback && retrying > 0) {
    held = true;
    feedback.holdExport(id.instanceIndex, id.exportSeq, id.atMs);
  }
}
