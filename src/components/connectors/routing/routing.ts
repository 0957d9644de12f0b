/**
 * The `routing` connector between traces pipelines (collector-contrib `connector/routingconnector`,
 * current behaviour: every entry matches once). Its config is read here; the graph connects it to
 * the traces pipelines that list it as a receiver.
 *
 * Per incoming batch the routing table is walked in order. A `resource` route (the default
 * context) takes every ResourceSpans whose resource matches its condition; a `span` route takes
 * every span that matches, with its resource and scope. What a route takes goes to its pipelines
 * and is not offered to later routes. What no route takes goes to `default_pipelines`; without
 * them it is dropped, as upstream drops it — booked as `sampledOut('filtered')`, an intended
 * removal by the config. `request` routes match on request metadata (headers) that tracesim does
 * not generate, so they never match here (listed as not simulated).
 *
 * A route is `statement: route() where <condition>` (or plain `route()`: always) or
 * `condition: <condition>`, in the OTTL subset of src/components/shared/ottl.
 */
import type { AccountedBatch } from '../../../pipeline/accounting.js';
import type { Component, Host, Settings } from '../../../pipeline/component.js';
import type { TracesConsumer } from '../../../pipeline/consumer.js';
import { PermanentError } from '../../../pipeline/errors.js';
import type { ResourceSpans, Span } from '../../../protocol/otlp/model.js';
import type { Condition } from '../../shared/ottl/index.js';
import { evaluateCondition, parseOttlCondition } from '../../shared/ottl/index.js';
import { isYamlMap } from '../../../shared/schema.js';
import { receivingPipelines, type ConnectorProblem } from '../pipelines.js';

export type RouteContext = 'resource' | 'span' | 'request';

export interface Route {
  readonly context: RouteContext;
  /** Undefined: matches everything (`route()` without `where`). */
  readonly condition: Condition | undefined;
  readonly pipelines: readonly string[];
}

export interface RoutingConfig {
  readonly table: readonly Route[];
  readonly defaultPipelines: readonly string[];
}

const TOP_KEYS = new Set(['table', 'default_pipelines', 'error_mode', 'match_once']);
const ROUTE_KEYS = new Set(['context', 'statement', 'condition', 'pipelines']);
const ROUTE_STATEMENT = /^\s*route\(\s*\)\s*(?:where\s+([\s\S]+))?$/;

/**
 * Reads a routing connector body as upstream's `Config.Validate` does: a non-empty table, each
 * route with pipelines and exactly one of `statement` / `condition`; `pipelines` entries must be
 * traces pipelines receiving from this connector (`receiving`), as the collector's router requires.
 */
export function parseRoutingConfig(raw: unknown, receiving: ReadonlySet<string>): { config: RoutingConfig; problems: ConnectorProblem[] } {
  const problems: ConnectorProblem[] = [];
  const body = isYamlMap(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isYamlMap(raw)) problems.push({ path: '', message: 'expected a map' });
  for (const key of Object.keys(body)) if (!TOP_KEYS.has(key)) problems.push({ path: key, message: 'unknown key' });
  const mode = body['error_mode'];
  if (mode !== undefined && !(typeof mode === 'string' && ['propagate', 'ignore', 'silent'].includes(mode.toLowerCase()))) {
    problems.push({ path: 'error_mode', message: `unknown error mode ${String(mode)}` });
  }
  const pipelineList = (value: unknown, path: string): string[] => receivingPipelines(value, path, receiving, problems);
  const defaultPipelines = body['default_pipelines'] === undefined ? [] : pipelineList(body['default_pipelines'], 'default_pipelines');
  const table: Route[] = [];
  const rawTable = body['table'];
  if (!Array.isArray(rawTable) || rawTable.length === 0) {
    problems.push({ path: 'table', message: 'invalid routing table: the routing table is empty' });
  } else {
    rawTable.forEach((entry, i) => {
      const at = `table[${i}]`;
      if (!isYamlMap(entry)) return void problems.push({ path: at, message: 'expected a map' });
      for (const key of Object.keys(entry)) if (!ROUTE_KEYS.has(key)) problems.push({ path: `${at}.${key}`, message: 'unknown key' });
      const context = entry['context'] ?? 'resource';
      if (context !== 'resource' && context !== 'span' && context !== 'request') {
        return void problems.push({ path: `${at}.context`, message: `invalid context ${JSON.stringify(context)} for traces (resource, span or request)` });
      }
      const pipelines = entry['pipelines'] === undefined ? [] : pipelineList(entry['pipelines'], `${at}.pipelines`);
      if (pipelines.length === 0 && (entry['pipelines'] === undefined || Array.isArray(entry['pipelines']))) problems.push({ path: `${at}.pipelines`, message: 'invalid route: no pipelines defined' });
      const statement = entry['statement'];
      const conditionText = entry['condition'];
      if ((statement === undefined) === (conditionText === undefined)) {
        return void problems.push({ path: at, message: statement === undefined ? 'invalid route: no statement or condition provided' : 'invalid route: both statement and condition cannot be provided' });
      }
      let text: string | undefined;
      let key: string;
      if (statement !== undefined) {
        key = 'statement';
        const m = typeof statement === 'string' ? ROUTE_STATEMENT.exec(statement) : null;
        if (!m) return void problems.push({ path: `${at}.statement`, message: 'expected route() or route() where <condition>' });
        text = m[1];
      } else {
        key = 'condition';
        if (typeof conditionText !== 'string') return void problems.push({ path: `${at}.condition`, message: 'expected an OTTL condition string' });
        text = conditionText;
      }
      let condition: Condition | undefined;
      if (text !== undefined && context !== 'request') {
        const parsed = parseOttlCondition(text, context);
        if (!parsed.ok) return void problems.push({ path: `${at}.${key}`, message: parsed.message });
        condition = parsed.condition;
      }
      table.push({ context, condition, pipelines });
    });
  }
  return { config: { table, defaultPipelines }, problems };
}

/** The connector as the exporter of its pipeline; `connect` gives it one consumer per route and the default. */
export class RoutingConnector implements Component, TracesConsumer {
  /** Its pipelines may change the spans it hands them: a fan-out before it gives it its own copy. */
  readonly capabilities = { mutatesData: true };
  private readonly _id: string;
  private readonly _config: RoutingConfig;
  private _routes: TracesConsumer[] | undefined;
  private _default: TracesConsumer | undefined;
  private _host: Host | undefined;

  constructor(settings: Settings, config: RoutingConfig) {
    this._id = settings.id;
    this._config = config;
  }

  /** `routes[i]` feeds the pipelines of table entry `i`; `fallback` the default pipelines, if any. */
  connect(routes: TracesConsumer[], fallback: TracesConsumer | undefined): void {
    this._routes = routes;
    this._default = fallback;
  }

  async start(host: Host): Promise<void> {
    this._host = host;
  }

  async shutdown(): Promise<void> {}

  async consumeTraces(batch: AccountedBatch): Promise<void> {
    const routes = this._routes;
    if (!routes || !this._host) throw new PermanentError(`internal error: connector ${this._id} is not connected`);
    const shadow = batch.shadow === true;
    let rest: ResourceSpans[] = batch.resourceSpans;
    const sends: [TracesConsumer, ResourceSpans[]][] = [];
    this._config.table.forEach((route, i) => {
      if (rest.length === 0 || route.context === 'request') return;
      const taken = route.context === 'resource' ? takeResources(rest, route.condition) : takeSpans(rest, route.condition);
      rest = taken.rest;
      if (taken.matched.length > 0) sends.push([routes[i]!, taken.matched]);
    });
    if (rest.length > 0) {
      const lost: AccountedBatch = { resourceSpans: rest, ...(shadow ? { shadow: true } : {}) };
      if (this._default) sends.push([this._default, rest]);
      else this._host.accounting.sampledOut(lost, this._id, 'filtered');
    }
    const errors: unknown[] = [];
    for (const [consumer, resourceSpans] of sends) {
      try {
        await consumer.consumeTraces({ resourceSpans, ...(shadow ? { shadow: true } : {}) });
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

/** Splits ResourceSpans by whether their resource matches. */
function takeResources(list: ResourceSpans[], condition: Condition | undefined): { matched: ResourceSpans[]; rest: ResourceSpans[] } {
  const matched: ResourceSpans[] = [];
  const rest: ResourceSpans[] = [];
  for (const rs of list) (condition === undefined || evaluateCondition(condition, { resource: rs.resource }) ? matched : rest).push(rs);
  return { matched, rest };
}

/** Splits spans by whether they match, keeping each part's resource and scope. */
function takeSpans(list: ResourceSpans[], condition: Condition | undefined): { matched: ResourceSpans[]; rest: ResourceSpans[] } {
  const matched: ResourceSpans[] = [];
  const rest: ResourceSpans[] = [];
  for (const rs of list) {
    const inMatched: ResourceSpans['scopeSpans'] = [];
    const inRest: ResourceSpans['scopeSpans'] = [];
    for (const ss of rs.scopeSpans) {
      const yes: Span[] = [];
      const no: Span[] = [];
      for (const span of ss.spans) (condition === undefined || evaluateCondition(condition, { resource: rs.resource, scope: ss.scope, span }) ? yes : no).push(span);
      if (yes.length > 0) inMatched.push({ scope: ss.scope, spans: yes, schemaUrl: ss.schemaUrl });
      if (no.length > 0) inRest.push({ scope: ss.scope, spans: no, schemaUrl: ss.schemaUrl });
    }
    if (inMatched.length > 0) matched.push({ resource: rs.resource, scopeSpans: inMatched, schemaUrl: rs.schemaUrl });
    if (inRest.length > 0) rest.push({ resource: rs.resource, scopeSpans: inRest, schemaUrl: rs.schemaUrl });
  }
  return { matched, rest };
}
