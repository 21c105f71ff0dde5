// Fuzzing every parser: random bytes and mutated fixtures must give a frame or a clean IngestError,
// never another exception or a hang, and the frame must keep the model's invariants.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { importBytes, importStream, IngestError } from '../../src/lib/ingest/index.ts';
import { repoRoot } from '../helpers/env.ts';

const dir = resolve(repoRoot, 'test/fixtures/ingest');
const fixtures = readdirSync(dir).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(resolve(dir, f))) }));

function checkInvariants(f: MetricFrame) {
  expect(f.series.length).toBeGreaterThan(0);
  for (const s of f.series) {
    expect(typeof s.name).toBe('string');
    expect(s.values.length).toBe(s.timestamps.length);
    expect(s.timestamps.length).toBeGreaterThan(0);
    for (let i = 0; i < s.timestamps.length; i++) {
      expect(Number.isInteger(s.timestamps[i])).toBe(true);
      if (i > 0) expect(s.timestamps[i]).toBeGreaterThan(s.timestamps[i - 1]);
    }
    for (const v of Object.values(s.labels)) expect(typeof v).toBe('string');
  }
  const r = f.meta.rejected;
  expect(r.count).toBeGreaterThanOrEqual(r.examples.length);
  for (const e of r.examples) {
    expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
    expect(e.reason.length).toBeGreaterThan(0);
  }
}

/** Imports; returns the frame, or null for a clean IngestError; anything else fails the property. */
function tryImport(bytes: Uint8Array): MetricFrame | null {
  try {
    const f = importBytes(bytes);
    checkInvariants(f);
    return f;
  } catch (err) {
    if (err instanceof IngestError) {
      expect(err.message.length).toBeGreaterThan(0);
      return null;
    }
    throw err;
  }
}

const enc = new TextEncoder();
const tokens = [
  '"',
  '""',
  ',',
  ';',
  '\t',
  '\n',
  '\r\n',
  '{',
  '}',
  '=',
  '#',
  '# EOF\n',
  '# TYPE x counter\n',
  'NaN',
  '+Inf',
  '-',
  '.',
  'e',
  '\\',
  '\u0000',
  '\ufeff',
  'é',
  '{__name__="',
  '_time',
  '#group',
  '[',
  ']',
  ':',
  'sep=;\n',
  '2024-01-01T00:00:00Z',
  '1700000000',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...tokens) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = bytes;
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.kind === 'flip' && b.length > 0) {
      b = b.slice();
      b[at % b.length] = m.byte;
    } else if (m.kind === 'insert') {
      const t = enc.encode(m.text);
      const out = new Uint8Array(b.length + t.length);
      out.set(b.subarray(0, at));
      out.set(t, at);
      out.set(b.subarray(at), at + t.length);
      b = out;
    } else if (m.kind === 'delete') {
      b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.len)]);
    } else if (m.kind === 'truncate') {
      b = b.slice(0, at);
    }
  }
  return b;
}

describe('ingest fuzzing', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        tryImport(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('random text made of format tokens', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 6 })), { maxLength: 80 }),
        (parts) => {
          tryImport(enc.encode(parts.join('')));
        },
      ),
      { numRuns: 500 },
    );
  });

  for (const { name, bytes } of fixtures) {
    it(`mutated ${name}, whole and streamed in random chunks`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutation, { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 64 }),
          async (ms, size) => {
            const b = mutate(bytes, ms);
            const whole = tryImport(b);
            async function* chunks() {
              for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
            }
            let streamed: MetricFrame | null = null;
            try {
              streamed = await importStream(chunks());
            } catch (err) {
              if (!(err instanceof IngestError)) throw err;
            }
            // Chunking never changes the result.
            expect(streamed).toEqual(whole);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});
