import { test as propTest } from '@fast-check/vitest';
import { expect } from 'vitest';
import { cloneBatch, forEachSpan } from '../../../../src/protocol/otlp/model.js';
import type { AccountedBatch } from '../../../../src/pipeline/accounting.js';
import { batch } from './arbitraries.js';

propTest.prop([batch])('cloneBatch is an equal deep copy that shares nothing mutable', (b) => {
  const copy = cloneBatch(b);
  expect(copy).toEqual(b);
  expect(copy.resourceSpans).not.toBe(b.resourceSpans);
  forEachSpan(copy, (s) => {
    s.attributes.push({ key: 'added', value: 'x' });
    s.status.message = 'changed';
  });
  forEachSpan(b, (s) => {
    expect(s.attributes.some((a) => a.key === 'added')).toBe(false);
    expect(s.status.message).not.toBe('changed');
  });
});

propTest.prop([batch])('cloneBatch keeps the shadow mark of a fan-out copy', (b) => {
  const shadow: AccountedBatch = { ...b, shadow: true };
  expect(cloneBatch(shadow).shadow).toBe(true);
  expect('shadow' in cloneBatch(b)).toBe(false);
});
