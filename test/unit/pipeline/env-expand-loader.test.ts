/**
 * `${env:…}` end to end through the collector config loader: what the components' factories get.
 */
import { describe, expect, it } from 'vitest';
import type { TailSamplingConfig } from '../../../src/components/processors/tail-sampling/config.js';
import type { OtlpExporterConfig } from '../../../src/components/exporters/otlp/config.js';
import { loadCollectorConfig } from '../../../src/pipeline/config-loader.js';

const CONFIG = `receivers:
  otlp:
    protocols:
      grpc:
processors:
  tail_sampling:
    decision_wait: \${env:DW}
    num_traces: \${env:N}
    policies:
      - name: errors
        type: status_code
        status_code:
          status_codes: \${env:CODES}
      - name: defaulted
        type: status_code
        status_code:
          status_codes: \${env:NO_CODES:-[ERROR]}
      - name: rest
        type: probabilistic
        probabilistic:
          sampling_percentage: \${env:PCT}
          hash_salt: \${env:SALT}
exporters:
  otlp:
    endpoint: \${env:HOST}:4317
    tls:
      insecure: true
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [tail_sampling]
      exporters: [otlp]
`;

describe('collector config with ${env:…} values', () => {
  const load = () => loadCollectorConfig(CONFIG, 'c.yaml', { DW: '5s', N: '5000', PCT: '10', CODES: '[ERROR, OK]', HOST: '0123', SALT: '0123' });

  // hash_salt: a string field given a whole-value reference that reads as a number gets its text
  it('gives list, number and duration fields the typed value of the variable, string fields its text', () => {
    const tail = load().config.processors.get('tail_sampling')!.config as TailSamplingConfig;
    expect(tail.decisionWaitMs).toBe(5000);
    expect(tail.numTraces).toBe(5000);
    expect(tail.policies).toEqual([
      { name: 'errors', type: 'status_code', statusCode: { statusCodes: ['ERROR', 'OK'] } },
      { name: 'defaulted', type: 'status_code', statusCode: { statusCodes: ['ERROR'] } },
      { name: 'rest', type: 'probabilistic', probabilistic: { hashSalt: '0123', samplingPercentage: 10 } },
    ]);
  });

  it('a value an unset variable left empty fails naming the variable', () => {
    let problems: string[] = [];
    try {
      loadCollectorConfig(CONFIG, 'c.yaml', { DW: '5s', PCT: '10', CODES: '[ERROR, OK]', HOST: 'h', SALT: 's' });
    } catch (err) {
      problems = (err as { problems: { path: string; message: string }[] }).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual(['processors.tail_sampling.num_traces: expected a number (environment variable N is not set)']);
  });

  it('inserts the text of a variable into a longer string', () => {
    const result = load();
    expect((result.config.exporters.get('otlp')!.config as OtlpExporterConfig).endpoint).toBe('0123:4317');
    expect(result.warnings).toEqual([]);
  });
});
