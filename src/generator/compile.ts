/**
 * Compiles a validated `Scenario` into flat tables the trace builder walks without lookups:
 * operations by index with their samplers, attribute makers and resolved calls; routes with
 * cumulative weights; one Resource per service instance; a de-duplicated scope table.
 * Pure and deterministic (the same scenario compiles to the same tables in every worker).
 */
import type { InstrumentationScope, KeyValue, Resource, SpanKind } from '../protocol/otlp/model.js';
import { SpanKinds } from '../protocol/otlp/model.js';
import type { Scenario } from '../scenario/schema.js';
import { compileAttribute, scalarToValue, type AttributeMaker } from './attributes.js';
import { createSampler, type Sampler } from './distributions.js';

export interface CompiledCall {
  target: number;
  parallel: boolean;
  probability: number;
  repeatMin: number;
  repeatMax: number;
  async: boolean;
  delay: Sampler;
  errorPropagation: number;
}

export interface CompiledIncident {
  startMs: number;
  endMs: number;
  errorRate: number | undefined;
  latencyMultiplier: number;
  statusMessage: string | undefined;
}

export interface CompiledOperation {
  /** `service/operation`, for messages. */
  id: string;
  serviceIndex: number;
  spanName: string;
  kind: SpanKind;
  latency: Sampler;
  errorRate: number;
  statusMessage: string;
  attributes: AttributeMaker[];
  errorAttributes: AttributeMaker[];
  events: { name: string; probability: number; onErrorOnly: boolean; at: number; attributes: AttributeMaker[] }[];
  links: { probability: number; attributes: AttributeMaker[] }[];
  calls: CompiledCall[];
  scopeIndex: number;
  /** Incidents affecting this operation (by service or by operation). */
  incidents: CompiledIncident[];
}

export interface CompiledRoute {
  name: string;
  operation: number;
}

export interface CompiledScenario {
  seed: number;
  slowThresholdMs: number;
  operations: CompiledOperation[];
  routes: CompiledRoute[];
  /** Running sums of route weights, for `Random.pickWeighted`. */
  routeCumulativeWeights: number[];
  /** Per service: first global instance index and instance count. */
  services: { name: string; firstInstance: number; instances: number }[];
  /** One resource per service instance, by global instance index. */
  resources: Resource[];
  /** Instance index → service index. */
  instanceService: number[];
  scopes: InstrumentationScope[];
}

/** Upper bound on spans in one trace: a guard against repeat ranges multiplying without bound. */
export const MAX_SPANS_PER_TRACE = 10_000;

/** Resource attributes of one instance: service.* first, then the user's (with `{instance}` filled). */
export function instanceResource(svc: Scenario['services'][number], instance: number): Resource {
  const attrs: KeyValue[] = [
    { key: 'service.name', value: svc.name },
    { key: 'service.version', value: svc.version },
  ];
  if (!('service.instance.id' in svc.resource)) attrs.push({ key: 'service.instance.id', value: `${svc.name}-${instance}` });
  for (const [key, v] of Object.entries(svc.resource)) {
    if (key === 'service.name' || key === 'service.version') continue;
    attrs.push({ key, value: typeof v === 'string' ? v.replaceAll('{instance}', String(instance)) : scalarToValue(v) });
  }
  return { attributes: attrs, droppedAttributesCount: 0 };
}

export function compileScenario(s: Scenario): CompiledScenario {
  const opIndex = new Map<string, number>();
  s.services.forEach((svc) => {
    for (const name of Object.keys(svc.operations)) opIndex.set(`${svc.name}/${name}`, opIndex.size);
  });

  const scopes: InstrumentationScope[] = [];
  const scopeIndex = new Map<string, number>();
  const internScope = (name: string, version: string): number => {
    const key = `${name}\u0000${version}`;
    let i = scopeIndex.get(key);
    if (i === undefined) {
      i = scopes.length;
      scopes.push({ name, version, attributes: [], droppedAttributesCount: 0 });
      scopeIndex.set(key, i);
    }
    return i;
  };

  const operations: CompiledOperation[] = [];
  const services: CompiledScenario['services'] = [];
  const resources: Resource[] = [];
  const instanceService: number[] = [];
  s.services.forEach((svc, serviceIndex) => {
    services.push({ name: svc.name, firstInstance: resources.length, instances: svc.instances });
    for (let i = 0; i < svc.instances; i++) {
      resources.push(instanceResource(svc, i));
      instanceService.push(serviceIndex);
    }
    for (const [name, op] of Object.entries(svc.operations)) {
      const scope = op.scope ?? svc.scope ?? { name: svc.name, version: svc.version };
      operations.push({
        id: `${svc.name}/${name}`,
        serviceIndex,
        spanName: op.span_name ?? name,
        kind: SpanKinds[op.kind],
        latency: createSampler(op.latency),
        errorRate: op.error_rate,
        statusMessage: op.status_message,
        attributes: Object.entries(op.attributes).map(([k, g]) => compileAttribute(k, g)),
        errorAttributes: Object.entries(op.error_attributes).map(([k, g]) => compileAttribute(k, g)),
        events: op.events.map((e) => ({
          name: e.name,
          probability: e.probability,
          onErrorOnly: e.when === 'error',
          at: e.at,
          attributes: Object.entries(e.attributes).map(([k, g]) => compileAttribute(k, g)),
        })),
        links: op.links.map((l) => ({ probability: l.probability, attributes: Object.entries(l.attributes).map(([k, g]) => compileAttribute(k, g)) })),
        calls: op.calls.map((c) => ({
          target: opIndex.get(`${c.service}/${c.operation}`)!,
          parallel: c.mode === 'parallel',
          probability: c.probability,
          repeatMin: c.repeat.min,
          repeatMax: c.repeat.max,
          async: c.async,
          delay: createSampler(c.delay),
          errorPropagation: c.error_propagation,
        })),
        scopeIndex: internScope(scope.name, scope.version),
        incidents: s.incidents
          .filter((inc) => inc.service === svc.name && (inc.operation === undefined || inc.operation === name))
          .map((inc) => ({
            startMs: inc.start,
            endMs: inc.end,
            errorRate: inc.error_rate,
            latencyMultiplier: inc.latency_multiplier ?? 1,
            statusMessage: inc.status_message,
          })),
      });
    }
  });

  const routeCumulativeWeights: number[] = [];
  let sum = 0;
  const routes = s.routes.map((r) => {
    routeCumulativeWeights.push((sum += r.weight));
    return { name: r.name ?? `${r.service} ${r.operation}`, operation: opIndex.get(`${r.service}/${r.operation}`)! };
  });

  return {
    seed: s.seed,
    slowThresholdMs: s.slow_threshold,
    operations,
    routes,
    routeCumulativeWeights,
    services,
    resources,
    instanceService,
    scopes,
  };
}
