/**
 * Type id → factory, per component kind. The config loader asks the registry two questions:
 * "is this type simulated?" (decided by the fixed list below, which is the contract of DESIGN.md
 * "Collector config compatibility") and "give me its factory" (whatever has been registered).
 *
 * A type that is simulated but has no registered factory is a bug in tracesim, not in the user's
 * config: `require` throws an internal `Error` naming the type, so it can never silently turn into a
 * pass-through.
 */
import type { AnyFactory, ExporterFactory, ProcessorFactory, ReceiverFactory } from './factory.js';

export type FactoryKind = AnyFactory['kind'];

/** The types tracesim simulates in traces pipelines, by kind. */
export const SIMULATED_TYPES: Readonly<Record<FactoryKind, readonly string[]>> = {
  receiver: ['otlp'],
  processor: ['memory_limiter', 'batch', 'resource', 'attributes', 'tail_sampling', 'probabilistic_sampler', 'filter', 'transform'],
  exporter: ['otlp', 'otlphttp', 'file', 'debug', 'nop'],
};

/** The exporter factory that stands in for every trace exporter type outside the simulated set. */
export const STORAGE_SINK_TYPE = 'storage_sink';

type FactoryOf<K extends FactoryKind> = K extends 'receiver' ? ReceiverFactory : K extends 'processor' ? ProcessorFactory : ExporterFactory;

export class ComponentRegistry {
  private readonly _byKind: Record<FactoryKind, Map<string, AnyFactory>> = {
    receiver: new Map(),
    processor: new Map(),
    exporter: new Map(),
  };

  constructor(factories: readonly AnyFactory[] = []) {
    for (const f of factories) this.register(f);
  }

  /** Adds a factory; registering two factories for one kind + type is an internal error. */
  register(factory: AnyFactory): void {
    const map = this._byKind[factory.kind];
    if (map.has(factory.type)) throw new Error(`internal error: two ${factory.kind} factories registered for type "${factory.type}"`);
    map.set(factory.type, factory);
  }

  /** True for the types of `SIMULATED_TYPES`, whether or not their factory is registered yet. */
  isSimulated(kind: FactoryKind, type: string): boolean {
    return SIMULATED_TYPES[kind].includes(type);
  }

  get<K extends FactoryKind>(kind: K, type: string): FactoryOf<K> | undefined {
    return this._byKind[kind].get(type) as FactoryOf<K> | undefined;
  }

  /** The factory of a simulated (or internal) type; throws an internal error when missing. */
  require<K extends FactoryKind>(kind: K, type: string): FactoryOf<K> {
    const f = this.get(kind, type);
    if (!f) throw new Error(`internal error: ${kind} type "${type}" is simulated but no factory is registered for it (src/components/index.ts)`);
    return f;
  }

  /** Every registered factory, by kind then type. */
  all(): AnyFactory[] {
    const out: AnyFactory[] = [];
    for (const kind of ['receiver', 'processor', 'exporter'] as const) {
      out.push(...[...this._byKind[kind].values()].sort((a, b) => a.type.localeCompare(b.type)));
    }
    return out;
  }
}
