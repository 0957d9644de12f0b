/**
 * All terminal I/O of the CLI goes through a `CliContext`, so commands run in-process in tests
 * with captured output and a fake environment.
 */
export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Terminal width in columns when `isTTY`. */
  readonly columns?: number;
}

/** Narrowest width the console table wraps to; a terminal reporting less (or 0) gets `fallback`. */
const MIN_COLUMNS = 40;

/**
 * The width to lay text out in on `stream`: its terminal's columns, at most `max`; `fallback` when
 * it is not a terminal or reports no usable width (0 under `script` or a container TTY without a
 * size, where wrapping at 0 would put every word on a line of its own).
 */
export function layoutColumns(stream: OutputStream, fallback: number, max = Number.POSITIVE_INFINITY): number {
  const c = stream.isTTY ? stream.columns : undefined;
  return c !== undefined && Number.isFinite(c) && c >= MIN_COLUMNS ? Math.min(c, max) : Math.min(fallback, max);
}

/** ANSI colour on `stream`: a terminal, unless `NO_COLOR` is set (no-color.org). */
export function useColor(ctx: Pick<CliContext, 'env'>, stream: OutputStream): boolean {
  return stream.isTTY && ctx.env['NO_COLOR'] === undefined;
}

export type SignalName = 'SIGINT' | 'SIGTERM';

export interface CliContext {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Subscribes to a signal; returns the unsubscribe function. */
  onSignal(signal: SignalName, handler: () => void): () => void;
}

/** Exit codes of a process ended by a signal (128 + its number), as the shell reports them. */
const SIGNAL_EXIT_CODES: Record<SignalName, number> = { SIGINT: 130, SIGTERM: 143 };
/** How long a signal waits for a command to subscribe before it ends the process. */
const STARTUP_GRACE_MS = 3000;

/**
 * The process's SIGINT and SIGTERM, listened to from the first line of `main`: a signal that
 * arrives while the CLI is still loading is kept and handed to the command's handler when it
 * subscribes (a run interrupted that early still writes its report). A signal no command takes
 * within `STARTUP_GRACE_MS` ends the process with 128 + its number, as the default action would.
 */
function signalRelay(exit: (code: number) => void): (signal: SignalName, handler: () => void) => () => void {
  const handlers = new Map<SignalName, Set<() => void>>();
  const pending = new Set<SignalName>();
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as SignalName[]) {
    handlers.set(signal, new Set());
    process.on(signal, () => {
      const subscribed = [...handlers.get(signal)!];
      if (subscribed.length > 0) return void subscribed.forEach((h) => h());
      pending.add(signal);
      setTimeout(() => {
        if (pending.has(signal)) exit(SIGNAL_EXIT_CODES[signal]);
      }, STARTUP_GRACE_MS).unref();
    });
  }
  return (signal, handler) => {
    handlers.get(signal)!.add(handler);
    if (pending.delete(signal)) queueMicrotask(handler);
    return () => void handlers.get(signal)!.delete(handler);
  };
}

/** The real process's context; create it before loading the commands (see `signalRelay`). */
export function processContext(): CliContext {
  const subscribe = signalRelay((code) => process.exit(code));
  return {
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: {
      write: (t) => void process.stdout.write(t),
      get isTTY() {
        return process.stdout.isTTY === true;
      },
      get columns() {
        return process.stdout.columns;
      },
    },
    stderr: {
      write: (t) => void process.stderr.write(t),
      get isTTY() {
        return process.stderr.isTTY === true;
      },
    },
    onSignal: subscribe,
  };
}

/** A context that records output, for in-process CLI tests. */
export function memoryContext(argv: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  let out = '';
  let err = '';
  const handlers = new Map<SignalName, Set<() => void>>();
  const ctx: CliContext = {
    argv,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdout: { write: (t) => void (out += t), isTTY: false },
    stderr: { write: (t) => void (err += t), isTTY: false },
    onSignal(signal, handler) {
      const set = handlers.get(signal) ?? new Set();
      set.add(handler);
      handlers.set(signal, set);
      return () => void set.delete(handler);
    },
  };
  return {
    ctx,
    stdout: () => out,
    stderr: () => err,
    /** Delivers a signal to the subscribed handlers, as the OS would. */
    raise: (signal: SignalName) => handlers.get(signal)?.forEach((h) => h()),
  };
}
