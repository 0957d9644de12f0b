import { gzipSync } from 'node:zlib';
import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { batchGzipBytes, batchProtoBytes } from '../../../../src/protocol/otlp/batch-bytes.js';
import { encodeExportRequest } from '../../../../src/protocol/otlp/proto-encode.js';
import { batch } from './arbitraries.js';

test.prop([batch], { numRuns: 50 })('a batch measures as its encoded request and its gzip, however often it is asked', (b) => {
  const encoded = encodeExportRequest(b);
  for (let i = 0; i < 2; i++) {
    expect(batchProtoBytes(b)).toBe(encoded.length);
    expect(batchGzipBytes(b)).toBe(gzipSync(encoded).length);
  }
});
