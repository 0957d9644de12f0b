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

/** The real process's context. */
export function processContext(): CliContext {
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
    onSignal(signal, handler) {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
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
