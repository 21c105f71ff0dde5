// The entity label and baseline period in the app's settings and URL hash (src/ui/state/scope.ts).
import { describe, expect, it } from 'vitest';
import {
  analysisScope,
  entityChoices,
  entityLabelError,
  fromUtcInput,
  snapToSamples,
  toUtcInput,
} from '../../src/ui/state/scope.ts';
import { defaultSettings, parseHash, settingsErrors, toHash } from '../../src/ui/state/settings.ts';

const FROM = Date.UTC(2026, 2, 2, 1, 0);
const TO = Date.UTC(2026, 2, 2, 3, 30);

describe('entity label and baseline in the hash', () => {
  it('round-trips through the hash and reaches the pipeline options', () => {
    const s = { ...defaultSettings, entity: 'pod', baseline: { from: FROM, to: TO } };
    const hash = toHash(s);
    expect(hash).toBe('#entity=pod&bfrom=2026-03-02T01%3A00%3A00.000Z&bto=2026-03-02T03%3A30%3A00.000Z');
    const back = parseHash(hash);
    expect(back.entity).toBe('pod');
    expect(back.baseline).toEqual({ from: FROM, to: TO });
    expect(analysisScope(back)).toEqual({ entity: 'pod', baseline: { from: FROM, to: TO } });
    expect(analysisScope(defaultSettings)).toEqual({});
    expect(analysisScope(parseHash('#step=1m30s'))).toEqual({ stepMs: 90_000 });
    expect(parseHash('#step=90').step).toBeUndefined(); // no unit: ignored, the data's own step applies
    expect(toHash({ ...defaultSettings, step: '15s' })).toBe('#step=15s');
    expect(toHash(defaultSettings)).toBe('');
  });

  it('ignores a link whose label is not a label name or whose period is backwards or half', () => {
    expect(parseHash('#entity=1abc').entity).toBeUndefined();
    expect(parseHash('#entity=a-b').entity).toBeUndefined();
    expect(parseHash('#bfrom=2026-03-02T03:00Z&bto=2026-03-02T01:00Z').baseline).toBeUndefined();
    expect(parseHash('#bfrom=2026-03-02T03:00Z').baseline).toBeUndefined();
    expect(parseHash('#bfrom=yesterday&bto=today').baseline).toBeUndefined();
  });

  it('says what is wrong with a typed label or period', () => {
    expect(entityLabelError('job')).toBeNull();
    expect(entityLabelError('9x')).toMatch(/label name/);
    expect(settingsErrors({ ...defaultSettings, entity: 'a b' })).toEqual([expect.stringMatching(/label name/)]);
    expect(settingsErrors({ ...defaultSettings, baseline: { from: TO, to: FROM } })).toEqual([
      'the baseline must end after it starts',
    ]);
    expect(settingsErrors({ ...defaultSettings, baseline: { from: NaN, to: TO } })).toEqual([
      'the baseline needs a start and an end time',
    ]);
  });
});

describe('datetime inputs in UTC and the picker', () => {
  it('reads and writes 24-hour UTC text (no AM/PM), with a space or a T', () => {
    expect(toUtcInput(FROM)).toBe('2026-03-02 01:00');
    expect(fromUtcInput(' 2026-03-02 01:00 ')).toBe(FROM);
    expect(fromUtcInput('2026-03-02T01:00')).toBe(FROM);
    expect(fromUtcInput('2026-03-02T01:00:30')).toBe(FROM + 30_000);
    expect(fromUtcInput('')).toBeNaN();
    expect(fromUtcInput('2026-03-02')).toBeNaN();
    expect(toUtcInput(undefined)).toBe('');
    // A period dragged on 15 s data keeps its seconds, and reads back as the same time.
    expect(toUtcInput(FROM + 45_000)).toBe('2026-03-02 01:00:45');
    expect(fromUtcInput(toUtcInput(FROM + 45_000))).toBe(FROM + 45_000);
  });

  it('snaps a dragged range to the samples inside it, to the second', () => {
    const ts = Float64Array.from({ length: 20 }, (_, i) => FROM + i * 15_000 + 500);
    // 01:00:20 to 01:01:10 holds the samples at 01:00:30.5 … 01:01:00.5.
    expect(snapToSamples(ts, FROM + 20_000, FROM + 70_000)).toEqual({
      from: FROM + 30_000,
      to: FROM + 61_000,
      samples: 3,
    });
    // Fewer than two samples is no period.
    expect(snapToSamples(ts, FROM + 20_000, FROM + 31_000)).toBeNull();
    expect(snapToSamples(ts, FROM - 9e6, FROM - 1)).toBeNull();
  });

  it('offers the usual labels first, then the others the data has', () => {
    const series: { labels: Record<string, string> }[] = [
      { labels: { instance: 'a', zone: 'x' } },
      { labels: { app: 'y', 'bad-name': 'z' } },
    ];
    expect(entityChoices(series)).toEqual(['instance', 'host', 'pod', 'node', 'job', 'app', 'zone']);
  });
});
