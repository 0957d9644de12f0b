/**
 * The syntax tree of the OTTL subset. Plain data; built by `parser.ts`, read by `evaluate.ts`.
 */

/** Which part of the telemetry a path reads: the span, its resource, its scope or a span event. */
export type PathTarget = 'span' | 'resource' | 'scope' | 'spanevent';

/**
 * A path such as `attributes["http.route"]`, `resource.attributes["service.name"]`, `name`,
 * `status.code`. `field` is the dotted field name below the target; `key` is set for
 * `attributes[...]` lookups.
 */
export interface PathExpr {
  readonly type: 'path';
  readonly target: PathTarget;
  readonly field: string;
  readonly key?: string;
  /** The path as written, for messages. */
  readonly text: string;
}

/** A literal; integers stay `bigint` so they compare and store as OTLP ints. */
export interface LiteralExpr {
  readonly type: 'literal';
  readonly value: string | number | bigint | boolean | null;
}

export type ValueExpr = PathExpr | LiteralExpr;

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly type: 'and'; readonly left: Condition; readonly right: Condition }
  | { readonly type: 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly type: 'not'; readonly operand: Condition }
  | { readonly type: 'compare'; readonly op: CompareOp; readonly left: ValueExpr; readonly right: ValueExpr }
  | { readonly type: 'is_match'; readonly target: ValueExpr; readonly pattern: RegExp }
  | { readonly type: 'bool'; readonly value: boolean };

/** A transform statement with its optional `where` clause. */
export type Statement =
  | { readonly type: 'set'; readonly target: PathExpr; readonly value: ValueExpr; readonly where?: Condition }
  | { readonly type: 'delete_key'; readonly target: PathExpr; readonly key: string; readonly where?: Condition }
  | {
      readonly type: 'replace_pattern';
      readonly target: PathExpr;
      readonly pattern: RegExp;
      readonly replacement: string;
      readonly where?: Condition;
    };
