/**
 * `sendSdkExport`: the wiring between the replicas' SDK clients and the SDK model's backpressure
 * (hold while any part of the export is retried, settle once when the last retried part ends).
 */
import { describe, expect, it } from 'vitest';
import { sendSdkExport, type ExportClient } from '../../../src/engine/sdk-export.js';
import { replicaOf } from '../../../src/engine/replica-router.js';
import type { SettledListener, SettledOutcome } from '../../../src/engine/sdk-client.js';
import type { SdkFeedback } from '../../../src/generator/traffic.js';
import { idFromBytes, type TraceBatch } from '../../../src/protocol/otlp/model.js';
import { makeBatch, makeSpan } from '../../helpers/spans.js';

/** A client that ends each export on its first attempt or keeps it "retrying" until `settle`. */
class ScriptedClient implements ExportClient {
  readonly sent: TraceBatch[] = [];
  readonly listeners: (SettledListener | undefined)[] = [];
  private readonly _retries: boolean;
  constructor(retries: boolean) {
    this._retries = retries;
  }
  async send(batch: TraceBatch, onSettled?: SettledListener): Promise<boolean> {
    this.sent.push(batch);
    this.listeners.push(onSettled);
    return !this._retries;
  }
  settle(atMs: number, outcome: SettledOutcome): void {
    this.listeners.at(-1)!(atMs, outcome);
  }
}

function recorder(): SdkFeedback & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    attachEngineClock: () => {},
    holdExport: (i, seq, at) => void calls.push(`hold ${i}/${seq} from ${at}`),
    exportSettled: (i, seq, at, roundTrip) => void calls.push(`settled ${i}/${seq} at ${at}${roundTrip ? ' +round trip' : ''}`),
    exportDurationMs: () => 5,
  };
}

/** A batch with spans of traces that route to replica 0 and to replica 1 (of 2). */
function twoReplicaBatch(): TraceBatch {
  const traceId = (last: number) => idFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? last : 7)));
  const ids = [...Array(16).keys()].map(traceId);
  const to0 = ids.find((t) => replicaOf(t, 2) === 0)!;
  const to1 = ids.find((t) => replicaOf(t, 2) === 1)!;
  return makeBatch([makeSpan({ traceId: to0 }), makeSpan({ traceId: to1 })]);
}

const id = { instanceIndex: 3, exportSeq: 9, atMs: 500 };

describe('sendSdkExport', () => {
  it('holds nothing when the export ends on its first attempt', async () => {
    const fb = recorder();
    const client = new ScriptedClient(false);
    await sendSdkExport(id, makeBatch([makeSpan()]), [client], fb);
    expect(client.sent).toHaveLength(1);
    expect(fb.calls).toEqual([]);
  });

  it('holds the SDK from the export time; settles once, when the last retried part ends, a round trip later', async () => {
    const fb = recorder();
    const clients = [new ScriptedClient(true), new ScriptedClient(true)];
    await sendSdkExport(id, twoReplicaBatch(), clients, fb);
    expect(clients.map((c) => c.sent.length)).toEqual([1, 1]);
    expect(fb.calls).toEqual(['hold 3/9 from 500']);
    clients[1]!.settle(1_000, 'ok');
    expect(fb.calls).toHaveLength(1); // part 0 is still being retried
    clients[0]!.settle(3_000, 'failed');
    expect(fb.calls).toEqual(['hold 3/9 from 500', 'settled 3/9 at 3000 +round trip']);
  });

  it('holds while only one part is retried; a stopped client frees the SDK at once', async () => {
    const fb = recorder();
    const clients = [new ScriptedClient(false), new ScriptedClient(true)];
    await sendSdkExport(id, twoReplicaBatch(), clients, fb);
    expect(fb.calls).toEqual(['hold 3/9 from 500']);
    clients[1]!.settle(9_000, 'stopped');
    expect(fb.calls).toEqual(['hold 3/9 from 500', 'settled 3/9 at 9000']);
  });

  it('without feedback (replay) it only sends, asking for no settle callback', async () => {
    const clients = [new ScriptedClient(true), new ScriptedClient(true)];
    await sendSdkExport(id, twoReplicaBatch(), clients, undefined);
    expect(clients.map((c) => c.sent.length)).toEqual([1, 1]);
    expect(clients.flatMap((c) => c.listeners)).toEqual([undefined, undefined]);
  });
});
