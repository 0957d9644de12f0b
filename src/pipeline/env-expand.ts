/**
 * `${…}` substitution in collector configs, as the collector's confmap resolver does it
 * (opentelemetry-collector `confmap/expand.go`, `resolver.go`, `provider.go`
 * `NewRetrievedFromYAML`, `provider/envprovider`):
 *
 * - `${env:VAR}` and `${VAR}` read the environment (the collector's default scheme is `env`);
 *   `${env:VAR:-default}` falls back to `default` when VAR is unset or empty. `${VAR:-default}`
 *   names a provider "VAR", a problem as upstream.
 * - A value that is exactly one reference takes the variable's value read as YAML: `[ERROR, OK]`
 *   is a list, `5000` a number, `true` a boolean, `{a: 1}` a map. A value that reads as a YAML
 *   string, or is not YAML, is the text itself, quotes and all (`"0123"` stays `"0123"`). A typed
 *   value keeps its text in `stringForms`: a string field of the collector reads that text
 *   (`0123`), any other field the typed value (123) — see `withStringForms`.
 * - A reference inside a longer string inserts the variable's text, whatever its YAML type.
 * - Substituted values are expanded again (a variable may hold `${env:OTHER}`), up to 1000 rounds.
 * - `$$` is an escaped `$`, unescaped once everything is expanded (in substituted values too):
 *   `$${env:X}` stays `${env:X}`. As upstream, an escaped reference ends the search in its string,
 *   and a `$` not before `{` stays (bare `$VAR` is not expanded).
 * - Only values are expanded, never keys.
 * - An empty value (unset, or set to "") is the empty string; an unset one without a default warns.
 * - Other providers (`${file:…}`, `${http:…}`), bad names and `$` inside a reference are problems
 *   naming the reference; such a reference expands to "".
 *
 * Where this differs from the collector: values are typed by the YAML reader that reads the file
 * (YAML 1.2 core), not yaml.v3 (`0123` is 123 here and 83 there, `1_000` a string here and 1000
 * there); `:-` also stands in for a variable set to "" (the collector's only for an unset one);
 * an empty value is "" (the collector's null, which its string fields read as "" and its other
 * fields as absent).
 * Pure.
 */
import { parseCollectorDocument } from '../shared/go-yaml.js';
import { yamlToJs } from '../shared/yaml-js.js';
import type { ConfigProblem } from '../shared/schema.js';
import { joinPath } from '../shared/schema.js';

export interface ExpandResult {
  value: unknown;
  /**
   * Key path → text, for every whole-value reference whose YAML value is not a string: what a
   * string field reads there instead of the typed value.
   */
  stringForms: ReadonlyMap<string, string>;
  /** The environment variables read, set or not, sorted: names only, never values. */
  variables: readonly string[];
  /** Key path → the unset variable (no default) that left it empty: named in the problems there. */
  unset: ReadonlyMap<string, string>;
  problems: ConfigProblem[];
  warnings: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Upstream `expandValueRecursively`'s bound. */
const MAX_ROUNDS = 1000;
/** What a schema says of a string field given another type (`friendlyMessage` in shared/schema.ts). */
const EXPECTED_STRING = 'expected a string';

/** A whole-value reference's result: its YAML value and the text it was read from (upstream `ExpandedValue`). */
class Expanded {
  readonly value: unknown;
  readonly original: string;

  constructor(value: unknown, original: string) {
    this.value = value;
    this.original = original;
  }
}

/** What one reference yields: its value, and its text for a place inside a longer string. */
interface Retrieved {
  readonly value: unknown;
  readonly text: string;
}

/** One round of expansion over a value: the result, and whether anything was substituted. */
interface Step {
  readonly value: unknown;
  readonly changed: boolean;
}

const EMPTY: Retrieved = { value: '', text: '' };

/** Expands every string value below `raw`; `basePath` prefixes the key paths in messages. */
export function expandEnv(raw: unknown, env: Env, basePath = ''): ExpandResult {
  const expander = new Expander(env);
  const value = expander.walk(raw, basePath);
  return {
    value,
    stringForms: expander.stringForms,
    variables: [...expander.variables].sort(),
    unset: expander.unset,
    problems: [...expander.problems.values()],
    warnings: [...expander.warnings],
  };
}

/**
 * `raw`, the value at `basePath`, with the string form put back at every path where a problem
 * says a string was expected and a whole-value reference left a typed value: the collector's
 * string fields read the variable's text. Undefined when no problem is of that kind, so a caller
 * validates again only when that can help.
 */
export function withStringForms(raw: unknown, basePath: string, problems: readonly ConfigProblem[], stringForms: ReadonlyMap<string, string>): unknown {
  const paths = new Set(problems.filter((p) => p.message === EXPECTED_STRING && stringForms.has(p.path)).map((p) => p.path));
  if (paths.size === 0) return undefined;
  const put = (node: unknown, path: string): unknown => {
    if (paths.has(path)) return stringForms.get(path);
    if (Array.isArray(node)) return node.map((v, i) => put(v, joinPath(path, [i])));
    if (isMap(node)) return mapValues(node, (v, k) => put(v, joinPath(path, [k])));
    return node;
  };
  return put(raw, basePath);
}

/** One expansion of a document; problems and warnings are kept once each, in order. */
class Expander {
  readonly problems = new Map<string, ConfigProblem>();
  readonly warnings = new Set<string>();
  readonly stringForms = new Map<string, string>();
  readonly unset = new Map<string, string>();
  /** Shared with the probes that expand a value's text, so every name read is listed. */
  readonly variables: Set<string>;
  private readonly _env: Env;

  constructor(env: Env, variables = new Set<string>()) {
    this._env = env;
    this.variables = variables;
  }

  /** The document with every string expanded; the file's maps and lists keep their shape. */
  walk(node: unknown, path: string): unknown {
    if (typeof node === 'string') return this.settle(this.resolve(node, path), path);
    if (Array.isArray(node)) return node.map((v, i) => this.walk(v, joinPath(path, [i])));
    if (isMap(node)) return mapValues(node, (v, k) => this.walk(v, joinPath(path, [k])));
    return node;
  }

  /** `text` expanded round after round until nothing changes (upstream `expandValueRecursively`). */
  private resolve(text: string, path: string): unknown {
    let value: unknown = text;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const step = this.expand(value, path);
      if (!step.changed) return step.value;
      value = step.value;
    }
    this.problem(path, `too many recursive expansions of ${text} (does a variable refer to itself?)`);
    return '';
  }

  /** One round over a value and everything in it (upstream `expandValue`). */
  private expand(value: unknown, path: string): Step {
    if (value instanceof Expanded) return this.expandExpanded(value, path);
    if (typeof value === 'string') return this.expandString(value, path);
    if (Array.isArray(value) || isMap(value)) return this.expandEach(value, path);
    return { value, changed: false };
  }

  private expandEach(value: unknown[] | Record<string, unknown>, path: string): Step {
    let changed = false;
    const step = (v: unknown, key: string | number): unknown => {
      const s = this.expand(v, joinPath(path, [key]));
      changed ||= s.changed;
      return s.value;
    };
    return { value: Array.isArray(value) ? value.map(step) : mapValues(value, step), changed };
  }

  /**
   * A whole-value result is expanded again. A string result stands alone; any other keeps its
   * text, expanded the same way, unless that text cannot be (a bad reference in a YAML comment of
   * the value) or is itself one whole reference.
   */
  private expandExpanded(e: Expanded, path: string): Step {
    const inner = this.expand(e.value, path);
    if (typeof inner.value === 'string' || inner.value instanceof Expanded) return inner;
    const probe = new Expander(this._env, this.variables);
    const original = probe.expand(e.original, path);
    if (probe.problems.size > 0 || typeof original.value !== 'string') return inner;
    return { value: new Expanded(inner.value, original.value), changed: inner.changed || original.changed };
  }

  /**
   * Substitutes the first reference in `text` (upstream `findAndExpandURI`): the whole value when
   * `text` is that reference, else its text at every place the reference is written.
   */
  private expandString(text: string, path: string): Step {
    const ref = firstReference(text);
    if (ref === undefined) return { value: text, changed: false };
    const got = this.retrieve(ref, path);
    if (ref === text) return { value: new Expanded(got.value, got.text), changed: true };
    return { value: text.split(ref).join(got.text), changed: true };
  }

  /** What `${…}` stands for (upstream `expandURI` and the env provider); a bad reference is a problem and "". */
  private retrieve(ref: string, path: string): Retrieved {
    const uri = ref.slice(2, -1);
    const [scheme, body] = uri.includes(':') ? splitOnce(uri, ':') : ['env', uri];
    if (scheme !== 'env') {
      const hint = body.startsWith('-') ? `; a default needs the env: prefix, as in \${env:${scheme}:${body}}` : '';
      return this.fail(path, `config provider "${scheme}" in ${ref} is not supported (only env)${hint}`);
    }
    if (body.includes('$')) return this.fail(path, `"$" is not allowed inside ${ref}`);
    const [name, fallback] = body.includes(':-') ? splitOnce(body, ':-') : [body, undefined];
    if (!NAME.test(name)) return this.fail(path, `invalid environment variable name in ${ref}`);
    this.variables.add(name);
    return this.lookup(name, fallback, path);
  }

  private lookup(name: string, fallback: string | undefined, path: string): Retrieved {
    const value = this._env[name];
    if (value !== undefined && !(value === '' && fallback !== undefined)) return fromYaml(value);
    if (fallback !== undefined) return fromYaml(fallback);
    this.warnings.add(`${path}: environment variable ${name} is not set; using an empty string`);
    this.unset.set(path, name);
    return EMPTY;
  }

  /**
   * The final value (upstream `escapeDollarSigns`): `$$` unescaped everywhere, and the text of
   * each whole-value reference that is not a string kept in `stringForms` under its path.
   */
  private settle(value: unknown, path: string): unknown {
    if (value instanceof Expanded) {
      const settled = this.settle(value.value, path);
      if (typeof settled !== 'string') this.stringForms.set(path, unescape(value.original));
      return settled;
    }
    if (typeof value === 'string') return unescape(value);
    if (Array.isArray(value)) return value.map((v, i) => this.settle(v, joinPath(path, [i])));
    if (isMap(value)) return mapValues(value, (v, k) => this.settle(v, joinPath(path, [k])));
    return value;
  }

  private fail(path: string, message: string): Retrieved {
    this.problem(path, message);
    return EMPTY;
  }

  private problem(path: string, message: string): void {
    this.problems.set(`${path}\0${message}`, { path, message });
  }
}

/**
 * The reference to expand first in `text` (upstream `findURI`): the innermost `${…}` closed by the
 * first `}`. Undefined when there is none, or when an odd run of `$` escapes it — upstream then
 * looks no further in that string.
 */
function firstReference(text: string): string | undefined {
  const close = text.indexOf('}');
  if (close < 0) return undefined;
  const open = text.lastIndexOf('${', close);
  if (open < 0) return firstReference(text.slice(close + 1));
  return dollarsBefore(text, open) % 2 === 1 ? undefined : text.slice(open, close + 1);
}

function dollarsBefore(text: string, index: number): number {
  let n = 0;
  while (index - n > 0 && text[index - n - 1] === '$') n++;
  return n;
}

/**
 * A variable's text read as YAML, as the env provider does (`NewRetrievedFromYAML`): a YAML
 * string, or text that is not YAML, is the text itself; anything else is typed. Empty text is the
 * empty string (the collector's null, which its string fields read as "").
 */
function fromYaml(text: string): Retrieved {
  if (text === '') return EMPTY;
  const doc = parseCollectorDocument(text, { merge: true });
  const js = doc.errors.length > 0 ? undefined : yamlToJs(doc, text);
  if (!js?.ok) return { value: text, text };
  const value = js.value;
  return { value: typeof value === 'string' ? text : value, text };
}

function unescape(text: string): string {
  return text.split('$$').join('$');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Expanded);
}

function mapValues(map: Record<string, unknown>, f: (value: unknown, key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) out[k] = f(v, k);
  return out;
}
