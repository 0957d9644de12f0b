/**
 * The two error classes that cross stage boundaries, as in the collector's `consumererror`:
 * a `PermanentError` must not be retried (bad data, a 4xx); any other rejection is retryable
 * (a refusal, a timeout, an unavailable backend). The mapping to gRPC and HTTP status codes
 * lives in one place: `src/protocol/otlp/status.ts`.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A retryable rejection; `retryAfterMs` carries a server's throttling hint when it gave one. */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * The memory limiter's refusal (`memorylimiter.ErrDataRefused`): retryable, so the receiver
 * answers gRPC UNAVAILABLE / HTTP 503 and a client may send again later.
 */
export class DataRefusedError extends RetryableError {
  /** The memory limiter that refused. */
  readonly componentId: string;
  constructor(componentId: string) {
    super(`data refused due to high memory usage (${componentId})`);
    this.componentId = componentId;
  }
}

/** Consuming after `shutdown()` is refused with this permanent error. */
export class ShutdownError extends PermanentError {
  constructor(componentId: string) {
    super(`${componentId} is shut down`);
  }
}

export function isPermanent(err: unknown): boolean {
  return err instanceof PermanentError;
}
