import { PermanentError } from '../../pipeline/errors.js';

/** Which wire format the bad input was in. */
export type OtlpFormat = 'protobuf' | 'json';

/**
 * Bad OTLP input: truncated or garbage protobuf, a wrong wire type, invalid JSON, an id of the
 * wrong length. Permanent (retrying the same bytes cannot help), so a receiver answers
 * INVALID_ARGUMENT / HTTP 400. The decoders throw nothing else for any input.
 *
 * The message names where it went wrong: the field path
 * (`resource_spans[0].scope_spans[1].spans[3].trace_id`; JSON paths use the JSON key names),
 * the byte offset (protobuf) or line (JSON lines), and what was expected.
 */
export class OtlpDecodeError extends PermanentError {
  readonly format: OtlpFormat;
  /** Field path from the request root; '' when the problem is at the top level. */
  path: string;
  /** Byte offset into the protobuf input where the problem was found, when known. */
  readonly offset: number | undefined;
  /** 1-based line of a JSON-lines input, when known. */
  line: number | undefined;
  /** What was wrong, e.g. `expected 16 bytes, got 3`. */
  readonly detail: string;

  constructor(format: OtlpFormat, detail: string, options?: { path?: string; offset?: number; line?: number; cause?: unknown }) {
    super('', options?.cause === undefined ? undefined : { cause: options.cause });
    this.format = format;
    this.detail = detail;
    this.path = options?.path ?? '';
    this.offset = options?.offset;
    this.line = options?.line;
    this.message = this._render();
  }

  /** Prepends an outer path segment (`spans[3]`); decoders call this while unwinding. */
  prefixPath(segment: string): this {
    this.path = this.path === '' ? segment : `${segment}.${this.path}`;
    this.message = this._render();
    return this;
  }

  /** Records the JSON-lines line number. */
  atLine(line: number): this {
    this.line = line;
    this.message = this._render();
    return this;
  }

  private _render(): string {
    const where: string[] = [];
    if (this.line !== undefined) where.push(`line ${this.line}`);
    if (this.path !== '') where.push(this.path);
    if (this.offset !== undefined) where.push(`byte ${this.offset}`);
    return `invalid OTLP ${this.format}${where.length > 0 ? ` at ${where.join(', ')}` : ''}: ${this.detail}`;
  }
}
