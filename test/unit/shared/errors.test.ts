import { describe, expect, it } from 'vitest';
import { inFile, InputError } from '../../../src/shared/errors.js';

describe('inFile', () => {
  it('names the file of an input error that names none, and leaves every other error alone', () => {
    const bare = new InputError('exporters.otlp/tempo: the endpoint is empty');
    const named = inFile(bare, 'c.yaml') as InputError;
    expect(named).toBeInstanceOf(InputError);
    expect(named.message).toBe('c.yaml: exporters.otlp/tempo: the endpoint is empty');
    const already = new InputError('bad', { file: 'a.yaml' });
    expect(inFile(already, 'c.yaml')).toBe(already);
    const other = new Error('boom');
    expect(inFile(other, 'c.yaml')).toBe(other);
  });
});
