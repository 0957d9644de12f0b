/**
 * `${env:VAR}` substitution in collector configs, as the collector's confmap resolver does it:
 *
 * - `${env:VAR}` and `${VAR}` read the environment; `${env:VAR:-default}` falls back to `default`
 *   when VAR is unset or empty.
 * - `$$` is an escaped `$`; a `$` not followed by `{` or `$` stays as written (bare `$VAR` is no
 *   longer expanded by current collectors).
 * - Only values are expanded, never keys. When a value is exactly one reference, the result is
 *   re-read as a YAML scalar (so `${env:PORT}` with `PORT=4317` is the integer 4317), as confmap
 *   types whole-value expansions.
 * - An unset variable expands to the empty string with a warning.
 * - Other providers (`${file:…}`, `${http:…}`) are not available: a problem naming the scheme.
 *
 * Pure.
 */
import { parse as parseYaml } from 'yaml';
import type { ConfigProblem } from '../shared/schema.js';
import { joinPath } from '../shared/schema.js';

export interface ExpandResult {
  value: unknown;
  problems: ConfigProblem[];
  warnings: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Expands every string value below `raw`; `basePath` prefixes the key paths in messages. */
export function expandEnv(raw: unknown, env: Readonly<Record<string, string | undefined>>, basePath = ''): ExpandResult {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];

  const expandString = (text: string, path: string): unknown => {
    if (!text.includes('$')) return text;
    let out = '';
    let refs = 0;
    let literalChars = 0;
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '$' && text[i + 1] === '$') {
        out += '$';
        literalChars++;
        i += 2;
        continue;
      }
      if (c === '$' && text[i + 1] === '{') {
        const end = text.indexOf('}', i + 2);
        if (end < 0) {
          out += text.slice(i);
          literalChars += text.length - i;
          break;
        }
        out += resolve(text.slice(i + 2, end), path);
        refs++;
        i = end + 1;
        continue;
      }
      out += c;
      literalChars++;
      i++;
    }
    if (refs === 1 && literalChars === 0) return typed(out);
    return out;
  };

  const resolve = (ref: string, path: string): string => {
    let scheme = 'env';
    let body = ref;
    const colon = ref.indexOf(':');
    if (colon >= 0) {
      scheme = ref.slice(0, colon);
      body = ref.slice(colon + 1);
    }
    if (scheme !== 'env') {
      problems.push({ path, message: `config provider "${scheme}" in \${${ref}} is not supported (only env)` });
      return '';
    }
    let fallback: string | undefined;
    const dflt = body.indexOf(':-');
    if (dflt >= 0) {
      fallback = body.slice(dflt + 2);
      body = body.slice(0, dflt);
    }
    if (!NAME.test(body)) {
      problems.push({ path, message: `invalid environment variable name in \${${ref}}` });
      return '';
    }
    const value = env[body];
    if (value === undefined || (value === '' && fallback !== undefined)) {
      if (fallback !== undefined) return fallback;
      warnings.push(`${path}: environment variable ${body} is not set; using an empty string`);
      return '';
    }
    return value;
  };

  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return expandString(node, path);
    if (Array.isArray(node)) return node.map((v, i) => walk(v, joinPath(path, [i])));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v, joinPath(path, [k]));
      return out;
    }
    return node;
  };

  return { value: walk(raw, basePath), problems, warnings };
}

/** A whole-value expansion is typed as a YAML scalar; maps and lists stay strings. */
function typed(text: string): unknown {
  if (text === '') return text;
  try {
    const v: unknown = parseYaml(text);
    return v === null || typeof v === 'object' ? text : v;
  } catch {
    return text;
  }
}
