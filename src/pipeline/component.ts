import type { SpanAccounting } from './accounting.js';
import type { Clock } from './clock.js';
import type { Telemetry } from './telemetry.js';

/**
 * Lifecycle of every component (the collector's `component.Component`).
 *
 * - `start` is called once, after every downstream component has started (the graph starts
 *   components in reverse topological order).
 * - `shutdown` stops intake, flushes what the component holds downstream, and releases sockets and
 *   timers. It is idempotent and safe without a prior `start`. Components shut down in
 *   topological order, so a flush always finds its downstream still running.
 */
export interface Component {
  start(host: Host): Promise<void>;
  shutdown(): Promise<void>;
}

/** Optional capability: bytes of span data the component currently holds (buffers, queues). */
export interface HoldsBytes {
  heldBytes(): number;
}

/**
 * The backends the network exporters (otlp, otlphttp) send to, in sim runs (scenario
 * `downstream`). Without one they are healthy and answer at once, and exporters skip their
 * sending queue and retries; with one, every request goes through them on the virtual clock.
 */
export interface DownstreamModel {
  /** Round trip of one export request, ms. */
  readonly latencyMs: number;
  /** Whether the backend of exporter `exporterId` refuses requests at virtual time `nowMs` (retryable: UNAVAILABLE). */
  isDown(exporterId: string, nowMs: number): boolean;
}

export function holdsBytes(c: object): c is HoldsBytes {
  return typeof (c as Partial<HoldsBytes>).heldBytes === 'function';
}

/** `sim` and `replay` run on a virtual clock and never touch the network; `live` is real. */
export type RunMode = 'sim' | 'live';

/**
 * Behaviour profile (DESIGN.md "Collector config compatibility"): `current` follows current
 * upstream collector-contrib; `classic` reproduces the older behaviour listed in
 * reference/tail-sampling.md §8. Chosen in the scenario or with `--compat`, never in the
 * collector YAML.
 */
export type CompatProfile = 'current' | 'classic';

export interface Logger {
  warn(message: string): void;
  info(message: string): void;
}

/** What the running pipeline offers its components. */
export interface Host {
  readonly mode: RunMode;
  readonly clock: Clock;
  readonly accounting: SpanAccounting;
  readonly telemetry: Telemetry;
  readonly log: Logger;
  /**
   * Bytes of span data held by the whole pipeline (sum of `heldBytes()` over components): the
   * memory limiter's stand-in for the heap.
   */
  heldBytes(): number;
  /** Sim runs: the backends behind the network exporters, when the scenario models them. */
  readonly downstream?: DownstreamModel;
}

/** Fixed facts about one component instance, given at creation. */
export interface Settings {
  /** The component id as written in the config: `type` or `type/name` (`otlp/tempo`). */
  readonly id: string;
  /** The id of the pipeline a processor instance belongs to (`traces`, `traces/tail`). */
  readonly pipelineId?: string;
  readonly compat: CompatProfile;
  /**
   * Total memory in bytes that `memory_limiter`'s `limit_percentage` / `spike_limit_percentage`
   * apply to (the collector reads the host's or cgroup's total). Engine-provided, never from the
   * collector YAML; absent ⇒ the memory limiter's documented default.
   */
  readonly totalMemoryBytes?: number;
}
