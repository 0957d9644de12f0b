/**
 * Storage estimate (reference storage-retention-drops.md §6(a), DESIGN.md "The report"): what the
 * window exported, projected to a day at the production rate, then to disk with a backend preset.
 *
 *   B                   = exported OTLP bytes / exported spans      (or storage.bytes_per_span)
 *   exportedSpansPerDay = exported spans / window s × 86 400 × (production rate / simulated rate)
 *   exportedBytesPerDay = exportedSpansPerDay × B                   ("GB written")
 *   diskBytesPerSpan    = B × o / c                                 (one copy; c compression, o index overhead)
 *   diskBytesPerDay     = exportedSpansPerDay × diskBytesPerSpan × RF
 *   steadyStateBytes    = diskBytesPerDay × (D + g) × (1 + h)        (D retention days, g granularity, h headroom)
 *
 * Every figure used lands in `assumptions` with its value and source. Pure.
 */
import { InputError } from '../shared/errors.js';
import type { StorageReport } from './model.js';

import { STORAGE_BACKENDS, type StorageBackend } from '../shared/storage-backends.js';

export const SECONDS_PER_DAY = 86_400;

export interface Figure {
  value: number;
  source: string;
}

/** One backend's defaults; each figure carries where it comes from. */
export interface BackendPreset {
  backend: StorageBackend;
  /** c: raw OTLP bytes ÷ on-disk bytes of one copy. */
  compression: Figure;
  /** o ≥ 1: index / denormalised-table amplification on top of the span data. */
  indexOverhead: Figure;
  replicationFactor: Figure;
  retentionDays: Figure;
  /** g: extra days held because data is deleted per day (daily indices or partitions); 0 for a continuous TTL. */
  granularityDays: Figure;
  /** h: compaction / temporary-space headroom as a fraction. */
  headroom: Figure;
}

const HEADROOM_ASSUMPTION: Figure = { value: 0.1, source: 'assumption: compaction/temp headroom 10 % (reference §6(a): default 0.1–0.2)' };

export const BACKEND_PRESETS: Readonly<Record<StorageBackend, BackendPreset>> = {
  tempo: {
    backend: 'tempo',
    compression: {
      value: 1 / 0.15,
      source: 'Tempo compression doc: zstd cuts storage to ~15 % of uncompressed (≈ 75 B/span at 500 B; the reference worked example); Parquet proposal measured ≈ 58 B/span',
    },
    indexOverhead: { value: 1, source: 'Tempo parquet blocks: no separate index tables (bloom filters negligible)' },
    replicationFactor: { value: 1, source: 'Tempo 3.0 release notes: RF1 (pre-3.0 RF3 gave 2–2.5× duplication; override replication_factor)' },
    retentionDays: { value: 14, source: 'Tempo compactor block_retention default 336h (3.0 release notes)' },
    granularityDays: { value: 0, source: 'Tempo deletes blocks continuously by block_retention' },
    headroom: HEADROOM_ASSUMPTION,
  },
  'jaeger-cassandra': {
    backend: 'jaeger-cassandra',
    compression: {
      value: 500 / 354,
      source: 'Jaeger documentation#210: 40k spans/s of ≈500 B, 2-day TTL, 14 nodes × 350 GB → ≈354 B/span per replica including index tables (compression and index amplification combined)',
    },
    indexOverhead: { value: 1, source: 'included in the documentation#210 per-replica figure (service, operation, duration and tag index rows)' },
    replicationFactor: { value: 2, source: 'Jaeger create.sh: REPLICATION_FACTOR default 2 in prod mode' },
    retentionDays: { value: 2, source: 'Jaeger create.sh: TRACE_TTL default 172800 s' },
    granularityDays: { value: 0, source: 'TWCS with 1 h windows: expiry is near-continuous' },
    headroom: HEADROOM_ASSUMPTION,
  },
  'jaeger-elasticsearch': {
    backend: 'jaeger-elasticsearch',
    compression: {
      value: 1 / 0.75,
      source: 'assumption: must be calibrated (nested tag docs make published docs/GB unusable per span); start 0.5·B–1·B, midpoint 0.75·B (reference §6(a))',
    },
    indexOverhead: { value: 1, source: 'included in the 0.75·B starting figure' },
    replicationFactor: { value: 2, source: 'Jaeger ES index default: 1 replica → 2 copies (reference §2.1)' },
    retentionDays: { value: 7, source: 'assumption: Jaeger has no ES retention default (es-index-cleaner is user-set); set storage.retention_days' },
    granularityDays: { value: 1, source: 'daily jaeger-span-* indices: deletion per whole day' },
    headroom: HEADROOM_ASSUMPTION,
  },
  clickhouse: {
    backend: 'clickhouse',
    compression: { value: 8.6, source: 'Jaeger v2 ClickHouse BENCHMARKING.md: 10 M spans, 5.99 GiB → 722 MiB (8.6×), spans table only' },
    indexOverhead: { value: 1, source: 'Jaeger v2 schema: spans table only (SigNoz-style index tables can add ≫ 1×: reference §2.1)' },
    replicationFactor: { value: 1, source: 'assumption: ClickHouse replicas are user-set; set storage.replication_factor' },
    retentionDays: { value: 7, source: 'assumption: table TTL is user-set; set storage.retention_days' },
    granularityDays: { value: 1, source: 'daily partitions: deletion per whole day' },
    headroom: HEADROOM_ASSUMPTION,
  },
  raw: {
    backend: 'raw',
    compression: { value: 1, source: 'raw: exact OTLP protobuf bytes as exported, no backend model' },
    indexOverhead: { value: 1, source: 'raw: no index' },
    replicationFactor: { value: 1, source: 'raw: one copy' },
    retentionDays: { value: 1, source: 'raw: one day of written bytes' },
    granularityDays: { value: 0, source: 'raw: continuous' },
    headroom: { value: 0, source: 'raw: no headroom' },
  },
};

/**
 * The scenario's `storage:` block, parsed (snake_case keys mapped to these). Every field is
 * optional; a present field replaces the preset's figure and its source becomes
 * `scenario storage.<key>`.
 */
export interface StorageOverrides {
  backend?: string;
  /** Replaces the measured mean OTLP bytes per exported span. */
  bytesPerSpan?: number;
  /** c; `'measured'` uses the run's own exported ÷ compressed bytes. */
  compression?: number | 'measured';
  indexOverhead?: number;
  replicationFactor?: number;
  retentionDays?: number;
  headroom?: number;
}

export interface StorageInput {
  /** Spans counted `exported` by the ledger during the window. */
  exportedSpans: number;
  /** Exact OTLP protobuf bytes of those spans (the storage meter). */
  exportedBytes: number;
  /** The same spans after the meter's compression (gzip/zstd); 0 when not measured. */
  compressedBytes: number;
  windowSeconds: number;
  /** Offered (generated) spans/s of the run. */
  simulatedSpansPerSecond: number;
  /** Offered spans/s in production (scenario `production_rate`); defaults to the simulated rate. */
  productionSpansPerSecond?: number;
  overrides?: StorageOverrides;
}

export function isStorageBackend(name: string): name is StorageBackend {
  return (STORAGE_BACKENDS as readonly string[]).includes(name);
}

/** Production ÷ simulated spans/s, the factor storage per day applies to the exported spans (1 without a production rate). */
export function productionRateScale(simulatedSpansPerSecond: number, productionSpansPerSecond: number | undefined): number {
  return productionSpansPerSecond === undefined || !(simulatedSpansPerSecond > 0) ? 1 : productionSpansPerSecond / simulatedSpansPerSecond;
}

export function estimateStorage(input: StorageInput): StorageReport {
  const o = input.overrides ?? {};
  const backendName = o.backend ?? 'tempo';
  if (!isStorageBackend(backendName)) {
    throw new InputError(`storage.backend: unknown backend "${backendName}" (known: ${STORAGE_BACKENDS.join(', ')})`);
  }
  const preset = BACKEND_PRESETS[backendName];
  const fromScenario = (key: string) => `scenario storage.${key}`;
  const pick = (value: number | undefined, key: string, fallback: Figure): Figure => (value === undefined ? fallback : { value, source: fromScenario(key) });

  const measuredB = input.exportedSpans > 0 ? input.exportedBytes / input.exportedSpans : 0;
  const bytesPerSpan = pick(o.bytesPerSpan, 'bytes_per_span', {
    value: measuredB,
    source: `measured: exact OTLP protobuf bytes of ${input.exportedSpans} exported spans (resource and scope amortised)`,
  });
  const wireRatio = input.exportedBytes > 0 && input.compressedBytes > 0 ? input.compressedBytes / input.exportedBytes : null;
  const compressedBytesPerSpan = wireRatio === null ? 0 : bytesPerSpan.value * wireRatio;

  let compression: Figure;
  if (o.compression === 'measured') {
    if (wireRatio === null) throw new InputError('storage.compression: "measured" needs compressed bytes from the storage meter, and none were measured');
    compression = { value: 1 / wireRatio, source: 'measured: exported bytes ÷ their gzip-compressed bytes in this run (the ratio any codec named in storage.compression is approximated by)' };
  } else compression = pick(o.compression, 'compression', preset.compression);
  const indexOverhead = pick(o.indexOverhead, 'index_overhead', preset.indexOverhead);
  const replicationFactor = pick(o.replicationFactor, 'replication_factor', preset.replicationFactor);
  const retentionDays = pick(o.retentionDays, 'retention_days', preset.retentionDays);
  const headroom = pick(o.headroom, 'headroom', preset.headroom);
  const granularityDays = preset.granularityDays;

  const productionRate: Figure =
    input.productionSpansPerSecond === undefined
      ? { value: input.simulatedSpansPerSecond, source: 'the simulated rate (scenario sets no production_rate)' }
      : { value: input.productionSpansPerSecond, source: 'scenario production_rate' };
  const rateScale = productionRateScale(input.simulatedSpansPerSecond, input.productionSpansPerSecond);
  const exportedSpansPerDay = input.windowSeconds > 0 ? (input.exportedSpans / input.windowSeconds) * SECONDS_PER_DAY * rateScale : 0;

  const exportedBytesPerDay = exportedSpansPerDay * bytesPerSpan.value;
  const diskBytesPerSpan = (bytesPerSpan.value * indexOverhead.value) / compression.value;
  const diskBytesPerDay = exportedSpansPerDay * diskBytesPerSpan * replicationFactor.value;
  const steadyStateBytes = diskBytesPerDay * (retentionDays.value + granularityDays.value) * (1 + headroom.value);

  return {
    bytesPerSpan: round2(bytesPerSpan.value),
    compressedBytesPerSpan: round2(compressedBytesPerSpan),
    exportedBytesPerDay: Math.round(exportedBytesPerDay),
    diskBytesPerDay: Math.round(diskBytesPerDay),
    steadyStateBytes: Math.round(steadyStateBytes),
    backend: backendName,
    retentionDays: retentionDays.value,
    replicationFactor: replicationFactor.value,
    assumptions: {
      backend: { value: backendName, source: o.backend === undefined ? 'default backend preset' : fromScenario('backend') },
      bytesPerSpan: { value: round2(bytesPerSpan.value), source: bytesPerSpan.source },
      windowSeconds: { value: input.windowSeconds, source: 'run window' },
      simulatedSpansPerSecond: { value: round2(input.simulatedSpansPerSecond), source: 'offered spans/s of the run' },
      productionSpansPerSecond: { value: round2(productionRate.value), source: productionRate.source },
      exportedSpansPerDay: { value: Math.round(exportedSpansPerDay), source: 'exported spans / window × 86 400 × production rate / simulated rate' },
      compression: { value: round2(compression.value), source: compression.source },
      indexOverhead: { value: indexOverhead.value, source: indexOverhead.source },
      diskBytesPerSpan: { value: round2(diskBytesPerSpan), source: 'bytesPerSpan × indexOverhead / compression (one copy)' },
      replicationFactor: { value: replicationFactor.value, source: replicationFactor.source },
      retentionDays: { value: retentionDays.value, source: retentionDays.source },
      retentionGranularityDays: { value: granularityDays.value, source: granularityDays.source },
      headroom: { value: headroom.value, source: headroom.source },
      steadyState: { value: 'diskBytesPerDay × (retentionDays + retentionGranularityDays) × (1 + headroom)', source: 'reference storage-retention-drops.md §6(a)' },
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
