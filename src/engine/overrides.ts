/**
 * `--set path=value` and `sweep --vary path=v1,v2`: edits to the raw (parsed YAML, not yet
 * validated) scenario and collector config before validation, so an override is checked exactly
 * like a key written in the file.
 *
 * Path syntax (one root object holds both documents):
 *
 *   traffic.rate                                   a scenario key
 *   collector.processors.batch.timeout             a collector-config key (prefix `collector.`)
 *   collector.exporters["otlp/tempo"].endpoint     a key holding dots or brackets, quoted
 *   services[0].instances                          a list item by index
 *   collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage
 *                                                  a list item by the value of one of its fields
 *
 * Rules: a missing mapping on the way is created (`collector.exporters.otlp.sending_queue.queue_size`
 * when the file leaves `sending_queue` to its defaults, `downstream.latency`), and so is the last
 * key, so a default not written in the file can be set — validation then rejects a key the schema
 * does not know, with its full path. Except under maps whose keys the user names (components,
 * pipelines, operations, attribute keys): a missing key there is an `InputError` naming the path,
 * the keys available and how to add the mapping whole, since a typo would otherwise become a new,
 * unused component. List items must exist. A `null` mapping value (a component declared with no
 * body, `batch:`) counts as an empty mapping. Values are YAML scalars (`20` → number,
 * `true` → boolean, `500/s` → string; a flow collection `[a, b]` is allowed too).
 * Pure: the input objects are never modified.
 */
import { parse as parseYaml } from 'yaml';
import { InputError } from '../shared/errors.js';
import { isYamlMap } from '../shared/schema.js';

export type PathSegment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'match'; field: string; value: string };

export interface Override {
  /** The path as the user wrote it. */
  path: string;
  segments: PathSegment[];
  value: unknown;
  /** The option that gave it, for messages: `--set` (default) or `--vary`. */
  option?: '--set' | '--vary';
}

/** The documents overrides apply to: `collector.` paths go to `collector`, the rest to `scenario`. */
export interface OverrideTarget {
  scenario: unknown;
  collector: unknown;
}

/** Splits a path into segments; throws `InputError` on a syntax error. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new InputError(`bad path "${path}": ${why} at character ${i + 1}`);
  };
  const expectSegmentStart = (): void => {
    if (i >= path.length) fail('expected a key');
  };
  expectSegmentStart();
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === '[') {
      const close = findClose(path, i);
      if (close < 0) fail('unclosed [');
      const inner = path.slice(i + 1, close).trim();
      segments.push(parseBracket(inner, path));
      i = close + 1;
    } else if (ch === '.') {
      if (segments.length === 0) fail('expected a key');
      i++;
      expectSegmentStart();
      if (path[i] === '.' || path[i] === '[') fail('expected a key');
      continue;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      const key = path.slice(i, end);
      if (key === '') fail('expected a key');
      segments.push({ kind: 'key', key });
      i = end;
    }
    if (i < path.length && path[i] !== '.' && path[i] !== '[') fail('expected . or [');
  }
  return segments;
}

function findClose(path: string, open: number): number {
  let quote: string | undefined;
  for (let j = open + 1; j < path.length; j++) {
    const c = path[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ']') return j;
  }
  return -1;
}

function parseBracket(inner: string, path: string): PathSegment {
  if (/^\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const quoted = /^(["'])(.*)\1$/s.exec(inner);
  if (quoted) return { kind: 'key', key: quoted[2]! };
  const eq = inner.indexOf('=');
  if (eq > 0) {
    const field = inner.slice(0, eq).trim();
    const raw = inner.slice(eq + 1).trim();
    const value = /^(["'])(.*)\1$/s.exec(raw)?.[2] ?? raw;
    if (field !== '') return { kind: 'match', field, value };
  }
  throw new InputError(`bad path "${path}": [${inner}] is neither an index, a quoted key nor field=value`);
}

/** `a.b[name=x]` back from segments (quoting keys that need it). */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'index') out += `[${s.index}]`;
    else if (s.kind === 'match') out += `[${s.field}=${s.value}]`;
    else if (/[.[\]"']/.test(s.key) || s.key === '') out += `["${s.key}"]`;
    else out += out === '' ? s.key : `.${s.key}`;
  }
  return out;
}

/** A YAML scalar (or flow collection) → its value; text YAML cannot read stays a string. */
export function parseOverrideValue(text: string): unknown {
  if (text.trim() === '') return '';
  try {
    return parseYaml(text) as unknown;
  } catch {
    return text;
  }
}

/** `path=value` (the first `=` outside brackets splits) → an override. */
export function parseSetArgument(arg: string): Override {
  const eq = splitIndex(arg);
  if (eq <= 0) throw new InputError(`--set "${arg}": expected path=value`);
  const path = arg.slice(0, eq).trim();
  return { path, segments: parsePath(path), value: parseOverrideValue(arg.slice(eq + 1)) };
}

/**
 * `path=v1,v2,...` for `sweep --vary` → the path and one override per value. Values are split
 * at commas outside brackets and quotes, so `[a, b]` stays one value.
 */
export function parseVaryArgument(arg: string): { path: string; values: { text: string; override: Override }[] } {
  const eq = splitIndex(arg);
  if (eq <= 0) throw new InputError(`--vary "${arg}": expected path=v1,v2,...`);
  const path = arg.slice(0, eq).trim();
  const segments = parsePath(path);
  const texts = splitTopLevel(arg.slice(eq + 1), ',').map((t) => t.trim());
  if (texts.length === 0 || texts.some((t) => t === '')) throw new InputError(`--vary "${arg}": expected one or more comma-separated values`);
  return { path, values: texts.map((text) => ({ text, override: { path, segments, value: parseOverrideValue(text), option: '--vary' } })) };
}

function splitIndex(arg: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '=' && depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Which document an override edits: a path starting `collector.` edits the collector config
 * (with that prefix removed); any other path, including the bare scenario key `collector`
 * (the collector file's path), edits the scenario.
 */
export function splitOverrides(overrides: readonly Override[]): { scenario: Override[]; collector: Override[] } {
  const scenario: Override[] = [];
  const collector: Override[] = [];
  for (const o of overrides) {
    const first = o.segments[0];
    if (first?.kind === 'key' && first.key === 'collector' && o.segments.length > 1) {
      collector.push({ ...o, segments: o.segments.slice(1) });
    } else scenario.push(o);
  }
  return { scenario, collector };
}

/**
 * Applies overrides (already split by `splitOverrides`) in order to a deep copy of one document.
 * Every bad path is reported at once in one `InputError`; `doc` names the document in messages
 * (`scenario` or `collector`), with its file when given.
 */
export function applyToDocument(document: unknown, overrides: readonly Override[], doc: 'scenario' | 'collector', file?: string): unknown {
  if (overrides.length === 0) return document;
  const root: unknown = document === null || document === undefined ? {} : structuredClone(document);
  const problems: { path: string; message: string }[] = [];
  for (const o of overrides) {
    const problem = setAt(root, o.segments, o.value, doc === 'collector' ? 'collector' : '');
    if (problem) problems.push({ path: o.path, message: `${problem} (in the ${doc === 'collector' ? 'collector config' : 'scenario'}${file === undefined ? '' : ` ${file}`})` });
  }
  if (problems.length > 0) {
    throw new InputError(problems.length === 1 ? 'bad override path' : `${problems.length} bad override paths`, { problems });
  }
  return root;
}

/** Both documents at once (see `splitOverrides`). */
export function applyOverrides(target: OverrideTarget, overrides: readonly Override[]): OverrideTarget {
  const { scenario, collector } = splitOverrides(overrides);
  const problems: { path: string; message: string }[] = [];
  const attempt = (f: () => unknown, fallback: unknown): unknown => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
      return fallback;
    }
  };
  const out = {
    scenario: attempt(() => applyToDocument(target.scenario, scenario, 'scenario'), target.scenario),
    collector: attempt(() => applyToDocument(target.collector, collector, 'collector'), target.collector),
  };
  if (problems.length > 0) {
    throw new InputError(problems.length === 1 ? 'bad override path' : `${problems.length} bad override paths`, { problems });
  }
  return out;
}

/** Sets the value at `segments` inside `root`; returns a problem message or undefined. */
function setAt(root: unknown, segments: readonly PathSegment[], value: unknown, prefix: string): string | undefined {
  let node: unknown = root;
  const walked: PathSegment[] = prefix ? [{ kind: 'key', key: prefix }] : [];
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    const last = s === segments.length - 1;
    const here = formatPath(walked) || '(top level)';
    if (seg.kind === 'key') {
      if (!isYamlMap(node)) return `${here} is ${describe(node)}, not a mapping, so it has no key "${seg.key}"`;
      if (last) {
        node[seg.key] = value;
        return undefined;
      }
      if (!Object.hasOwn(node, seg.key)) {
        if (!isNamedMap(walked.slice(prefix ? 1 : 0), prefix ? 'collector' : 'scenario')) {
          // a section the file leaves to its defaults (`sending_queue`, `downstream`): validation judges the key
          node[seg.key] = {};
        } else {
          return `no key "${seg.key}" at ${here}; available: ${listKeys(node)}${addWholeHint([...walked, seg], segments.slice(s + 1), value)}`;
        }
      }
      let child = node[seg.key];
      if (child === null) {
        // `batch:` with no body is an empty mapping in the collector's config model.
        child = {};
        node[seg.key] = child;
      }
      node = child;
    } else {
      if (!Array.isArray(node)) return `${here} is ${describe(node)}, not a list, so [${seg.kind === 'index' ? seg.index : `${seg.field}=${seg.value}`}] does not apply`;
      let index: number;
      if (seg.kind === 'index') {
        index = seg.index;
        if (index >= node.length) return `${here} has ${node.length} item(s); index ${index} is out of range (0..${node.length - 1})`;
      } else {
        index = node.findIndex((item) => fieldOf(item, seg.field) === seg.value);
        if (index < 0) {
          const names = node.map((item) => fieldOf(item, seg.field)).filter((name) => name !== undefined);
          return `no item with ${seg.field}=${seg.value} in ${here}; available: ${names.length > 0 ? names.join(', ') : `(no item has a "${seg.field}" key)`}`;
        }
      }
      if (last) {
        node[index] = value;
        return undefined;
      }
      node = node[index];
    }
    walked.push(seg);
  }
  return undefined;
}

/**
 * Maps whose keys are names the user chose — components and pipelines in the collector config,
 * operations and attribute keys in the scenario. A key missing there is a typo or a dotted name
 * written unquoted (`attributes.http.route`), never a section to create.
 */
const COLLECTOR_NAMED_MAPS = new Set(['receivers', 'processors', 'exporters', 'connectors', 'extensions', 'service.pipelines']);
const SCENARIO_NAMED_MAPS = new Set(['operations', 'attributes', 'error_attributes', 'resource']);

function isNamedMap(parent: readonly PathSegment[], doc: 'scenario' | 'collector'): boolean {
  if (doc === 'collector') return COLLECTOR_NAMED_MAPS.has(formatPath(parent));
  const last = parent[parent.length - 1];
  return last?.kind === 'key' && SCENARIO_NAMED_MAPS.has(last.key);
}

/**
 * A list item's `field` as text; a scenario route without a `name` has its documented default
 * name, `"<service> <operation>"`, so `routes[name=frontend GET /cart]` finds it.
 */
function fieldOf(item: unknown, field: string): string | undefined {
  if (!isYamlMap(item)) return undefined;
  if (Object.hasOwn(item, field)) return String(item[field]);
  const { service, operation } = item;
  if (field === 'name' && typeof service === 'string' && typeof operation === 'string') return `${service} ${operation}`;
  return undefined;
}

/**
 * How to add a missing mapping in one `--set`: `path={a: {b: value}}` (YAML flow; JSON values are
 * YAML). Empty when the rest of the path goes through list items, which cannot be written so.
 */
function addWholeHint(missing: readonly PathSegment[], rest: readonly PathSegment[], value: unknown): string {
  if (!rest.every((r) => r.kind === 'key')) return '';
  const body = rest.reduceRight((inner, r) => `{${formatPath([r])}: ${inner}}`, JSON.stringify(value) ?? 'null');
  return ` (to add it, set it whole: ${formatPath(missing)}=${body})`;
}


function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

function listKeys(node: Record<string, unknown>): string {
  const keys = Object.keys(node);
  return keys.length === 0 ? '(none)' : keys.join(', ');
}

/** Reads the value at a path (API users, tests); undefined when absent. */
export function getAt(target: OverrideTarget, segments: readonly PathSegment[]): unknown {
  const first = segments[0];
  const toCollector = first?.kind === 'key' && first.key === 'collector' && segments.length > 1;
  let node: unknown = toCollector ? target.collector : target.scenario;
  for (const seg of toCollector ? segments.slice(1) : segments) {
    if (seg.kind === 'key') node = isYamlMap(node) ? node[seg.key] : undefined;
    else if (!Array.isArray(node)) return undefined;
    else if (seg.kind === 'index') node = node[seg.index];
    else node = node.find((item) => isYamlMap(item) && String(item[seg.field]) === seg.value);
  }
  return node;
}
