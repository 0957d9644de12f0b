/**
 * Parser for the OTTL subset (README.md beside this file): boolean conditions for `filter`,
 * `tail_sampling`'s `ottl_condition` and `where` clauses, and the `set` / `delete_key` /
 * `replace_pattern` statements of `transform`. Anything outside the subset is rejected with a
 * message naming the construct, never silently ignored. Pure.
 */
import type { CompareOp, Condition, LiteralExpr, PathExpr, PathTarget, Statement, ValueExpr } from './ast.js';
import { compileRe2 } from '../re2.js';
import { tokenize, type Token } from './lexer.js';

/** The context a statement or condition is written for; unprefixed paths resolve against it. */
export type OttlContext = 'span' | 'resource' | 'spanevent';

/**
 * A failed parse; `unsimulatedFunction` names the upstream OTTL function (an editor of the
 * standard set, or a converter call) that put valid upstream OTTL outside tracesim's subset.
 */
export type ParseFailed = { ok: false; message: string; unsimulatedFunction?: string };
export type ParseConditionResult = { ok: true; condition: Condition } | ParseFailed;
export type ParseStatementResult = { ok: true; statement: Statement } | ParseFailed;

/** The standard editors of upstream `ottlfuncs` (its README's list). */
const UPSTREAM_EDITORS = new Set([
  'append',
  'delete_index',
  'delete_key',
  'delete_matching_keys',
  'keep_matching_keys',
  'flatten',
  'keep_keys',
  'limit',
  'merge_maps',
  'replace_all_matches',
  'replace_all_patterns',
  'replace_match',
  'replace_pattern',
  'set',
  'stringify_all',
  'truncate_all',
]);

const ENUMS: Record<string, bigint> = {
  SPAN_KIND_UNSPECIFIED: 0n,
  SPAN_KIND_INTERNAL: 1n,
  SPAN_KIND_SERVER: 2n,
  SPAN_KIND_CLIENT: 3n,
  SPAN_KIND_PRODUCER: 4n,
  SPAN_KIND_CONSUMER: 5n,
  STATUS_CODE_UNSET: 0n,
  STATUS_CODE_OK: 1n,
  STATUS_CODE_ERROR: 2n,
};

/** Fields readable per target; `attributes` takes an optional `["key"]`. */
const FIELDS: Record<PathTarget, readonly string[]> = {
  span: [
    'attributes',
    'name',
    'kind',
    'status.code',
    'status.message',
    'trace_state',
    'trace_id.string',
    'span_id.string',
    'parent_span_id.string',
    'start_time_unix_nano',
    'end_time_unix_nano',
    'dropped_attributes_count',
  ],
  resource: ['attributes', 'dropped_attributes_count'],
  scope: ['attributes', 'name', 'version'],
  spanevent: ['attributes', 'name', 'time_unix_nano'],
};

/** Fields a statement may write. */
const WRITABLE = new Set(['span:attributes', 'span:name', 'span:status.code', 'span:status.message', 'resource:attributes', 'scope:attributes', 'scope:name', 'spanevent:attributes', 'spanevent:name']);

class ParseFailure extends Error {
  /** See `ParseFailed.unsimulatedFunction`. */
  readonly unsimulatedFunction: string | undefined;
  constructor(message: string, unsimulatedFunction?: string) {
    super(message);
    this.unsimulatedFunction = unsimulatedFunction;
  }
}

class Parser {
  private _i = 0;
  private readonly _tokens: Token[];
  private readonly _context: OttlContext;
  constructor(tokens: Token[], context: OttlContext) {
    this._tokens = tokens;
    this._context = context;
  }

  peek(): Token {
    return this._tokens[this._i]!;
  }
  next(): Token {
    const t = this._tokens[this._i]!;
    if (t.kind !== 'end') this._i++;
    return t;
  }
  isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.value === word;
  }
  isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === p;
  }
  expectPunct(p: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== p) throw new ParseFailure(`expected "${p}" at offset ${t.pos}, got ${describe(t)}`);
  }
  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw new ParseFailure(`unexpected ${describe(t)} at offset ${t.pos}`);
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('or')) {
      this.next();
      left = { type: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('and')) {
      this.next();
      left = { type: 'and', left, right: this.negation() };
    }
    return left;
  }

  negation(): Condition {
    if (this.isKeyword('not')) {
      this.next();
      return { type: 'not', operand: this.negation() };
    }
    return this.primary();
  }

  primary(): Condition {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    const t = this.peek();
    if (t.kind === 'ident' && /^[A-Z]/.test(t.value) && !(t.value in ENUMS)) return this.converter();
    const left = this.value();
    const op = this.peek();
    if (op.kind !== 'op') {
      if (left.type === 'literal' && typeof left.value === 'boolean') return { type: 'bool', value: left.value };
      throw new ParseFailure(`expected a comparison operator after ${describeValue(left)}, got ${describe(op)}`);
    }
    this.next();
    return { type: 'compare', op: op.value as CompareOp, left, right: this.value() };
  }

  converter(): Condition {
    const name = this.next() as Extract<Token, { kind: 'ident' }>;
    if (name.value !== 'IsMatch') {
      throw new ParseFailure(`unsupported function ${name.value} (the supported subset has IsMatch only)`, name.value);
    }
    this.expectPunct('(');
    const target = this.value();
    this.expectPunct(',');
    const pattern = this.regex();
    this.expectPunct(')');
    return { type: 'is_match', target, pattern };
  }

  regex(): RegExp {
    const t = this.next();
    if (t.kind !== 'string') throw new ParseFailure(`expected a regular expression string at offset ${t.pos}, got ${describe(t)}`);
    try {
      return compileRe2(t.value);
    } catch {
      throw new ParseFailure(`invalid regular expression ${JSON.stringify(t.value)}`);
    }
  }

  string(): string {
    const t = this.next();
    if (t.kind !== 'string') throw new ParseFailure(`expected a string at offset ${t.pos}, got ${describe(t)}`);
    return t.value;
  }

  value(): ValueExpr {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return literal(t.value);
      case 'number':
        return literal(t.isInt ? BigInt(t.value) : t.value);
      case 'ident': {
        if (t.value === 'true' || t.value === 'false') return literal(t.value === 'true');
        if (t.value === 'nil') return literal(null);
        const e = ENUMS[t.value];
        if (e !== undefined) return literal(e);
        if (/^[A-Z]/.test(t.value)) {
          // a converter call (`Concat(...)`) is upstream OTTL tracesim does not evaluate; a bare
          // capitalised name is an enum it does not know
          const after = this.peek();
          const call = after.kind === 'punct' && after.value === '(';
          throw new ParseFailure(call ? `unsupported function ${t.value}` : `unsupported function or enum ${t.value}`, call ? t.value : undefined);
        }
        return this.path(t.value, t.pos);
      }
      default:
        throw new ParseFailure(`expected a value at offset ${t.pos}, got ${describe(t)}`);
    }
  }

  path(first: string, pos: number): PathExpr {
    const segments = [first];
    while (this.isPunct('.')) {
      this.next();
      const t = this.next();
      if (t.kind !== 'ident') throw new ParseFailure(`expected a field name at offset ${t.pos}, got ${describe(t)}`);
      segments.push(t.value);
    }
    let key: string | undefined;
    if (this.isPunct('[')) {
      this.next();
      key = this.string();
      this.expectPunct(']');
      if (this.isPunct('[')) throw new ParseFailure('nested map indexing is not supported');
    }
    const written = segments.join('.') + (key === undefined ? '' : `[${JSON.stringify(key)}]`);
    let target: PathTarget = this._context;
    let rest = segments;
    const head = segments[0]!;
    if (segments.length > 1 && (head === 'span' || head === 'resource' || head === 'spanevent')) {
      target = head;
      rest = segments.slice(1);
    } else if (segments.length > 1 && (head === 'scope' || head === 'instrumentation_scope')) {
      target = 'scope';
      rest = segments.slice(1);
    }
    const field = rest.join('.');
    if (!FIELDS[target].includes(field)) {
      throw new ParseFailure(`unsupported path ${written} (at offset ${pos})`);
    }
    if (key !== undefined && field !== 'attributes') throw new ParseFailure(`path ${written} cannot be indexed`);
    return key === undefined ? { type: 'path', target, field, text: written } : { type: 'path', target, field, key, text: written };
  }

  statement(): Statement {
    const t = this.next();
    if (t.kind !== 'ident') throw new ParseFailure(`expected a function name at offset ${t.pos}, got ${describe(t)}`);
    this.expectPunct('(');
    let statement: Statement;
    switch (t.value) {
      case 'set': {
        const target = this.writablePath();
        this.expectPunct(',');
        const value = this.value();
        statement = { type: 'set', target, value };
        break;
      }
      case 'delete_key': {
        const target = this.writablePath();
        if (target.field !== 'attributes' || target.key !== undefined) throw new ParseFailure('delete_key needs a map path such as attributes');
        this.expectPunct(',');
        statement = { type: 'delete_key', target, key: this.string() };
        break;
      }
      case 'replace_pattern': {
        const target = this.writablePath();
        if (target.field === 'attributes' && target.key === undefined) throw new ParseFailure('replace_pattern needs a string path such as attributes["k"] or name (use replace_all_patterns for maps)');
        this.expectPunct(',');
        const pattern = this.regex();
        this.expectPunct(',');
        const replacement = this.string();
        statement = { type: 'replace_pattern', target, pattern: new RegExp(pattern.source, `${pattern.flags}g`), replacement: goReplacement(replacement) };
        break;
      }
      default:
        throw new ParseFailure(`unsupported function ${t.value} (the supported subset has set, delete_key, replace_pattern)`, UPSTREAM_EDITORS.has(t.value) ? t.value : undefined);
    }
    this.expectPunct(')');
    if (this.isKeyword('where')) {
      this.next();
      statement = { ...statement, where: this.condition() };
    }
    return statement;
  }

  writablePath(): PathExpr {
    const t = this.next();
    if (t.kind !== 'ident') throw new ParseFailure(`expected a path at offset ${t.pos}, got ${describe(t)}`);
    const p = this.path(t.value, t.pos);
    if (!WRITABLE.has(`${p.target}:${p.field}`)) throw new ParseFailure(`path ${p.text} cannot be written`);
    return p;
  }
}

function literal(value: LiteralExpr['value']): LiteralExpr {
  return { type: 'literal', value };
}

/** OTTL replacements use Go's `$1`/`${1}` syntax; JS uses `$1` too, but `${1}` must become `$1`. */
function goReplacement(text: string): string {
  return text.replace(/\$\{(\w+)\}/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`));
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'end of input';
    case 'string':
      return JSON.stringify(t.value);
    default:
      return `"${String(t.value)}"`;
  }
}

function describeValue(v: ValueExpr): string {
  return v.type === 'path' ? v.text : JSON.stringify(typeof v.value === 'bigint' ? Number(v.value) : v.value);
}

function run<T>(text: string, context: OttlContext, body: (p: Parser) => T): { ok: true; value: T } | ParseFailed {
  const lexed = tokenize(text);
  if (!lexed.ok) return { ok: false, message: `invalid OTTL ${JSON.stringify(text)}: ${lexed.message}` };
  const parser = new Parser(lexed.tokens, context);
  try {
    const value = body(parser);
    parser.expectEnd();
    return { ok: true, value };
  } catch (err) {
    if (err instanceof ParseFailure) {
      const message = `unsupported OTTL ${JSON.stringify(text)}: ${err.message}`;
      return err.unsimulatedFunction === undefined ? { ok: false, message } : { ok: false, message, unsimulatedFunction: err.unsimulatedFunction };
    }
    throw err;
  }
}

/**
 * Parses a boolean OTTL condition (`attributes["http.route"] == "/health" and kind == SPAN_KIND_SERVER`).
 * `context` decides what unprefixed paths such as `attributes` mean (default: the span).
 */
export function parseOttlCondition(text: string, context: OttlContext = 'span'): ParseConditionResult {
  const r = run(text, context, (p) => p.condition());
  return r.ok ? { ok: true, condition: r.value } : r;
}

/** Parses one transform statement (`set(attributes["env"], "prod") where name == "GET /"`). */
export function parseOttlStatement(text: string, context: OttlContext = 'span'): ParseStatementResult {
  const r = run(text, context, (p) => p.statement());
  return r.ok ? { ok: true, statement: r.value } : r;
}
