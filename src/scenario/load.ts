/**
 * Loading a scenario: YAML text → raw object → validated `Scenario`. Every problem (schema and
 * semantic) is collected and thrown at once as one `InputError` naming the file and each full key
 * path. `--set` overrides (engineer E) apply to the raw object between load and parse.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { parseCollectorDocument } from '../shared/go-yaml.js';
import { yamlToJs } from '../shared/yaml-js.js';
import { InputError } from '../shared/errors.js';
import { isYamlMap, issuesToProblems } from '../shared/schema.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { semanticProblems } from './validate.js';

/**
 * Validates a raw scenario object. `file` names the source in messages and supplies the default
 * scenario name (its base name without extension). Throws `InputError` listing every problem.
 */
export function parseScenario(input: unknown, file: string): Scenario {
  const raw = withoutExtensionKeys(input);
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  const problems = result.success ? [] : issuesToProblems(result.error.issues, '');
  problems.push(...semanticProblems(raw));
  if (!result.success || problems.length > 0) {
    throw new InputError(`invalid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'})`, { file, problems });
  }
  const name = result.data.name ?? basename(file, extname(file));
  return { ...result.data, name };
}

/**
 * Top-level keys starting with `x-` are the scenario author's own (as in docker-compose): a place
 * to define YAML anchors (`x-http: &http {...}`) that operations then merge. They are dropped
 * before validation; every other unknown key is still a problem.
 */
function withoutExtensionKeys(raw: unknown): unknown {
  if (!isYamlMap(raw) || !Object.keys(raw).some((k) => k.startsWith('x-'))) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('x-')));
}

/** Reads and validates a scenario file. Bad YAML → `InputError` naming the file and line. */
export function loadScenarioFile(path: string): { scenario: Scenario; raw: unknown; yamlText: string } {
  let yamlText: string;
  try {
    yamlText = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read scenario: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path, cause: err });
  }
  const raw = parseYaml(yamlText, path);
  return { scenario: parseScenario(raw, path), raw, yamlText };
}

/** YAML text → plain object; syntax errors become one `InputError` with line and column. */
export function parseYaml(text: string, file: string, reading: 'yaml-1.2' | 'collector' = 'yaml-1.2'): unknown {
  const options = { prettyErrors: true, merge: true } as const;
  const doc = reading === 'collector' ? parseCollectorDocument(text, options) : parseDocument(text, options);
  if (doc.errors.length > 0) {
    // Later errors usually cascade from the first few; show those.
    const problems = doc.errors.slice(0, 3).map((e) => {
      const pos = e.linePos?.[0];
      const first = e.message.split('\n')[0] ?? e.message;
      return { path: pos ? `line ${pos.line}, column ${pos.col}` : '', message: first.replace(/ at line \d+, column \d+:?$/, '') };
    });
    throw new InputError('invalid YAML', { file, problems });
  }
  const js = yamlToJs(doc, text);
  if (!js.ok) throw new InputError('invalid YAML', { file, problems: [{ path: js.line !== undefined ? `line ${js.line}, column ${js.col}` : '', message: js.message }] });
  return js.value;
}

/** Stable hash of a raw scenario: sha256 of its canonical JSON (sorted keys), first 16 hex digits. */
export function scenarioHash(raw: unknown): string {
  return createHash('sha256').update(canonicalJson(raw)).digest('hex').slice(0, 16);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
