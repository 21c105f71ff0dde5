// Value and time parsing against simple reference rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVALID, MISSING, parseValue } from '../../src/lib/ingest/values.ts';
import { parseTime } from '../../src/lib/ingest/time.ts';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number | undefined> = {
  nan: NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
  null: MISSING,
};

/** The rule written plainly: decimal literal, or one of the spellings, or empty; anything else invalid. */
function reference(raw: string): number | null | undefined {
  const s = raw.trim();
  if (s === '') return MISSING;
  if (DECIMAL.test(s)) return Number(s);
  const k = s.toLowerCase();
  return Object.hasOwn(SPECIAL, k) ? SPECIAL[k] : INVALID;
}

describe('parseValue', () => {
  it('agrees with the reference on number-like text', () => {
    const chars = fc.constantFrom(...'0123456789.eE+-xX _aInfNa'.split(''));
    const decimals = fc.tuple(fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.integer({ min: 0, max: 16 }));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: chars, maxLength: 10 }),
          fc.double().map(String),
          fc.string(),
          fc.constantFrom('__proto__', 'constructor', 'toString', 'NaN', '-Inf', 'Infinity', 'null', ' 1 '),
          decimals.map(([x, k]) => x.toFixed(k)),
          fc.stringMatching(/^[+-]?0*[0-9]{0,17}\.?[0-9]{0,17}$/),
          // Past 15 characters text goes to Number() first: radix literals, words and spaces must not slip through.
          fc.string({
            unit: fc.constantFrom(...'0123456789.eE+-xXbBoO _Infity'.split('')),
            minLength: 16,
            maxLength: 24,
          }),
          fc
            .tuple(
              fc.constantFrom('0x', '0X', '0b', '0o', '0B', '0O', '+', '-', '.'),
              fc.stringMatching(/^[0-9a-f]{15,20}$/),
            )
            .map(([a, b]) => a + b),
        ),
        (s) => {
          expect(Object.is(parseValue(s), reference(s)) || parseValue(s) === reference(s)).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads 16- to 19-digit decimals (the shortest text of a double, integers near 2^53) as Number() does', () => {
    // The fast paths must match Number() bit for bit on the values files hold most: up to 17 significant
    // digits, leading zeros after the point, and integers on either side of 2^53.
    const shortest = fc.double({ noNaN: true, noDefaultInfinity: true }).map(String);
    const fixed = fc
      .tuple(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 22 }))
      .map(([x, k]) => x.toFixed(k));
    const nearExact = fc
      .tuple(fc.bigInt({ min: 2n ** 53n - 50n, max: 2n ** 53n + 50n }), fc.integer({ min: 0, max: 22 }))
      .map(([m, k]) => {
        const digits = m.toString().padStart(k + 1, '0');
        return k ? `${digits.slice(0, -k)}.${digits.slice(-k)}` : digits;
      });
    const long = fc.stringMatching(/^-?0{0,3}[1-9][0-9]{14,18}\.?[0-9]{0,6}$/);
    fc.assert(
      fc.property(fc.oneof(shortest, fixed, nearExact, long), (s) => {
        expect(Object.is(parseValue(s), Number(s))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('parseTime', () => {
  it('reads every ISO string Date writes, and epoch ms as text', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        expect(parseTime(new Date(ms).toISOString())).toBe(ms);
        expect(parseTime(String(ms))).toBe(ms);
        expect(parseTime(String(ms / 1000))).toBe(ms);
        const plain = new Date(ms)
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, '');
        expect(parseTime(plain)).toBe(ms - (ms % 1000));
      }),
      { numRuns: 2000 },
    );
  });
});
