/**
 * Trace-id-affine routing in front of N collector replicas: what a first tier running the
 * `loadbalancing` exporter with `routing_key: traceID` does, so every span of a trace reaches the
 * same replica (and its own tail-sampling buffer and memory limit).
 *
 *   SDK export batch ──split by replicaOf(traceId)──► sub-batch 0 ──► replica 0 receiver
 *                                                   ├► sub-batch 1 ──► replica 1 receiver
 *                                                   └► …
 *
 * `replicaOf` = FNV-1a 32 over the 16 trace-id bytes (the id's char codes), mod N. (The loadbalancing exporter places
 * backends on a consistent-hash ring so that membership changes move few keys; with a fixed
 * replica count any uniform hash gives the same per-replica load distribution.)
 *
 * Sub-batches keep the batch's resource → scope → span grouping. Every replica after the first
 * gets its own copy of the resource and scope attributes, since processors (resource, attributes)
 * edit them in place and the consumer contract hands each replica its batch.
 */
import type { InstrumentationScope, Resource, ResourceSpans, ScopeSpans, Span, TraceBatch } from '../protocol/otlp/model.js';
import { spanCount } from '../protocol/otlp/model.js';

/** FNV-1a 32-bit of a trace id (binary string), mod `replicas`. */
export function replicaOf(traceId: string, replicas: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < traceId.length; i++) {
    h ^= traceId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % replicas;
}

/**
 * Splits `batch` into one sub-batch per replica (`undefined` where a replica gets no span). With
 * one replica the batch itself is returned.
 */
export function splitByReplica(batch: TraceBatch, replicas: number): (TraceBatch | undefined)[] {
  if (replicas === 1) return [batch];
  const out: (TraceBatch | undefined)[] = new Array(replicas).fill(undefined);
  for (const rs of batch.resourceSpans) {
    const perReplicaScopes: (ScopeSpans[] | undefined)[] = new Array(replicas).fill(undefined);
    for (const ss of rs.scopeSpans) {
      const buckets: (Span[] | undefined)[] = new Array(replicas).fill(undefined);
      let lastId: string | undefined;
      let lastReplica = 0;
      for (const span of ss.spans) {
        // Spans of one trace are usually adjacent: hash once per run of the same id.
        if (span.traceId !== lastId) {
          lastId = span.traceId;
          lastReplica = replicaOf(span.traceId, replicas);
        }
        (buckets[lastReplica] ??= []).push(span);
      }
      for (let r = 0; r < replicas; r++) {
        const spans = buckets[r];
        if (!spans) continue;
        (perReplicaScopes[r] ??= []).push({ scope: r === 0 ? ss.scope : copyScope(ss.scope), spans, schemaUrl: ss.schemaUrl });
      }
    }
    for (let r = 0; r < replicas; r++) {
      const scopes = perReplicaScopes[r];
      if (!scopes) continue;
      const sub: ResourceSpans = { resource: r === 0 ? rs.resource : copyResource(rs.resource), scopeSpans: scopes, schemaUrl: rs.schemaUrl };
      (out[r] ??= { resourceSpans: [] }).resourceSpans.push(sub);
    }
  }
  return out;
}

/** Per-replica load counters for the report's `replicas` section. */
export class ReplicaLoad {
  readonly spansReceived: number[];
  readonly tracesReceived: number[];
  readonly peakTracesHeld: number[];
  readonly peakHeldBytes: number[];

  constructor(replicas: number) {
    this.spansReceived = new Array<number>(replicas).fill(0);
    this.tracesReceived = new Array<number>(replicas).fill(0);
    this.peakTracesHeld = new Array<number>(replicas).fill(0);
    this.peakHeldBytes = new Array<number>(replicas).fill(0);
  }

  countBatch(replica: number, batch: TraceBatch): void {
    this.spansReceived[replica]! += spanCount(batch);
  }

  observe(replica: number, tracesHeld: number, heldBytes: number): void {
    if (tracesHeld > this.peakTracesHeld[replica]!) this.peakTracesHeld[replica] = tracesHeld;
    if (heldBytes > this.peakHeldBytes[replica]!) this.peakHeldBytes[replica] = heldBytes;
  }
}

function copyResource(r: Resource): Resource {
  return structuredClone(r);
}

function copyScope(s: InstrumentationScope): InstrumentationScope {
  return structuredClone(s);
}
