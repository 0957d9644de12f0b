import { describe, expect, test } from 'vitest';
import { otlpReceiverFactory } from '../../../../../src/components/receivers/otlp/factory.js';
import { parseEndpoint } from '../../../../../src/components/receivers/otlp/config.js';

const parse = (raw: unknown) => otlpReceiverFactory.parseConfig(raw, 'receivers.otlp');

describe('otlp receiver config', () => {
  test('a protocol named without a body takes the defaults; an unnamed one is off', () => {
    const r = parse({ protocols: { grpc: null } });
    expect(r).toEqual({
      ok: true,
      config: { grpc: { endpoint: '127.0.0.1:4317', host: '127.0.0.1', port: 4317, maxRecvMsgSizeBytes: 4 * 1024 * 1024 }, http: undefined },
    });
  });

  test('reads the collector keys, including ones tracesim accepts without acting on', () => {
    const r = parse({
      protocols: {
        grpc: { endpoint: '0.0.0.0:14317', max_recv_msg_size_mib: 16, keepalive: { server_parameters: { max_connection_age: '60s' } }, tls: null },
        http: { endpoint: ':14318', traces_url_path: '/otlp/v1/traces', max_request_body_size: '10MiB', cors: { allowed_origins: ['*'] } },
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.grpc).toMatchObject({ host: '0.0.0.0', port: 14317, maxRecvMsgSizeBytes: 16 * 1024 * 1024 });
    expect(r.config.http).toMatchObject({ host: '0.0.0.0', port: 14318, tracesUrlPath: '/otlp/v1/traces', maxRequestBodySizeBytes: 10 * 1024 * 1024 });
  });

  test('reports every problem with its full key path', () => {
    const r = parse({ protocols: { grpc: { endpoint: 'nope', max_recv_msg_size_mib: 'big', bogus: 1 }, http: { traces_url_path: 'v1' } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path).sort();
    expect(paths).toEqual([
      'receivers.otlp.protocols.grpc.bogus',
      'receivers.otlp.protocols.grpc.endpoint',
      'receivers.otlp.protocols.grpc.max_recv_msg_size_mib',
      'receivers.otlp.protocols.http.traces_url_path',
    ]);
  });

  test('needs at least one protocol', () => {
    expect(parse(null)).toEqual({ ok: false, problems: [{ path: 'receivers.otlp.protocols', message: 'must specify at least one protocol (grpc, http)' }] });
    expect(parse({ protocols: {} })).toMatchObject({ ok: false });
  });

  test('parses host:port endpoints', () => {
    expect(parseEndpoint('localhost:4317')).toMatchObject({ host: 'localhost', port: 4317 });
    expect(parseEndpoint('[::1]:0')).toMatchObject({ host: '::1', port: 0 });
    expect(parseEndpoint(':4318')).toMatchObject({ host: '0.0.0.0', port: 4318 });
    expect(parseEndpoint('4317')).toBeUndefined();
    expect(parseEndpoint('host:99999')).toBeUndefined();
  });
});
