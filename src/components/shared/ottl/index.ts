/**
 * The OTTL subset shared by `filter`, `transform` and tail sampling's `ottl_condition` policy.
 * See README.md for the grammar.
 */
export { parseOttlCondition, parseOttlStatement } from './parser.js';
export { errorModeSchema, type OttlErrorMode } from './error-mode.js';
export type { OttlContext, ParseConditionResult, ParseStatementResult } from './parser.js';
export { evaluateSpanCondition, evaluateCondition, executeStatement, readPath } from './evaluate.js';
export type { OttlTarget } from './evaluate.js';
export type { Condition, Statement, PathExpr, ValueExpr } from './ast.js';
