import { InputError } from '../shared/errors.js';

/** OTLP transports a live run can send over (`--protocol`). */
export type LiveProtocol = 'grpc' | 'http/protobuf' | 'http/json';
export const LIVE_PROTOCOLS: readonly LiveProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

/** A `--protocol` given explicitly must fit the `--target` scheme (grpc:// ↔ grpc, http(s):// ↔ http/*). */
export function checkTargetProtocol(target: string, protocol: LiveProtocol): void {
  const scheme = /^(grpc|https?):\/\//.exec(target.trim())?.[1];
  if (scheme === undefined) return; // parseTarget says what is wrong with it
  if ((scheme === 'grpc') !== (protocol === 'grpc')) {
    throw new InputError(`--protocol ${protocol} does not fit --target ${target}: use ${scheme === 'grpc' ? 'grpc' : 'http/protobuf or http/json'} with a ${scheme}:// target, or leave --protocol out`);
  }
}
