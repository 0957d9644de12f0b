/**
 * Semantic checks the schema cannot express: duplicate service names, routes/calls/incidents that
 * name undefined services or operations, cycles in the call graph, and `gates:` expressions that
 * do not parse (with the parser runs use, so `tracesim validate` catches what `run` would refuse). They read the raw input
 * defensively, so they run even when the schema found problems elsewhere and the user sees every
 * problem at once. Pure.
 */
import { parseGate } from '../report/gates.js';
import { InputError } from '../shared/errors.js';
import { isYamlMap, type ConfigProblem } from '../shared/schema.js';


function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `service → operation names` from the raw `services` list, and duplicate-name problems. */
function indexServices(raw: Record<string, unknown>, problems: ConfigProblem[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  asArray(raw['services']).forEach((s, i) => {
    if (!isYamlMap(s) || typeof s['name'] !== 'string') return;
    const name = s['name'];
    if (index.has(name)) {
      problems.push({ path: `services[${i}].name`, message: `duplicate service name "${name}"` });
      return;
    }
    index.set(name, new Set(isYamlMap(s['operations']) ? Object.keys(s['operations']) : []));
  });
  return index;
}

function checkRef(
  index: Map<string, Set<string>>,
  ref: Record<string, unknown>,
  path: string,
  problems: ConfigProblem[],
): void {
  const service = ref['service'];
  if (typeof service !== 'string') return;
  const ops = index.get(service);
  if (ops === undefined) {
    problems.push({ path: `${path}.service`, message: `undefined service "${service}"` });
    return;
  }
  const op = ref['operation'];
  if (typeof op === 'string' && !ops.has(op)) {
    problems.push({ path: `${path}.operation`, message: `service "${service}" has no operation "${op}"` });
  }
}

/** Every semantic problem of a raw scenario, each with its full key path. */
function checkGate(text: string, path: string, problems: ConfigProblem[]): void {
  try {
    parseGate(text);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push({ path, message: err.message });
  }
}

/** Keys the service's own settings give (`name`, `version`): the generator would drop them from `resource`. */
const RESOURCE_FROM_SERVICE: Record<string, string> = { 'service.name': 'name', 'service.version': 'version' };

/**
 * A service's `resource`: `service.name` / `service.version` come from the service's `name` and
 * `version` (set there, not here), and `{…}` in a string value must be `{instance}`, the only
 * placeholder — a typo would otherwise reach every span's resource literally.
 */
function checkResource(resource: Record<string, unknown>, path: string, problems: ConfigProblem[]): void {
  for (const [key, value] of Object.entries(resource)) {
    const own = RESOURCE_FROM_SERVICE[key];
    if (own !== undefined) problems.push({ path: `${path}.${key}`, message: `set by the service's \`${own}\`: give it there` });
    if (typeof value !== 'string') continue;
    for (const m of value.matchAll(/\{([^{}]*)\}/g)) {
      if (m[1] !== 'instance') problems.push({ path: `${path}.${key}`, message: `unknown placeholder {${m[1]}}: the only one is {instance} (the 0-based instance number)` });
    }
  }
}

export function semanticProblems(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isYamlMap(raw)) return problems;
  const index = indexServices(raw, problems);

  asArray(raw['routes']).forEach((r, i) => {
    if (isYamlMap(r)) checkRef(index, r, `routes[${i}]`, problems);
  });
  asArray(raw['incidents']).forEach((r, i) => {
    if (isYamlMap(r)) checkRef(index, r, `incidents[${i}]`, problems);
  });
  asArray(raw['gates']).forEach((g, i) => {
    if (typeof g === 'string') checkGate(g, `gates[${i}]`, problems);
  });
  asArray(raw['services']).forEach((s, si) => {
    if (isYamlMap(s) && isYamlMap(s['resource'])) checkResource(s['resource'], `services[${si}].resource`, problems);
  });

  // The call graph over "service/operation" nodes, with the path of each edge for messages.
  const edges = new Map<string, { to: string; async: boolean }[]>();
  asArray(raw['services']).forEach((s, si) => {
    if (!isYamlMap(s) || typeof s['name'] !== 'string' || !isYamlMap(s['operations'])) return;
    for (const [opName, op] of Object.entries(s['operations'])) {
      if (!isYamlMap(op)) continue;
      const from = `${s['name']}/${opName}`;
      const out: { to: string; async: boolean }[] = [];
      asArray(op['calls']).forEach((c, ci) => {
        if (!isYamlMap(c)) return;
        const path = `services[${si}].operations.${opName}.calls[${ci}]`;
        const before = problems.length;
        checkRef(index, c, path, problems);
        if (problems.length === before && typeof c['service'] === 'string' && typeof c['operation'] === 'string') {
          out.push({ to: `${c['service']}/${c['operation']}`, async: c['async'] === true });
        }
      });
      edges.set(from, out);
    }
  });
  problems.push(...cycleProblems(edges));
  return problems;
}

/**
 * Depth-first search for cycles. A trace is a tree walk of this graph, so any cycle could recurse
 * without bound: synchronous cycles are errors (a span cannot contain itself), and so are cycles
 * through asynchronous calls (unbounded message chains). Each cycle is reported once.
 */
function cycleProblems(edges: Map<string, { to: string; async: boolean }[]>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const state = new Map<string, 1 | 2>(); // 1 on stack, 2 done
  const stack: { node: string; async: boolean }[] = [];
  const visit = (node: string): void => {
    state.set(node, 1);
    for (const e of edges.get(node) ?? []) {
      const s = state.get(e.to);
      if (s === 1) {
        // `node` itself is not on the stack yet, so a self-call finds no frame.
        const found = stack.findIndex((f) => f.node === e.to);
        const cycle = [...stack.slice(found === -1 ? stack.length : found), { node, async: e.async }];
        const path = [...cycle.map((f) => f.node), e.to].join(' → ');
        const anyAsync = cycle.some((f) => f.async);
        problems.push({
          path: 'services',
          message: anyAsync ? `cycle through asynchronous calls: ${path}` : `cycle in synchronous calls: ${path}`,
        });
      } else if (s === undefined) {
        stack.push({ node, async: e.async });
        visit(e.to);
        stack.pop();
      }
    }
    state.set(node, 2);
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return problems;
}
