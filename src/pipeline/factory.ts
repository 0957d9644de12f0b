import type { CompatProfile, Component, Settings } from './component.js';
import type { TracesConsumer } from './consumer.js';
import type { ConfigProblem } from '../shared/schema.js';

/** Maturity shown in the component table, as in the collector's READMEs. */
export type Stability = 'development' | 'alpha' | 'beta' | 'stable';

export type { ConfigProblem };

/** What a factory may need to know beyond the component's own YAML. */
export interface ParseContext {
  readonly compat: CompatProfile;
}

/**
 * `warnings`: what loads but the collector would quietly ignore (printed with the run's warnings).
 * `notSimulated`: valid settings the simulation leaves out (listed in every report), each at its
 * full key path (`processors.transform.trace_statements[0].statements[1]`).
 */
export type ParseResult<C> =
  | { ok: true; config: C; warnings?: readonly string[]; notSimulated?: readonly { path: string; reason: string }[] }
  | { ok: false; problems: ConfigProblem[] };

interface FactoryBase<C> {
  /** lower_snake_case type id, e.g. `tail_sampling`. */
  readonly type: string;
  readonly stability: Stability;
  defaultConfig(): C;
  /**
   * Reads the raw YAML value of this component (after `${env:…}` substitution; `null` when the
   * component is declared with no body) over the defaults. Reports every problem, not the first,
   * with paths under `path` (e.g. `processors.batch/fast`). Unknown keys are problems.
   * `context.compat` is the run's behaviour profile, for the rare check that differs between
   * upstream versions (default `current`).
   */
  parseConfig(raw: unknown, path: string, context?: ParseContext): ParseResult<C>;
}

export interface ReceiverFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'receiver';
  /**
   * A receiver is itself a `TracesConsumer`: in sim runs the engine hands it batches directly;
   * in live runs it also listens on its endpoints. It forwards to `next`.
   */
  createTraces(settings: Settings, config: C, next: TracesConsumer): Component & TracesConsumer;
}

export interface ProcessorFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'processor';
  createTraces(settings: Settings, config: C, next: TracesConsumer): Component & TracesConsumer;
}

export interface ExporterFactory<C = unknown> extends FactoryBase<C> {
  readonly kind: 'exporter';
  createTraces(settings: Settings, config: C): Component & TracesConsumer;
}

export type AnyFactory = ReceiverFactory | ProcessorFactory | ExporterFactory;
