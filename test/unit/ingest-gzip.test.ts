// Gzip-compressed files (`.csv.gz` and every other supported format compressed) read directly, streamed,
// in Node: through importStream (what the worker and the CLI use) and through the CLI's file loader.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { importBytes, importStream, IngestError } from '../../src/lib/ingest/index.ts';
import { isGzip } from '../../src/lib/ingest/gzip.ts';
import { loadMetricFile } from '../../src/cli/load.ts';
import { seriesKey, type MetricFrame } from '../../src/lib/frame/types.ts';
import { repoRoot } from '../helpers/env.ts';

const fixture = (name: string) => readFileSync(resolve(repoRoot, 'test/fixtures/ingest', name));

/** Yields the bytes in chunks of `size`, as a file reader would. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function summary(f: MetricFrame) {
  return {
    format: f.meta.format,
    rejected: f.meta.rejected.count,
    series: f.series.map((s) => ({ key: seriesKey(s), t: Array.from(s.timestamps), v: Array.from(s.values) })),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'aura-gz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gzip input', () => {
  it('recognises gzip by its magic bytes, not by a name', () => {
    expect(isGzip(gzipSync(Buffer.from('a,b\n')))).toBe(true);
    expect(isGzip(Buffer.from('timestamp,value\n'))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });

  it.each(['wide.csv', 'long.csv', 'exposition.prom', 'prom-matrix.json', 'grafana-utf16.csv', 'influx.csv'])(
    '%s compressed reads exactly like the plain file, whatever the chunk size',
    async (name) => {
      const plain = fixture(name);
      const expected = summary(importBytes(plain, { origin: name, now: 0 }));
      const gz = gzipSync(plain);
      for (const size of [7, 4096]) {
        const f = await importStream(chunked(gz, size), { origin: name, now: 0 });
        expect(summary(f)).toEqual(expected);
      }
    },
  );

  it('reports progress in compressed bytes, ending at the file size', async () => {
    const rows = ['timestamp,cpu'];
    for (let i = 0; i < 20_000; i++) rows.push(`${1_700_000_000 + 60 * i},${(i % 97) / 97}`);
    const gz = gzipSync(rows.join('\n'));
    const seen: number[] = [];
    const f = await importStream(chunked(gz, 1024), {
      totalBytes: gz.length,
      onProgress: (p) => seen.push(p.bytes),
    });
    expect(f.series[0].values.length).toBe(20_000);
    expect(seen[seen.length - 1]).toBe(gz.length);
    expect(seen.every((b, i) => i === 0 || b >= seen[i - 1])).toBe(true);
  });

  it('a file cut short says the gzip data is damaged instead of returning part of it', async () => {
    const gz = gzipSync(fixture('wide.csv'));
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    await expect(importStream(chunked(cut, 64))).rejects.toThrow(/gzip data is damaged or cut short/);
  });

  it('importBytes (synchronous) refuses gzip with a pointer to importStream', () => {
    expect(() => importBytes(gzipSync(fixture('wide.csv')))).toThrow(IngestError);
    expect(() => importBytes(gzipSync(fixture('wide.csv')))).toThrow(/gzip-compressed.*importStream/);
  });

  it('the CLI loader reads a .csv.gz file, and a plain file named .gz too', async () => {
    const plain = fixture('wide.csv');
    const expected = summary(importBytes(plain));
    writeFileSync(join(dir, 'm.csv.gz'), gzipSync(plain));
    writeFileSync(join(dir, 'plain.csv.gz'), plain);
    expect(summary(await loadMetricFile(join(dir, 'm.csv.gz')))).toEqual(expected);
    expect(summary(await loadMetricFile(join(dir, 'plain.csv.gz')))).toEqual(expected);
  });
});
