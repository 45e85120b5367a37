import { FormatError } from '@emplace/core';
import { isRecord, parseJsonText } from './json-text.js';
import { sourceOf, type ReadOptions } from './read-options.js';
import { sourceAt } from './tokens.js';

export interface AwsLatencyInstance {
  name: string;
  /** Region codes in the order of the file's `data` object. */
  regions: string[];
  /** `matrix[i * n + j]` = measured latency from regions[i] to regions[j] in the file's unit (ms); directional, not a metric. */
  matrix: Float64Array;
  /** The file's `metadata` (percentile, timeframe, unit), values as strings. */
  metadata: Record<string, string>;
}

/**
 * Reads the CloudPing AWS inter-region latency JSON: `{ metadata, data: { from: { to: ms } } }`.
 * Every ordered pair must be present (the diagonal holds intra-region latency). The
 * matrix is kept as measured (asymmetric, triangle inequality broken): symmetrise it and
 * take its shortest-path closure (@emplace/core) where an algorithm needs a metric.
 */
export function readAwsLatency(text: string, options: ReadOptions = {}): AwsLatencyInstance {
  const source = sourceOf(options);
  const doc = parseJsonText(text, source);
  const fail = (message: string): FormatError => new FormatError(message, sourceAt(source));
  if (!isRecord(doc) || !isRecord(doc['data'])) throw fail('expected a JSON object with a "data" object (data[from][to] = latency)');
  const data = doc['data'];
  const regions = Object.keys(data);
  if (regions.length === 0) throw fail('"data" is empty');
  const n = regions.length;
  const index = new Map(regions.map((r, i) => [r, i]));
  const matrix = new Float64Array(n * n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const row = data[regions[i]!];
    if (!isRecord(row)) throw fail(`data[${JSON.stringify(regions[i])}] must be an object of latencies by destination`);
    for (const [to, v] of Object.entries(row)) {
      const j = index.get(to);
      if (j === undefined) throw fail(`data[${JSON.stringify(regions[i])}] names region ${JSON.stringify(to)}, which has no row of its own`);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw fail(`data[${JSON.stringify(regions[i])}][${JSON.stringify(to)}] must be a non-negative number, got ${JSON.stringify(v)}`);
      matrix[i * n + j] = v;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (Number.isNaN(matrix[i * n + j]!)) throw fail(`no latency from ${JSON.stringify(regions[i])} to ${JSON.stringify(regions[j])}`);
    }
  }
  const metadata: Record<string, string> = {};
  if (isRecord(doc['metadata'])) for (const [k, v] of Object.entries(doc['metadata'])) metadata[k] = String(v);
  return { name: options.name ?? 'aws-latency', regions, matrix, metadata };
}
