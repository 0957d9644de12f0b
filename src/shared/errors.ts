import { formatProblem, type ConfigProblem } from './schema.js';

/**
 * Input a user can fix: a missing file, bad YAML, a scenario or collector config that does not
 * validate, a bad `--set` path or gate expression. The CLI prints `message` (no stack trace) and
 * exits 2. `problems` lists every problem found, each with its full key path.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly file: string | undefined;
  readonly problems: readonly ConfigProblem[];
  /** The message as given, without the file and the problem list. */
  readonly headline: string;

  constructor(message: string, options: { file?: string; problems?: readonly ConfigProblem[]; cause?: unknown } = {}) {
    super(InputError.compose(message, options.file, options.problems ?? []), { cause: options.cause });
    this.headline = message;
    this.file = options.file;
    this.problems = options.problems ?? [];
  }

  private static compose(message: string, file: string | undefined, problems: readonly ConfigProblem[]): string {
    const head = file ? `${file}: ${message}` : message;
    if (problems.length === 0) return head;
    return `${head}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`;
  }
}

/** `err` with `file` named when it is an InputError that names none (a component's start-up check); else `err`. */
export function inFile(err: unknown, file: string): unknown {
  if (!(err instanceof InputError) || err.file !== undefined) return err;
  return new InputError(err.headline, { file, problems: err.problems, cause: err.cause });
}
