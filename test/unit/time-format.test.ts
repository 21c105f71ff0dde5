// One time format across the app: 24-hour clock, the zone shown, both dates on a range that crosses
// midnight, axis ticks that never read 12:05 for five past midnight.
import { afterEach, describe, expect, it } from 'vitest';
import { scaleUtc } from 'd3';
import { fmtRange, fmtTime, setTimeZoneMode, timeTickLabels, zoneLabel } from '../../src/ui/charts/time.ts';
import { scoreTimeline } from '../../src/ui/charts/timeline.ts';
import { lineChart } from '../../src/ui/charts/lines.ts';
import { darkTheme } from '../../src/ui/charts/theme.ts';
import { toSvgString } from '../../src/ui/charts/svg.ts';

const T = Date.UTC(2026, 0, 5, 0, 5, 0); // 2026-01-05 00:05 UTC

afterEach(() => setTimeZoneMode('utc'));

describe('time format', () => {
  it('full times are 24-hour UTC with the zone by default', () => {
    expect(fmtTime(T)).toBe('2026-01-05 00:05:00 UTC');
    expect(fmtTime(Date.UTC(2026, 0, 5, 13, 4, 9))).toBe('2026-01-05 13:04:09 UTC');
    expect(fmtTime(NaN)).toBe('–');
  });

  it('a range crossing midnight shows both dates; one day shows one', () => {
    expect(fmtRange(Date.UTC(2026, 0, 5, 23, 40), Date.UTC(2026, 0, 6, 0, 20))).toBe('01-05 23:40 – 01-06 00:20 UTC');
    expect(fmtRange(Date.UTC(2026, 0, 5, 14, 20), Date.UTC(2026, 0, 5, 16, 40))).toBe('01-05 14:20 – 16:40 UTC');
  });

  it('axis ticks under an hour read 00:05, not 12:05, and a midnight tick shows the date', () => {
    const x = scaleUtc().domain([Date.UTC(2026, 0, 4, 23, 50), Date.UTC(2026, 0, 5, 0, 30)]);
    const ticks = x.ticks(5).map(Number);
    const labels = timeTickLabels(ticks);
    expect(labels).toContain('Jan 05');
    expect(labels).toContain('00:10');
    expect(labels.some((l) => l.startsWith('12:'))).toBe(false);
    expect(timeTickLabels([T, T + 20_000, T + 40_000])).toEqual(['00:05:00', '00:05:20', '00:05:40']);
  });

  it('a drawn time axis uses the same labels', () => {
    const xs = Array.from({ length: 30 }, (_, i) => T + i * 60_000);
    const svg = toSvgString(
      lineChart([{ label: 'a', x: xs, y: xs.map((_, i) => i) }], {
        width: 400,
        height: 200,
        theme: darkTheme,
        title: 't',
        time: true,
      }).node,
    );
    expect(svg).toContain('>00:10<');
    expect(svg).not.toMatch(/>12:\d\d</);
  });

  it('local time carries its offset', () => {
    setTimeZoneMode('local');
    const label = zoneLabel(T);
    expect(label).toMatch(/^UTC([+−]\d\d:\d\d)$/);
    expect(fmtTime(T).endsWith(label)).toBe(true);
  });

  it('an empty timeline never says 1970', () => {
    const chart = scoreTimeline([], [], { width: 400, height: 150, theme: darkTheme, domain: null });
    expect(chart.summary).not.toContain('1970');
    expect(toSvgString(chart.node)).not.toContain('1970');
  });
});
