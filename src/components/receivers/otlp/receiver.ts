/**
 * The `otlp` receiver: OTLP/gRPC and OTLP/HTTP in, one `TracesConsumer` out.
 *
 * ```
 *  sim:  engine ──consumeTraces(batch)──────────────┐
 *  live: gRPC  Export ─► decode ─┐                  ▼
 *        HTTP  POST   ─► decode ─┴─► deliver ─► next.consumeTraces ─► accepted | refused
 * ```
 *
 * Contracts:
 * - sim mode binds nothing; the engine calls `consumeTraces` directly. live mode listens on the
 *   configured endpoints (port 0 picks a free port; `endpoints()` tells the real one).
 * - Telemetry (labels `receiver`, `transport` = grpc | http | sim): `otelcol_receiver_accepted_spans`
 *   when `next` accepted; `otelcol_receiver_refused_spans` when it rejected (any error, as
 *   upstream counts with `receiverhelper.newReceiverMetrics` off); `otelcol_receiver_requests`
 *   by `outcome` = success | refused | failure, where failure is a request rejected before any
 *   span could be read (malformed, oversized, wrong media type).
 * - Ledger: the receiver never reports drops. A refusal goes back to the sender (gRPC UNAVAILABLE
 *   with RetryInfo, HTTP 503 with Retry-After, or the permanent mapping), and the sender owns
 *   what happens next: a client that retries sends the spans again; one that gives up counts
 *   `client_gave_up`. In sim mode the engine's client model plays the sender, so the rule is
 *   the same. Undecodable payloads cannot be attributed to spans: telemetry only.
 */
import type { Component, Host, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { ShutdownError } from '../../../pipeline/errors.js';
import type { Counter } from '../../../pipeline/telemetry.js';
import { spanCount, type TraceBatch } from '../../../protocol/otlp/model.js';
import type { OtlpReceiverConfig } from './config.js';

export type ReceiverTransport = 'grpc' | 'http' | 'sim';

/** Where a live receiver listens, with the real port. */
export interface BoundEndpoint {
  receiver: string;
  protocol: 'grpc' | 'http';
  host: string;
  port: number;
}

/** Implemented by receivers that listen on the network (the collector command prints these). */
export interface ListeningReceiver {
  endpoints(): BoundEndpoint[];
}

export function isListeningReceiver(c: object): c is ListeningReceiver {
  return typeof (c as Partial<ListeningReceiver>).endpoints === 'function';
}

/** Outcome of handing one decoded request downstream. */
export type Delivery = { ok: true } | { ok: false; error: unknown };

/** A running network server of the receiver. */
export interface ProtocolServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

interface TransportCounters {
  accepted: Counter;
  refused: Counter;
  success: Counter;
  refusedRequests: Counter;
  failure: Counter;
}

export class OtlpReceiver implements Component, TracesConsumer, ListeningReceiver {
  readonly capabilities = { mutatesData: false };
  readonly id: string;
  private readonly _cfg: OtlpReceiverConfig;
  private readonly _next: TracesConsumer;
  private readonly _counters = new Map<ReceiverTransport, TransportCounters>();
  private _host: Host | undefined;
  private _closed = false;
  private _shutdown: Promise<void> | undefined;
  private readonly _servers: { protocol: 'grpc' | 'http'; server: ProtocolServer }[] = [];

  constructor(settings: Settings, cfg: OtlpReceiverConfig, next: TracesConsumer) {
    this.id = settings.id;
    this._cfg = cfg;
    this._next = next;
  }

  async start(host: Host): Promise<void> {
    this._host = host;
    if (host.mode === 'sim') return;
    try {
      // the servers' modules (and @grpc/grpc-js) load only for runs that listen
      if (this._cfg.grpc) {
        const { startGrpcServer } = await import('./grpc-server.js');
        this._servers.push({ protocol: 'grpc', server: await startGrpcServer(this, this._cfg.grpc, host.clock) });
      }
      if (this._cfg.http) {
        const { startHttpServer } = await import('./http-server.js');
        this._servers.push({ protocol: 'http', server: await startHttpServer(this, this._cfg.http, host.clock) });
      }
    } catch (err) {
      await Promise.all(this._servers.map((s) => s.server.close()));
      this._servers.length = 0;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`receiver ${this.id}: cannot listen: ${message}`, { cause: err });
    }
  }

  endpoints(): BoundEndpoint[] {
    return this._servers.map(({ protocol, server }) => ({ receiver: this.id, protocol, host: server.host, port: server.port }));
  }

  /** The sim-mode entry point (and any in-process caller): same accounting as a network request. */
  async consumeTraces(batch: TraceBatch): Promise<void> {
    const result = await this.deliver(batch, 'sim');
    if (!result.ok) throw result.error;
  }

  /** Hands a decoded request downstream and counts the outcome. Never rejects. */
  async deliver(batch: TraceBatch, transport: ReceiverTransport): Promise<Delivery> {
    if (this._closed || !this._host) return { ok: false, error: new ShutdownError(this.id) };
    const counters = this._countersFor(transport);
    const spans = spanCount(batch);
    try {
      await this._next.consumeTraces(batch);
    } catch (error) {
      counters.refused.add(spans);
      counters.refusedRequests.add(1);
      return { ok: false, error };
    }
    counters.accepted.add(spans);
    counters.success.add(1);
    return { ok: true };
  }

  /** Counts a request rejected before decoding (malformed, oversized, unsupported media type). */
  countFailedRequest(transport: ReceiverTransport): void {
    if (this._host) this._countersFor(transport).failure.add(1);
  }

  /** Warnings from the servers (client errors are answered, never thrown). */
  warn(message: string): void {
    this._host?.log.warn(`${this.id}: ${message}`);
  }

  shutdown(): Promise<void> {
    this._shutdown ??= this._doShutdown();
    return this._shutdown;
  }

  private async _doShutdown(): Promise<void> {
    this._closed = true;
    await Promise.all(this._servers.map((s) => s.server.close()));
  }

  private _countersFor(transport: ReceiverTransport): TransportCounters {
    let c = this._counters.get(transport);
    if (!c) {
      const telemetry = this._host!.telemetry;
      const labels = { receiver: this.id, transport };
      const requests = (outcome: string) => telemetry.counter('otelcol_receiver_requests', { ...labels, outcome });
      c = {
        accepted: telemetry.counter('otelcol_receiver_accepted_spans', labels),
        refused: telemetry.counter('otelcol_receiver_refused_spans', labels),
        success: requests('success'),
        refusedRequests: requests('refused'),
        failure: requests('failure'),
      };
      this._counters.set(transport, c);
    }
    return c;
  }
}
