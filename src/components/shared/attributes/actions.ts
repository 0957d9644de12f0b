/**
 * Attribute actions shared by the `resource` and `attributes` processors (collector-contrib
 * `internal/coreinternal/attraction`): insert, update, upsert, delete, hash, extract, convert,
 * applied in the order listed.
 *
 * - insert: set when the key is absent; update: set when present; upsert: set either way. The new
 *   value is `value`, or the value of `from_attribute` (skipped when that is absent);
 *   `from_context` (client metadata) has no source in tracesim and is a no-op.
 * - delete: remove `key` and every key matching `pattern`.
 * - hash: replace the value by the lowercase hex SHA-1 of its bytes — a string's UTF-8, an int's
 *   8 little-endian bytes, a double's IEEE-754 bits little-endian, a bool as one byte 1/0.
 * - extract: match `pattern`'s named groups against the string value of `key` and upsert one
 *   attribute per group.
 * - convert: to `int`, `double` or `string` (values that do not convert are left unchanged).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { compileRe2 } from '../re2.js';
import type { AnyValue, KeyValue } from '../../../protocol/otlp/model.js';

export type AttributeActionKind = 'insert' | 'update' | 'upsert' | 'delete' | 'hash' | 'extract' | 'convert';

export interface AttributeAction {
  readonly action: AttributeActionKind;
  readonly key: string | undefined;
  readonly value?: AnyValue;
  readonly fromAttribute?: string;
  readonly fromContext?: string;
  readonly pattern?: RegExp;
  readonly convertedType?: 'int' | 'double' | 'string';
}

const yamlValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const attributeActionSchema = z.strictObject({
  key: z.string().optional(),
  action: z.string(),
  value: yamlValue.optional(),
  from_attribute: z.string().optional(),
  from_context: z.string().optional(),
  pattern: z.string().optional(),
  converted_type: z.string().optional(),
});

export type AttributeActionRaw = z.output<typeof attributeActionSchema>;

/** YAML scalars → OTLP values: integers become int (bigint), other numbers double. */
export function yamlToAnyValue(v: string | number | boolean | null): AnyValue {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

/** Validates and compiles actions; problems have paths relative to the list (`[i].key`). */
export function compileActions(raw: readonly AttributeActionRaw[]): { actions: AttributeAction[]; problems: { path: (string | number)[]; message: string }[] } {
  const actions: AttributeAction[] = [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  raw.forEach((a, i) => {
    const kinds: readonly string[] = ['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'];
    if (!kinds.includes(a.action.toLowerCase())) {
      problems.push({ path: [i, 'action'], message: `unsupported action ${JSON.stringify(a.action)} (insert, update, upsert, delete, hash, extract, convert)` });
      return;
    }
    const action = a.action.toLowerCase() as AttributeActionKind;
    let pattern: RegExp | undefined;
    if (a.pattern !== undefined) {
      try {
        pattern = compileRe2(a.pattern);
      } catch {
        problems.push({ path: [i, 'pattern'], message: `invalid regular expression ${JSON.stringify(a.pattern)}` });
        return;
      }
    }
    if ((a.key === undefined || a.key === '') && !(pattern && (action === 'delete' || action === 'hash'))) {
      problems.push({ path: [i, 'key'], message: `missing key for action ${action}` });
      return;
    }
    const sources = [a.value !== undefined, a.from_attribute !== undefined, a.from_context !== undefined].filter(Boolean).length;
    if ((action === 'insert' || action === 'update' || action === 'upsert') && sources !== 1) {
      problems.push({ path: [i], message: `exactly one of value, from_attribute or from_context must be set for action ${action}` });
      return;
    }
    if (action === 'extract') {
      if (!pattern) {
        problems.push({ path: [i, 'pattern'], message: 'required for action extract' });
        return;
      }
      if (!/\(\?<[A-Za-z_][A-Za-z0-9_]*>/.test(pattern.source)) {
        problems.push({ path: [i, 'pattern'], message: 'needs at least one named group (?<name>…) for action extract' });
        return;
      }
    }
    let convertedType: AttributeAction['convertedType'];
    if (action === 'convert') {
      if (a.converted_type !== 'int' && a.converted_type !== 'double' && a.converted_type !== 'string') {
        problems.push({ path: [i, 'converted_type'], message: 'expected one of int, double, string' });
        return;
      }
      convertedType = a.converted_type;
    }
    actions.push({
      action,
      key: a.key === '' ? undefined : a.key,
      ...(a.value !== undefined ? { value: yamlToAnyValue(a.value) } : {}),
      ...(a.from_attribute !== undefined ? { fromAttribute: a.from_attribute } : {}),
      ...(a.from_context !== undefined ? { fromContext: a.from_context } : {}),
      ...(pattern ? { pattern } : {}),
      ...(convertedType ? { convertedType } : {}),
    });
  });
  return { actions, problems };
}

function indexOf(attrs: readonly KeyValue[], key: string): number {
  for (let i = 0; i < attrs.length; i++) if (attrs[i]!.key === key) return i;
  return -1;
}

function setValue(attrs: KeyValue[], key: string, value: AnyValue): void {
  const i = indexOf(attrs, key);
  if (i >= 0) attrs[i] = { key, value };
  else attrs.push({ key, value });
}

/** The bytes upstream hashes for a value; undefined ⇒ the value becomes the empty string. */
function hashInput(v: AnyValue): Uint8Array | undefined {
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'boolean') return Uint8Array.of(v ? 1 : 0);
  if (typeof v === 'bigint') {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, v));
    return b;
  }
  if (typeof v === 'number') {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return b;
  }
  return undefined;
}

export function sha1Hex(v: AnyValue): string {
  const bytes = hashInput(v);
  return bytes && bytes.length > 0 ? createHash('sha1').update(bytes).digest('hex') : '';
}

function convert(v: AnyValue, to: 'int' | 'double' | 'string'): AnyValue {
  switch (to) {
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      return v;
    case 'int':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : v;
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return BigInt(v.trim());
      return v;
    case 'double':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return v;
  }
}

/** Applies `actions` in order to `attrs`, in place. */
export function applyActions(actions: readonly AttributeAction[], attrs: KeyValue[]): void {
  for (const a of actions) {
    switch (a.action) {
      case 'insert':
      case 'update':
      case 'upsert': {
        let value: AnyValue | undefined = a.value;
        if (a.fromAttribute !== undefined) {
          const j = indexOf(attrs, a.fromAttribute);
          value = j >= 0 ? attrs[j]!.value : undefined;
        }
        if (value === undefined) break;
        const present = indexOf(attrs, a.key!) >= 0;
        if ((a.action === 'insert' && present) || (a.action === 'update' && !present)) break;
        setValue(attrs, a.key!, value);
        break;
      }
      case 'delete':
        for (let i = attrs.length - 1; i >= 0; i--) {
          const k = attrs[i]!.key;
          if (k === a.key || a.pattern?.test(k)) attrs.splice(i, 1);
        }
        break;
      case 'hash':
        for (let i = 0; i < attrs.length; i++) {
          const kv = attrs[i]!;
          if (kv.key === a.key || a.pattern?.test(kv.key)) attrs[i] = { key: kv.key, value: sha1Hex(kv.value) };
        }
        break;
      case 'extract': {
        const j = indexOf(attrs, a.key!);
        const v = j >= 0 ? attrs[j]!.value : undefined;
        if (typeof v !== 'string') break;
        const m = a.pattern!.exec(v);
        if (m?.groups) for (const [name, g] of Object.entries(m.groups)) if (g !== undefined) setValue(attrs, name, g);
        break;
      }
      case 'convert': {
        const j = indexOf(attrs, a.key!);
        if (j >= 0) attrs[j] = { key: a.key!, value: convert(attrs[j]!.value, a.convertedType!) };
        break;
      }
    }
  }
}
