import { describe, expect, it } from 'vitest';
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { classifyGrpcError, networkFailure } from '../../../../../src/components/exporters/shared/wire.js';

const grpcError = (code: number, details: string): ServiceError => Object.assign(new Error(details), { code, details, metadata: new Metadata() });

describe('classifying a failed export attempt', () => {
  it('a channel that never connected is retryable and got no answer; its empty resolution note is dropped', () => {
    const r = classifyGrpcError(grpcError(14, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: '));
    expect(r).toMatchObject({ kind: 'retryable', noAnswer: true });
    if (r.kind === 'retryable') expect(r.error.message).not.toContain('Resolution note');
  });

  it('a server that answers UNAVAILABLE (a memory limiter refusing) is a refusal, not a missing answer', () => {
    const r = classifyGrpcError(grpcError(14, 'data refused due to high memory usage'));
    expect(r.kind).toBe('retryable');
    expect(r).not.toHaveProperty('noAnswer');
    expect(classifyGrpcError(grpcError(3, 'bad data')).kind).toBe('permanent');
  });

  it('an HTTP request that failed before any response got no answer', () => {
    const err = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    const r = networkFailure(err);
    expect(r).toMatchObject({ kind: 'retryable', noAnswer: true });
    if (r.kind === 'retryable') expect(r.error.message).toBe('export request failed: fetch failed: connect ECONNREFUSED 127.0.0.1:1');
  });
});
