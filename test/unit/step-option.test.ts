// The step an operator gives when a file cannot tell it (issue 11 item 17): parsing, and a one-row file that
// aligns once a step is given.
import { describe, expect, it } from 'vitest';
import { alignFrame } from '../../src/lib/cloud/align.ts';
import { importText } from '../../src/lib/ingest/index.ts';
import { parseDuration, parseStep } from '../../src/lib/text/duration.ts';

describe('parseStep', () => {
  it('reads Prometheus-style durations', () => {
    expect(parseStep('60s')).toBe(60_000);
    expect(parseStep('1m')).toBe(60_000);
    expect(parseStep('15000ms')).toBe(15_000);
    expect(parseStep(' 1m30s ')).toBe(90_000);
    expect(parseStep('1.5h')).toBe(5_400_000);
    expect(parseStep('1d')).toBe(86_400_000);
  });

  it('refuses what is not a step, saying how to write one', () => {
    expect(() => parseStep('60')).toThrow("'60' has no unit: write a number with a unit, e.g. 15s, 1m, 15000ms");
    expect(() => parseStep('1 minute')).toThrow("'1 minute' is not a duration");
    expect(() => parseStep('')).toThrow('no duration given');
    expect(() => parseStep('0s')).toThrow('shorter than 1 ms');
    expect(() => parseStep('0.2ms')).toThrow('shorter than 1 ms');
    expect(() => parseStep('40d')).toThrow('longer than 31 days');
    expect(() => parseStep('-5s')).toThrow('is not a duration');
    expect(() => parseDuration('5s\u001b[2J')).toThrow("'5s\\x1b[2J' is not a duration");
  });
});

describe('a file that cannot tell its step', () => {
  it('one row: alignment asks for a step, and works with one', () => {
    const frame = importText('time,cpu,mem\n2024-01-01T00:00:00Z,0.5,0.25\n');
    expect(() => alignFrame(frame)).toThrow(/cannot detect a sampling step/);
    const { frame: aligned } = alignFrame(frame, { stepMs: parseStep('1m') });
    expect(aligned.stepMs).toBe(60_000);
    expect(Array.from(aligned.timestamps)).toEqual([Date.UTC(2024, 0, 1)]);
    expect(aligned.columns.map((c) => c[0])).toEqual([0.5, 0.25]);
  });

  it('irregular rows: the given step sets the grid instead of the median spacing', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const rows = [0, 7, 14, 60, 120, 180].map((s, i) => `${new Date(t0 + s * 1000).toISOString()},${i}`);
    const frame = importText(`time,v\n${rows.join('\n')}\n`);
    expect(alignFrame(frame).frame.stepMs).toBe(46_000); // the median spacing: no grid these rows share
    const { frame: aligned } = alignFrame(frame, { stepMs: parseStep('60s') });
    expect(Array.from(aligned.timestamps, (t) => (t - t0) / 1000)).toEqual([0, 60, 120, 180]);
  });
});
